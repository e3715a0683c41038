package org.schoolgate.proxy.dns;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.benmanes.caffeine.cache.Ticker;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.schoolgate.proxy.metrics.ProxyMetrics;
import org.schoolgate.policy.testing.Eventually;

class DnsServiceTest {
  private final AtomicLong nanos = new AtomicLong();
  private final Ticker ticker = nanos::get;
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final ScriptedLookup lookup = new ScriptedLookup();
  /** No hosts file: these tests never depend on the machine's /etc/hosts. */
  private static final DnsSettings SETTINGS =
      DnsSettings.DEFAULTS.withHostsFile(Path.of("/nonexistent/schoolgate-test-hosts"), Duration.ZERO);
  private final DnsService dns = new DnsService(
      Map.of("school.test", InetAddress.getLoopbackAddress()), lookup,
      SETTINGS, ticker, new ProxyMetrics(registry));

  @TempDir
  Path dir;

  @AfterEach
  void close() {
    dns.close();
  }

  @Test
  void ipLiteralsLocalhostAndStaticHostsAreKnownWithoutALookup() throws Exception {
    assertThat(dns.peek("192.0.2.7")).isEqualTo(resolvedTo("192.0.2.7"));
    assertThat(dns.peek("[::1]")).isInstanceOf(DnsAnswer.Resolved.class);
    assertThat(dns.peek("LOCALHOST.")).isInstanceOf(DnsAnswer.Resolved.class);
    assertThat(dns.peek("School.Test.")).isInstanceOf(DnsAnswer.Resolved.class);
    assertThat(lookup.asked).isEmpty();
  }

  @Test
  void staticHostsFileAndCachedNamesAreAnsweredWithoutAllocating() throws Exception {
    Path hosts = Files.writeString(dir.resolve("hosts"), "192.0.2.9 printer.test\n");
    try (DnsService withHosts = new DnsService(Map.of("school.test", addr("192.0.2.8")), lookup,
        DnsSettings.DEFAULTS.withHostsFile(hosts, Duration.ZERO), ticker,
        new ProxyMetrics(registry))) {
      withHosts.resolve("cached.test");
      lookup.answer("cached.test", new DnsAnswer.Resolved(addr("192.0.2.3"), Duration.ofHours(1)));
      String[] names = {"school.test", "printer.test", "cached.test", "localhost"};

      long allocated = org.schoolgate.policy.Allocations.bytesAllocated(20_000, 100_000,
          i -> withHosts.peek(names[i & 3]) instanceof DnsAnswer.Resolved ? 1 : 0);

      // one 16-byte answer each would be 1.6 MB; the cache's occasional upkeep costs a little
      assertThat(allocated).as("bytes allocated by 100,000 answers").isLessThan(16 * 1024);
      assertThat(withHosts.peek("printer.test")).isEqualTo(resolvedTo("192.0.2.9"));
    }
  }

  @Test
  void unknownNameIsLookedUpOnceAndCachedBeforeTheFutureCompletes() throws Exception {
    assertThat(dns.peek("cold.test")).isNull();
    CompletableFuture<DnsAnswer> first = dns.resolve("cold.test");
    CompletableFuture<DnsAnswer> second = dns.resolve("COLD.test");
    List<DnsAnswer> seenInCallback = new ArrayList<>();
    first.thenAccept(a -> seenInCallback.add(dns.peek("cold.test")));

    lookup.answer("cold.test", new DnsAnswer.Resolved(addr("192.0.2.1"), Duration.ofSeconds(30)));

    assertThat(lookup.asked).containsExactly("cold.test");
    assertThat(second).isSameAs(first);
    assertThat(seenInCallback).hasSize(1).first().isInstanceOf(DnsAnswer.Resolved.class);
  }

  @Test
  void answersExpireAfterTheirTtl() throws Exception {
    dns.resolve("ttl.test");
    lookup.answer("ttl.test", new DnsAnswer.Resolved(addr("192.0.2.2"), Duration.ofSeconds(30)));

    nanos.addAndGet(Duration.ofSeconds(29).toNanos());
    assertThat(dns.peek("ttl.test")).isNotNull();
    nanos.addAndGet(Duration.ofSeconds(2).toNanos());
    assertThat(dns.peek("ttl.test")).isNull();
  }

  @Test
  void failuresAreCachedBrieflyAndCounted() {
    dns.resolve("nx.test");
    lookup.answer("nx.test", new DnsAnswer.Failed("no such name", Duration.ofSeconds(10)));

    assertThat(dns.peek("nx.test")).isInstanceOf(DnsAnswer.Failed.class);
    assertThat(registry.counter(ProxyMetrics.DNS_FAILURES).count()).isEqualTo(1.0);
    nanos.addAndGet(Duration.ofSeconds(11).toNanos());
    assertThat(dns.peek("nx.test")).isNull();
  }

  @Test
  void hostsFileLineAddedAfterACachedFailureIsAnsweredOnTheNextRefresh() throws Exception {
    Path file = dir.resolve("hosts");
    Files.writeString(file, "192.0.2.20 school.test\n");
    try (DnsService withHosts = new DnsService(
        Map.of("school.test", InetAddress.getLoopbackAddress()), lookup,
        SETTINGS.withHostsFile(file, Duration.ZERO), ticker, new ProxyMetrics(registry))) {
      withHosts.resolve("late.test");
      lookup.answer("late.test", new DnsAnswer.Failed("no such name", Duration.ofSeconds(10)));
      assertThat(withHosts.peek("late.test")).isInstanceOf(DnsAnswer.Failed.class);

      Files.writeString(file, "192.0.2.21 late.test\n", StandardOpenOption.APPEND);
      assertThat(withHosts.peek("late.test")).isInstanceOf(DnsAnswer.Failed.class); // not yet read
      withHosts.refreshHostsFile();

      assertThat(withHosts.peek("LATE.test.")).isEqualTo(resolvedTo("192.0.2.21"));
      assertThat(withHosts.resolve("late.test").get()).isEqualTo(resolvedTo("192.0.2.21"));
      assertThat(withHosts.peek("school.test")) // the configured override beats the file
          .isEqualTo(new DnsAnswer.Resolved(InetAddress.getLoopbackAddress(), Duration.ofDays(365)));
      assertThat(lookup.asked).containsExactly("late.test");
    }
  }

  @Test
  void hostsFileIsReReadByItsOwnThreadWhenItChanges() throws Exception {
    Path file = dir.resolve("hosts");
    Files.writeString(file, "");
    try (DnsService watched = new DnsService(Map.of(), lookup,
        SETTINGS.withHostsFile(file, Duration.ofMillis(50)), ticker, new ProxyMetrics(registry))) {
      assertThat(watched.peek("watched.test")).isNull();

      Files.writeString(file, "192.0.2.22 watched.test\n");

      Eventually.within(Duration.ofSeconds(10),
          () -> assertThat(watched.peek("watched.test")).isEqualTo(resolvedTo("192.0.2.22")));
    }
  }

  @Test
  void nameAddedToTheHostsFileJustBeforeItsFirstLookupIsAnsweredFromTheFileNotDns() throws Exception {
    Path file = dir.resolve("hosts");
    Files.writeString(file, "");
    // A periodic refresh an hour away: only the miss itself can notice the new line.
    try (DnsService watched = new DnsService(Map.of(), lookup,
        SETTINGS.withHostsFile(file, Duration.ofHours(1)), ticker, new ProxyMetrics(registry))) {
      Files.writeString(file, "192.0.2.23 fresh.test\n");

      assertThat(watched.resolve("fresh.test").get(10, TimeUnit.SECONDS)).isEqualTo(resolvedTo("192.0.2.23"));
      assertThat(lookup.asked).isEmpty();
    }
  }

  @Test
  void ttlsAreClampedToTheConfiguredBounds() {
    DnsSettings s = DnsSettings.DEFAULTS;
    assertThat(s.clamp(Duration.ZERO)).isEqualTo(s.minTtl());
    assertThat(s.clamp(Duration.ofDays(2))).isEqualTo(s.maxTtl());
    assertThat(s.clamp(Duration.ofSeconds(60))).isEqualTo(Duration.ofSeconds(60));
  }

  private static DnsAnswer resolvedTo(String ip) throws Exception {
    return new DnsAnswer.Resolved(addr(ip), Duration.ofDays(365));
  }

  private static InetAddress addr(String ip) {
    try {
      return InetAddress.getByName(ip); // literal: parsed, no lookup
    } catch (java.net.UnknownHostException e) {
      throw new AssertionError(e);
    }
  }

  /** A lookup the test answers by hand. */
  private static final class ScriptedLookup implements DnsLookup {
    final List<String> asked = new ArrayList<>();
    final Map<String, CompletableFuture<DnsAnswer>> pending = new java.util.HashMap<>();

    @Override
    public CompletableFuture<DnsAnswer> lookup(String host) {
      asked.add(host);
      return pending.computeIfAbsent(host, h -> new CompletableFuture<>());
    }

    void answer(String host, DnsAnswer answer) {
      pending.get(host).complete(answer);
    }

    @Override
    public void close() {}
  }
}
