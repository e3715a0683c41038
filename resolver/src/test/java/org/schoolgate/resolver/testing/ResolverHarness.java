package org.schoolgate.resolver.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.schoolgate.identity.AddressBindings;
import org.schoolgate.policy.PolicySnapshot;
import org.schoolgate.policy.TestPolicies;
import org.schoolgate.policy.testing.MutableClock;
import org.schoolgate.proxy.log.AccessLog;
import org.schoolgate.proxy.metrics.ProxyMetrics;
import org.schoolgate.resolver.DnsFilter;
import org.schoolgate.resolver.DnsFilterConfig;

/**
 * One filtering resolver on 127.0.0.1:0 in front of an {@link UpstreamStandIn}, with the test
 * policy ({@link #POLICY}), a real access log in a temporary directory, a meter registry, and a
 * clock and ticker the test moves. Devices: 127.0.0.2 and .4 are pupils, 127.0.0.3 is staff,
 * 127.0.0.9 is outside {@code clients.allow}. Staff may reach internal addresses; pupils only
 * {@code vle.school.example} and 10.20.30.0/24 (the intranet list).
 */
public final class ResolverHarness implements AutoCloseable {
  /** Monday 23 November 2026, 10:00 in London (a school day, no schedule involved). */
  public static final Instant MONDAY = Instant.parse("2026-11-23T10:00:00Z");
  public static final String PUPIL = "127.0.0.2";
  public static final String STAFF = "127.0.0.3";
  public static final String OTHER_PUPIL = "127.0.0.4";
  public static final String OUTSIDER = "127.0.0.9";
  public static final String POLICY = """
      timezone: Europe/London
      clients:
        allow: [127.0.0.2/32, 127.0.0.3/32, 127.0.0.4/32, 127.0.0.5/32]
      groups:
        pupils: { subnets: [127.0.0.2/32, 127.0.0.4/32, 127.0.0.5/32] }
        staff: { subnets: [127.0.0.3/32], users: [j.smith] }
      categories:
        gambling: { domains: [bet.example] }
        filter-bypass: { domains: [dns.google, cloudflare-dns.com, mask.icloud.com, mask-h2.icloud.com] }
        child-abuse: { domains: [illegal.example] }
      matrix:
        gambling: { default: unacceptable }
        filter-bypass: { default: unacceptable, staff: acceptable }
        child-abuse: { default: illegal }
      default: acceptable
      tunnels:
        ech: { default: block, staff: allow }
      destinations:
        allow-internal: [staff]
        intranet:
          - { host: vle.school.example, ports: [443] }
          - { network: 10.20.30.0/24, ports: [80, 443], groups: [pupils] }
      """;
  private static final ObjectMapper JSON = new ObjectMapper();

  public final UpstreamStandIn upstream;
  public final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  public final MutableClock clock = new MutableClock(MONDAY);
  public final MutableTicker ticker = new MutableTicker();
  public final Path logDir;
  public final PolicySnapshot policy;
  private final AccessLog accessLog;
  public final DnsFilter dns;

  private ResolverHarness(Path dir, UnaryOperator<DnsFilterConfig> config, AddressBindings bindings,
      UpstreamStandIn upstream) {
    this.upstream = upstream;
    this.logDir = dir.resolve("logs");
    Path policyDir = dir.resolve("policy");
    try {
      Files.createDirectories(policyDir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    this.policy = TestPolicies.compile(policyDir, POLICY);
    this.accessLog = AccessLog.start(logDir, 1024, new ProxyMetrics(registry));
    DnsFilterConfig base = DnsFilterConfig.embeddedDefault().withPort(0)
        .withUpstreams(List.of(upstream.address()));
    PolicySnapshot snapshot = policy;
    this.dns = DnsFilter.start(config.apply(base), () -> snapshot, bindings, accessLog::offer, registry, clock,
        ticker);
  }

  /** A resolver with the embedded default's settings (but port 0 and the stand-in upstream), changed by {@code config}. */
  public static ResolverHarness start(Path dir, UnaryOperator<DnsFilterConfig> config, AddressBindings bindings)
      throws InterruptedException {
    UpstreamStandIn upstream = new UpstreamStandIn();
    try {
      return new ResolverHarness(dir, config, bindings, upstream);
    } catch (RuntimeException e) {
      upstream.close();
      throw e;
    }
  }

  public static ResolverHarness start(Path dir) throws InterruptedException {
    return start(dir, c -> c, AddressBindings.NONE);
  }

  public InetSocketAddress address() {
    return dns.udpAddresses().get(0);
  }

  /** A device at {@code from}. */
  public DnsTestClient client(String from) {
    return new DnsTestClient(address(), from);
  }

  /** Every access-log line written so far (flushed first), as maps. */
  @SuppressWarnings("unchecked")
  public List<Map<String, Object>> logLines() {
    try {
      accessLog.flush(Duration.ofSeconds(10));
      List<Map<String, Object>> out = new ArrayList<>();
      if (!Files.exists(logDir)) {
        return out;
      }
      try (var files = Files.list(logDir)) {
        for (Path f : files.sorted().toList()) {
          for (String line : Files.readAllLines(f)) {
            out.add(JSON.readValue(line, Map.class));
          }
        }
      }
      return out;
    } catch (Exception e) {
      throw new AssertionError("cannot read the access log: " + e, e);
    }
  }

  /** The DNS lines for {@code name}, oldest first. */
  public List<Map<String, Object>> linesFor(String name) {
    return logLines().stream().filter(l -> name.equals(l.get("host"))).toList();
  }

  /** A counter's count, 0 when it does not exist. */
  public double count(String name, String... tags) {
    Counter c = registry.find(name).tags(tags).counter();
    return c == null ? 0 : c.count();
  }

  @Override
  public void close() {
    try {
      dns.close();
    } finally {
      accessLog.close();
      upstream.close();
    }
  }
}
