package org.schoolgate.resolver.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Every meter of the filtering DNS resolver, registered at start against an injected registry.
 * Tags come from the enums below: never a client, a user or a name.
 *
 * <ul>
 *   <li>{@code schoolgate.dns.queries{action,qtype}}: every query by what became of it and its
 *       type bucket ({@code a}, {@code aaaa}, {@code https} for HTTPS and SVCB, {@code other})
 *   <li>{@code schoolgate.dns.cache{result}}: forwarded queries answered from the cache
 *       ({@code hit}), sent upstream ({@code miss}) or joined to the same question already in
 *       flight ({@code joined})
 *   <li>{@code schoolgate.dns.upstream.failures{reason}}: upstream attempts that failed:
 *       {@code timeout}, {@code servfail}, {@code refused}, {@code error}
 *   <li>{@code schoolgate.dns.upstream.latency}: one upstream attempt, sent to answered
 *   <li>{@code schoolgate.dns.truncated}: answers too large for the client's UDP size, sent
 *       truncated (the client retries over TCP)
 *   <li>{@code schoolgate.dns.stripped}: HTTPS/SVCB records removed from answers
 *   <li>{@code schoolgate.dns.tcp.refused}: TCP connections closed at once (too many, in all or
 *       from one client)
 *   <li>{@code schoolgate.dns.cache.entries}, {@code schoolgate.dns.inflight}: gauges
 * </ul>
 */
public final class ResolverMetrics {
  public static final String QUERIES = "schoolgate.dns.queries";
  public static final String CACHE = "schoolgate.dns.cache";
  public static final String UPSTREAM_FAILURES = "schoolgate.dns.upstream.failures";
  public static final String UPSTREAM_LATENCY = "schoolgate.dns.upstream.latency";
  public static final String TRUNCATED = "schoolgate.dns.truncated";
  public static final String STRIPPED = "schoolgate.dns.stripped";
  public static final String TCP_REFUSED = "schoolgate.dns.tcp.refused";
  public static final String CACHE_ENTRIES = "schoolgate.dns.cache.entries";
  public static final String INFLIGHT = "schoolgate.dns.inflight";

  /** What became of a query. */
  public enum Outcome {
    /** Answered from the upstream resolvers or the cache (also SERVFAIL when they failed). */
    ALLOW,
    /** Answered by the policy or a bypass rule instead (block address, NXDOMAIN, NODATA). */
    BLOCK,
    /** Refused: not a client, ANY, zone transfers, a class other than IN. */
    REJECT,
    /** Over the client's rate limit: dropped without a reply. */
    RATE_LIMITED,
    /** Not a well-formed query: FORMERR or NOTIMP, or dropped when it was no query at all. */
    MALFORMED
  }

  /** A query type's bucket. */
  public enum Qtype {
    A, AAAA, HTTPS, OTHER;

    /** The bucket of query type {@code type} (64 SVCB and 65 HTTPS are both {@code https}). */
    public static Qtype of(int type) {
      return switch (type) {
        case 1 -> A;
        case 28 -> AAAA;
        case 64, 65 -> HTTPS;
        default -> OTHER;
      };
    }
  }

  /** Why an upstream attempt failed. */
  public enum Failure { TIMEOUT, SERVFAIL, REFUSED, ERROR }

  /** Where a forwarded answer came from. */
  public enum Cache { HIT, MISS, JOINED }

  private final Counter[][] queries = new Counter[Outcome.values().length][Qtype.values().length];
  private final Counter[] failures = new Counter[Failure.values().length];
  private final Counter[] cache = new Counter[Cache.values().length];
  private final Timer latency;
  private final Counter truncated;
  private final Counter stripped;
  private final Counter tcpRefused;
  private final MeterRegistry registry;

  public ResolverMetrics(MeterRegistry registry) {
    this.registry = Objects.requireNonNull(registry, "registry");
    for (Outcome o : Outcome.values()) {
      for (Qtype q : Qtype.values()) {
        queries[o.ordinal()][q.ordinal()] = Counter.builder(QUERIES).tag("action", tag(o)).tag("qtype", tag(q))
            .description("DNS queries by what became of them and their type").register(registry);
      }
    }
    for (Failure f : Failure.values()) {
      failures[f.ordinal()] = Counter.builder(UPSTREAM_FAILURES).tag("reason", tag(f))
          .description("Upstream DNS attempts that failed (the next upstream is asked)").register(registry);
    }
    for (Cache c : Cache.values()) {
      cache[c.ordinal()] = Counter.builder(CACHE).tag("result", tag(c))
          .description("Forwarded DNS queries: from the cache, sent upstream, or joined to one in flight")
          .register(registry);
    }
    latency = Timer.builder(UPSTREAM_LATENCY).description("One upstream DNS attempt, sent to answered")
        .register(registry);
    truncated = Counter.builder(TRUNCATED)
        .description("DNS answers too large for the client's UDP size, sent truncated").register(registry);
    stripped = Counter.builder(STRIPPED)
        .description("HTTPS/SVCB records removed from DNS answers (groups whose tunnels policy blocks ECH)")
        .register(registry);
    tcpRefused = Counter.builder(TCP_REFUSED)
        .description("DNS-over-TCP connections closed at once: too many in all or from one client")
        .register(registry);
  }

  private static String tag(Enum<?> e) {
    return e.name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /** Registers the gauges over the resolver's cache and its questions in flight. */
  public void bindGauges(LongSupplier cacheEntries, LongSupplier inflight) {
    Gauge.builder(CACHE_ENTRIES, cacheEntries::getAsLong).description("DNS answers cached")
        .register(registry);
    Gauge.builder(INFLIGHT, inflight::getAsLong).description("DNS questions waiting for an upstream")
        .register(registry);
  }

  public void query(Outcome outcome, int qtype) {
    queries[outcome.ordinal()][Qtype.of(qtype).ordinal()].increment();
  }

  public void upstreamFailure(Failure failure) {
    failures[failure.ordinal()].increment();
  }

  public void cache(Cache result) {
    cache[result.ordinal()].increment();
  }

  public void upstreamLatency(long nanos) {
    latency.record(nanos, TimeUnit.NANOSECONDS);
  }

  public void truncated() {
    truncated.increment();
  }

  public void stripped(int records) {
    stripped.increment(records);
  }

  public void tcpRefused() {
    tcpRefused.increment();
  }
}
