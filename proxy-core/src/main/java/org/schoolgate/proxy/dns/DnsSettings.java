package org.schoolgate.proxy.dns;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Cache bounds for DNS answers: TTLs are clamped to [{@code minTtl}, {@code maxTtl}]; failures are
 * remembered for {@code negativeTtl}. Names in {@code hostsFile} are answered from it, and the
 * file is checked for changes every {@code hostsRefresh} (zero: only when {@link
 * DnsService#refreshHostsFile} is called).
 */
public record DnsSettings(
    Duration minTtl, Duration maxTtl, Duration negativeTtl, Duration queryTimeout, int maxEntries,
    Path hostsFile, Duration hostsRefresh) {

  /** The system's hosts file. */
  public static final Path SYSTEM_HOSTS_FILE = Path.of("/etc/hosts");
  /** How often the hosts file is checked for changes by default. */
  public static final Duration DEFAULT_HOSTS_REFRESH = Duration.ofSeconds(2);

  /** 5 s .. 10 min, failures 10 s, 5 s per query, 100,000 names, /etc/hosts checked every 2 s. */
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
    Objects.requireNonNull(hostsFile,
        "dns hostsFile is null (expected: a path such as /etc/hosts; it need not exist)");
    if (hostsRefresh == null || hostsRefresh.isNegative()) {
      throw new IllegalArgumentException("dns hostsRefresh " + hostsRefresh
          + " (expected: >= 0, e.g. 2 s; 0 turns the periodic check off)");
    }
  }

  /** Settings reading /etc/hosts every 2 s. */
  public DnsSettings(Duration minTtl, Duration maxTtl, Duration negativeTtl,
      Duration queryTimeout, int maxEntries) {
    this(minTtl, maxTtl, negativeTtl, queryTimeout, maxEntries, SYSTEM_HOSTS_FILE,
        DEFAULT_HOSTS_REFRESH);
  }

  /** These settings with another hosts file and refresh period. */
  public DnsSettings withHostsFile(Path file, Duration refresh) {
    return new DnsSettings(minTtl, maxTtl, negativeTtl, queryTimeout, maxEntries, file, refresh);
  }

  Duration clamp(Duration ttl) {
    return ttl.compareTo(minTtl) < 0 ? minTtl : ttl.compareTo(maxTtl) > 0 ? maxTtl : ttl;
  }
}
