package org.schoolgate.deploy;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.schoolgate.resolver.BlockAnswer;
import org.schoolgate.resolver.DnsFilterConfig;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Reads the {@code dns-filter:} section of the runtime configuration (the filtering DNS resolver)
 * into {@link DnsFilterSettings}, reporting through the loader (file:line: field). Absent, or
 * {@code enabled: false}: no resolver. Every other key has the embedded default's value when left
 * out, so {@code dns-filter: {}} runs the resolver on 127.0.0.1:8053.
 */
final class DnsFilterReader {
  static final String KEY = "dns-filter";
  private static final Set<String> KEYS = Set.of("enabled", "listen", "upstreams", "block-answer", "cache-size",
      "rate-limit", "min-ttl", "max-ttl", "block-ttl", "query-timeout");
  private final RuntimeConfigLoader in;

  DnsFilterReader(RuntimeConfigLoader in) {
    this.in = in;
  }

  /**
   * The block-page addresses the {@code dns-filter:} section {@code node} answers blocked names
   * with, for the page listener to take ({@link ProxyNetworkReader}); null when the section is
   * absent or off, answers NXDOMAIN, or is wrong (which {@link #read} reports).
   */
  static ProxyNetworkReader.BlockAddress blockAddress(Node node) {
    if (!(node instanceof org.yaml.snakeyaml.nodes.MappingNode m)) {
      return null;
    }
    Node answer = null;
    for (org.yaml.snakeyaml.nodes.NodeTuple t : m.getValue()) {
      if (t.getKeyNode() instanceof org.yaml.snakeyaml.nodes.ScalarNode k) {
        if (k.getValue().equals("enabled") && t.getValueNode() instanceof org.yaml.snakeyaml.nodes.ScalarNode v
            && v.getValue().equals("false")) {
          return null;
        }
        if (k.getValue().equals("block-answer")) {
          answer = t.getValueNode();
        }
      }
    }
    if (!(answer instanceof org.yaml.snakeyaml.nodes.ScalarNode s)) {
      return null;
    }
    try {
      return BlockAnswer.parse(s.getValue()) instanceof BlockAnswer.Address a
          ? new ProxyNetworkReader.BlockAddress(a, answer) : null;
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  DnsFilterSettings read(Node node) {
    if (node == null) {
      return null;
    }
    Map<String, Node> m = in.mapping(node, KEY, KEYS);
    if (m.get("enabled") != null) {
      String s = in.scalar(m.get("enabled"), KEY + ".enabled");
      if ("false".equals(s)) {
        return null;
      }
      if (!"true".equals(s)) {
        in.error(m.get("enabled"), KEY + ".enabled", "'" + s + "' (expected: true or false)");
      }
    }
    DnsFilterConfig d = DnsFilterConfig.embeddedDefault();
    List<InetSocketAddress> listen = m.get("listen") == null ? d.listen()
        : addresses(m.get("listen"), KEY + ".listen", -1, "[IP:PORT, ...] such as [0.0.0.0:53]");
    List<InetSocketAddress> upstreams = m.get("upstreams") == null ? d.upstreams()
        : addresses(m.get("upstreams"), KEY + ".upstreams", 53, "[IP or IP:PORT, ...] such as [10.0.0.2, 10.0.0.3]");
    BlockAnswer block = d.blockAnswer();
    if (m.get("block-answer") != null) {
      String s = in.scalar(m.get("block-answer"), KEY + ".block-answer");
      try {
        block = s == null ? block : BlockAnswer.parse(s);
      } catch (IllegalArgumentException e) {
        in.error(m.get("block-answer"), KEY + ".block-answer", e.getMessage());
      }
    }
    int cacheSize = integer(m.get("cache-size"), KEY + ".cache-size", d.cacheSize(), "0.." + DnsFilterConfig.MAX_CACHE_SIZE);
    DnsFilterConfig.RateLimit rate = rateLimit(m.get("rate-limit"), d.rateLimit());
    Duration minTtl = duration(m, "min-ttl", d.minTtl());
    Duration maxTtl = duration(m, "max-ttl", d.maxTtl());
    Duration blockTtl = duration(m, "block-ttl", d.blockTtl());
    Duration timeout = duration(m, "query-timeout", d.queryTimeout());
    if (listen == null || upstreams == null || rate == null || minTtl == null || maxTtl == null || blockTtl == null
        || timeout == null) {
      return null;
    }
    try {
      return new DnsFilterSettings(new DnsFilterConfig(listen, upstreams, block, cacheSize, rate, minTtl, maxTtl,
          blockTtl, timeout), true);
    } catch (IllegalArgumentException e) {
      in.problem(at(m, e.getMessage(), node), e.getMessage());
      return null;
    }
  }

  /** The node a config record's message is about: the key it names, else the section. */
  private static Node at(Map<String, Node> m, String message, Node section) {
    for (Map.Entry<String, Node> e : m.entrySet()) {
      if (message.startsWith(KEY + "." + e.getKey())) {
        return e.getValue();
      }
    }
    return section;
  }

  private List<InetSocketAddress> addresses(Node node, String field, int defaultPort, String expected) {
    if (!(node instanceof SequenceNode seq)) {
      in.error(node, field, "is not a list (expected: " + expected + ")");
      return null;
    }
    List<InetSocketAddress> out = new ArrayList<>();
    boolean ok = true;
    for (int i = 0; i < seq.getValue().size(); i++) {
      Node item = seq.getValue().get(i);
      InetSocketAddress a = defaultPort < 0 ? in.address(item, field + "[" + i + "]")
          : in.server(item, field + "[" + i + "]", defaultPort);
      if (a == null) {
        ok = false;
      } else {
        out.add(a);
      }
    }
    return ok ? out : null;
  }

  private DnsFilterConfig.RateLimit rateLimit(Node node, DnsFilterConfig.RateLimit fallback) {
    if (node == null) {
      return fallback;
    }
    String f = KEY + ".rate-limit";
    Map<String, Node> m = in.mapping(node, f, Set.of("per-second", "burst"));
    int perSecond = integer(m.get("per-second"), f + ".per-second", fallback.perSecond(), "0..1000000, 0 for no limit");
    int burst = integer(m.get("burst"), f + ".burst", fallback.burst(), "1..10000000");
    try {
      return new DnsFilterConfig.RateLimit(perSecond, burst);
    } catch (IllegalArgumentException e) {
      in.problem(m.get(e.getMessage().contains(".burst") ? "burst" : "per-second"), e.getMessage());
      return null;
    }
  }

  private int integer(Node node, String field, int fallback, String expected) {
    if (node == null) {
      return fallback;
    }
    String s = in.scalar(node, field);
    try {
      return s == null ? fallback : Integer.parseInt(s);
    } catch (NumberFormatException e) {
      in.error(node, field, "'" + s + "' is not a whole number (expected: " + expected + ")");
      return fallback;
    }
  }

  private Duration duration(Map<String, Node> m, String key, Duration fallback) {
    return m.get(key) == null ? fallback : in.duration(m.get(key), KEY + "." + key);
  }
}
