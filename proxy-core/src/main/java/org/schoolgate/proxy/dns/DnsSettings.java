package org.schoolgate.proxy.dns;

import java.time.Duration;

/**
 * Cache bounds for DNS answers: TTLs are clamped to [{@code minTtl}, {@code maxTtl}]; failures are
 * remembered for {@code negativeTtl}.
 */
public record DnsSettings(
    Duration minTtl, Duration maxTtl, Duration negativeTtl, Duration queryTimeout, int maxEntries) {

  /** 5 s .. 10 min, failures 10 s, 5 s per query, 100,000 names. */
  public static final DnsSettings DEFAULTS = new DnsSettings(
      Duration.ofSeconds(5), Duration.ofMinutes(10), Duration.ofSeconds(10), Duration.ofSeconds(5),
      100_000);

  public DnsSettings {
    if (minTtl.isNegative() || maxTtl.compareTo(minTtl) < 0) {
      throw new IllegalArgumentException("dns ttl bounds " + minTtl + ".." + maxTtl
          + " (expected: 0 <= minTtl <= maxTtl)");
    }
    if (negativeTtl.isNegative() || queryTimeout.isNegative() || queryTimeout.isZero()) {
      throw new IllegalArgumentException("dns negativeTtl " + negativeTtl + ", queryTimeout "
          + queryTimeout + " (expected: negativeTtl >= 0, queryTimeout > 0)");
    }
    if (maxEntries < 1) {
      throw new IllegalArgumentException("dns maxEntries " + maxEntries + " (expected: >= 1)");
    }
  }

  Duration clamp(Duration ttl) {
    return ttl.compareTo(minTtl) < 0 ? minTtl : ttl.compareTo(maxTtl) > 0 ? maxTtl : ttl;
  }
}
