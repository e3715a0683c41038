package org.schoolgate.deploy;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.schoolgate.proxy.ProxyConfig;
import org.schoolgate.proxy.site.PacSettings;
import org.schoolgate.proxy.site.PageListenerSettings;
import org.schoolgate.proxy.transparent.TransparentMode;
import org.schoolgate.proxy.transparent.TransparentSettings;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Reads how the proxy sits on the school network, from the {@code proxy:} section: {@code
 * transparent: { http, https, mode, address }} (or {@code false}), {@code pac: { proxies, direct,
 * direct-networks }} and {@code page-listener: { address, http, https }}, reporting through the loader
 * (file:line: field). The page listener's address has one source of truth: when
 * {@code dns-filter.block-answer} names an address, the listener takes it (its IPv4 address, else
 * its IPv6 one) unless {@code page-listener.address} is given, which must then be one of them.
 */
final class ProxyNetworkReader {
  static final Set<String> KEYS = Set.of("transparent", "pac", "page-listener");
  private final RuntimeConfigLoader in;
  /** {@code dns-filter.block-answer} when it names addresses (and the filter is on), else null. */
  private final BlockAddress blockAnswer;

  /** The block-page addresses {@code dns-filter.block-answer} names, and where. */
  record BlockAddress(org.schoolgate.resolver.BlockAnswer.Address answer, Node at) {}

  ProxyNetworkReader(RuntimeConfigLoader in) {
    this(in, null);
  }

  ProxyNetworkReader(RuntimeConfigLoader in, BlockAddress blockAnswer) {
    this.in = in;
    this.blockAnswer = blockAnswer;
  }

  /** The network settings of the proxy mapping {@code m}, or null after reporting an error. */
  ProxyConfig.Network read(Map<String, Node> m) {
    TransparentSettings transparent = transparent(m.get("transparent"));
    PacSettings pac = pac(m.get("pac"));
    PageListenerSettings pages = pages(m.get("page-listener"));
    if (pac == null || (m.get("transparent") != null && transparent == null && !off(m))
        || (m.get("page-listener") != null && pages == null)) {
      return null;
    }
    return new ProxyConfig.Network(transparent, pac, pages);
  }

  private static boolean off(Map<String, Node> m) {
    return m.get("transparent") instanceof ScalarNode s && "false".equals(s.getValue());
  }

  private TransparentSettings transparent(Node node) {
    String f = "proxy.transparent";
    if (node == null) {
      return null;
    }
    if (node instanceof ScalarNode s) {
      if (!"false".equals(s.getValue())) {
        in.error(node, f, "'" + s.getValue() + "' (expected: false, or listeners such as"
            + " { http: 3129, https: 3130, mode: tproxy })");
      }
      return null;
    }
    Map<String, Node> t = in.mapping(node, f, Set.of("http", "https", "mode", "address"));
    int http = port(t.get("http"), f + ".http", 0);
    int https = port(t.get("https"), f + ".https", 0);
    TransparentMode mode = null;
    if (t.get("mode") == null) {
      in.error(node, f + ".mode", "is required (expected: tproxy or redirect, as the router's"
          + " rules in deploy/packaging/transparent)");
    } else {
      String s = in.scalar(t.get("mode"), f + ".mode");
      try {
        mode = s == null ? null : TransparentMode.parse(s);
      } catch (IllegalArgumentException e) {
        in.error(t.get("mode"), f + ".mode", e.getMessage());
      }
    }
    InetAddress address = address(t.get("address"), f + ".address", anyAddress());
    if (mode == null || address == null || http < 0 || https < 0) {
      return null;
    }
    try {
      return new TransparentSettings(address, http, https, mode);
    } catch (IllegalArgumentException e) {
      in.problem(node, e.getMessage());
      return null;
    }
  }

  /**
   * What the transparent listeners bind when {@code address} is not given: {@code ::}, which
   * takes IPv4 and IPv6 connections alike (the shipped rule sets redirect both), or {@code
   * 0.0.0.0} on a machine without IPv6 (a kernel started with {@code ipv6.disable=1} has no
   * {@code /proc/net/if_inet6}, and binding {@code ::} would fail there).
   */
  static String anyAddress() {
    return java.nio.file.Files.exists(java.nio.file.Path.of("/proc/net/if_inet6")) ? "::"
        : "0.0.0.0";
  }

  private PacSettings pac(Node node) {
    if (node == null) {
      return PacSettings.DEFAULTS;
    }
    String f = "proxy.pac";
    Map<String, Node> p = in.mapping(node, f, Set.of("proxies", "direct", "direct-networks"));
    List<String> proxies = strings(p.get("proxies"), f + ".proxies");
    List<String> direct = strings(p.get("direct"), f + ".direct");
    List<String> networks = strings(p.get("direct-networks"), f + ".direct-networks");
    if (proxies == null || direct == null || networks == null) {
      return null;
    }
    try {
      return new PacSettings(proxies, direct, networks);
    } catch (IllegalArgumentException e) {
      String msg = e.getMessage();
      Node at = msg.startsWith(f + ".proxies") ? p.get("proxies")
          : msg.startsWith(f + ".direct-networks") ? p.get("direct-networks") : p.get("direct");
      in.problem(at == null ? node : at, msg);
      return null;
    }
  }

  private PageListenerSettings pages(Node node) {
    if (node == null) {
      return null;
    }
    String f = "proxy.page-listener";
    Map<String, Node> p = in.mapping(node, f, Set.of("address", "http", "https"));
    InetAddress address;
    if (p.get("address") == null) {
      if (blockAnswer == null) {
        in.error(node, f + ".address", "is required (expected: the block-page address the DNS"
            + " filter answers with, such as 10.0.0.5; or set dns-filter.block-answer: address 10.0.0.5"
            + " and leave it out here)");
        return null;
      }
      address = blockAnswer.answer().ipv4() != null ? blockAnswer.answer().ipv4() : blockAnswer.answer().ipv6();
    } else {
      address = address(p.get("address"), f + ".address", null);
      if (address != null && blockAnswer != null && !address.equals(blockAnswer.answer().ipv4())
          && !address.equals(blockAnswer.answer().ipv6())) {
        in.error(p.get("address"), f + ".address", address.getHostAddress() + " is not the block-page address"
            + " dns-filter.block-answer answers with (line " + RuntimeConfigLoader.line(blockAnswer.at()) + ": "
            + blockAnswer.answer().text() + "; expected: the same address, or leave page-listener.address out"
            + " to take it from there)");
        return null;
      }
    }
    int http = port(p.get("http"), f + ".http", 80);
    int https = port(p.get("https"), f + ".https", 0);
    if (address == null || http < 0 || https < 0) {
      return null;
    }
    try {
      return new PageListenerSettings(address, http, https);
    } catch (IllegalArgumentException e) {
      in.problem(p.get("https") == null ? node : p.get("https"), e.getMessage());
      return null;
    }
  }

  /** A port 0..65535, {@code otherwise} when absent, -1 after reporting an error. */
  private int port(Node node, String field, int otherwise) {
    if (node == null) {
      return otherwise;
    }
    String s = in.scalar(node, field);
    try {
      int p = Integer.parseInt(s == null ? "" : s.trim());
      if (p >= 0 && p <= 65_535) {
        return p;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    in.error(node, field, "'" + s + "' (expected: a port such as 3129, or 0 for none)");
    return -1;
  }

  private InetAddress address(Node node, String field, String otherwise) {
    if (node == null) {
      return in.ipLiteral(null, field, otherwise);
    }
    String s = in.scalar(node, field);
    return s == null ? null : in.ipLiteral(node, field, s.trim());
  }

  private List<String> strings(Node node, String field) {
    if (node == null) {
      return List.of();
    }
    if (!(node instanceof SequenceNode seq)) {
      in.error(node, field, "is not a list (expected: [value, ...])");
      return null;
    }
    List<String> out = new ArrayList<>();
    for (int i = 0; i < seq.getValue().size(); i++) {
      String s = in.scalar(seq.getValue().get(i), field + "[" + i + "]");
      if (s == null) {
        return null;
      }
      out.add(s);
    }
    return out;
  }
}
