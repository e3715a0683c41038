package org.schoolgate.resolver;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;

/**
 * How the filtering DNS resolver listens, whom it asks and how it answers. Validated when built;
 * every message names the field ({@code dns-filter.<field>}, as in the runtime configuration) and
 * the fix.
 *
 * <pre>{@code
 * DnsFilterConfig config = DnsFilterConfig.embeddedDefault()
 *     .withListen(List.of(new InetSocketAddress("0.0.0.0", 53)))
 *     .withUpstreams(List.of(new InetSocketAddress("10.0.0.2", 53)))
 *     .withBlockAnswer(BlockAnswer.parse("address 10.0.0.5"));
 * }</pre>
 *
 * @param listen addresses to answer on, each on UDP and TCP (port 0 picks a free port)
 * @param upstreams resolvers to forward to, asked in order (the next when one times out or fails);
 *     empty: the system's ({@code /etc/resolv.conf}) at start
 * @param blockAnswer what a blocked name resolves to
 * @param cacheSize most answers kept (by name and type); 0 keeps none
 * @param rateLimit queries per second and burst allowed per client address
 * @param minTtl answers are cached, and their TTLs given to clients, for at least this long
 * @param maxTtl and at most this long (so a schedule or policy change reaches devices soon)
 * @param blockTtl the TTL of block answers (and of the negative answers the resolver makes up)
 * @param queryTimeout how long one upstream has to answer before the next is asked
 */
public record DnsFilterConfig(
    List<InetSocketAddress> listen,
    List<InetSocketAddress> upstreams,
    BlockAnswer blockAnswer,
    int cacheSize,
    RateLimit rateLimit,
    Duration minTtl,
    Duration maxTtl,
    Duration blockTtl,
    Duration queryTimeout) {

  /** The port of the embedded default (port 53 needs privileges; see the README). */
  public static final int DEFAULT_PORT = 8053;
  public static final int DEFAULT_CACHE_SIZE = 10_000;
  public static final int MAX_CACHE_SIZE = 10_000_000;
  public static final Duration DEFAULT_MIN_TTL = Duration.ofSeconds(5);
  public static final Duration DEFAULT_MAX_TTL = Duration.ofMinutes(5);
  public static final Duration DEFAULT_BLOCK_TTL = Duration.ofSeconds(60);
  public static final Duration DEFAULT_QUERY_TIMEOUT = Duration.ofSeconds(2);

  public DnsFilterConfig {
    Objects.requireNonNull(listen, "dns-filter.listen is null (expected: a list of IP:PORT such as 0.0.0.0:53)");
    if (listen.isEmpty()) {
      throw new IllegalArgumentException("dns-filter.listen is empty (expected: at least one IP:PORT such as"
          + " 127.0.0.1:8053 or 0.0.0.0:53)");
    }
    listen = checkAddresses("dns-filter.listen", listen);
    Objects.requireNonNull(upstreams,
        "dns-filter.upstreams is null (expected: a list, empty for the system's resolv.conf)");
    upstreams = checkAddresses("dns-filter.upstreams", upstreams);
    for (InetSocketAddress upstream : upstreams) {
      if (upstream.getPort() == 0) {
        throw new IllegalArgumentException("dns-filter.upstreams: " + text(upstream)
            + " has port 0 (expected: the resolver's port, 53 unless it says otherwise)");
      }
      for (InetSocketAddress own : listen) {
        if (isSelf(upstream, own)) {
          throw new IllegalArgumentException("dns-filter.upstreams: " + text(upstream)
              + " is this resolver itself (listen " + text(own) + "), which would forward queries in a circle"
              + " (expected: the school's DNS servers, such as the domain controllers, or the ISP's)");
        }
      }
    }
    Objects.requireNonNull(blockAnswer, "dns-filter.block-answer is null (expected: nxdomain or address IP)");
    if (cacheSize < 0 || cacheSize > MAX_CACHE_SIZE) {
      throw new IllegalArgumentException("dns-filter.cache-size: " + cacheSize + " (expected: 0.." + MAX_CACHE_SIZE
          + "; 0 turns the cache off)");
    }
    Objects.requireNonNull(rateLimit, "dns-filter.rate-limit is null");
    checkDuration("min-ttl", minTtl, Duration.ZERO, Duration.ofDays(1));
    checkDuration("max-ttl", maxTtl, Duration.ofSeconds(1), Duration.ofDays(1));
    if (minTtl.compareTo(maxTtl) > 0) {
      throw new IllegalArgumentException("dns-filter.min-ttl " + minTtl.toSeconds() + "s is longer than max-ttl "
          + maxTtl.toSeconds() + "s (expected: min-ttl <= max-ttl)");
    }
    checkDuration("block-ttl", blockTtl, Duration.ZERO, Duration.ofHours(1));
    checkDuration("query-timeout", queryTimeout, Duration.ofMillis(50), Duration.ofSeconds(30));
  }

  /**
   * Queries per second and burst allowed per client address; over the limit a query is dropped
   * (a reply would feed a reflection attack) and counted.
   *
   * @param perSecond sustained queries per second; 0 turns the limit off
   * @param burst queries a client may send at once after being quiet
   */
  public record RateLimit(int perSecond, int burst) {
    public static final RateLimit DEFAULT = new RateLimit(100, 400);
    /** No limit. */
    public static final RateLimit OFF = new RateLimit(0, 1);

    public RateLimit {
      if (perSecond < 0 || perSecond > 1_000_000) {
        throw new IllegalArgumentException("dns-filter.rate-limit.per-second: " + perSecond
            + " (expected: 0..1000000; 0 turns the limit off)");
      }
      if (burst < 1 || burst > 10_000_000) {
        throw new IllegalArgumentException("dns-filter.rate-limit.burst: " + burst + " (expected: 1..10000000)");
      }
    }

    public boolean enabled() {
      return perSecond > 0;
    }
  }

  /**
   * The embedded default: 127.0.0.1:8053 (UDP and TCP, this machine only), the system's
   * resolvers, NXDOMAIN for blocked names (there is no block-page listener yet), 10,000 answers
   * cached, 100 queries/s per client (burst 400), TTLs 5 s .. 5 min, block answers 60 s, 2 s per
   * upstream.
   */
  public static DnsFilterConfig embeddedDefault() {
    return new DnsFilterConfig(List.of(new InetSocketAddress(InetAddress.getLoopbackAddress(), DEFAULT_PORT)),
        List.of(), BlockAnswer.NXDOMAIN, DEFAULT_CACHE_SIZE, RateLimit.DEFAULT, DEFAULT_MIN_TTL, DEFAULT_MAX_TTL,
        DEFAULT_BLOCK_TTL, DEFAULT_QUERY_TIMEOUT);
  }

  public DnsFilterConfig withListen(List<InetSocketAddress> newListen) {
    return new DnsFilterConfig(newListen, upstreams, blockAnswer, cacheSize, rateLimit, minTtl, maxTtl, blockTtl,
        queryTimeout);
  }

  /** Every listen address on {@code port} instead (0: free ports). */
  public DnsFilterConfig withPort(int port) {
    return withListen(listen.stream().map(a -> new InetSocketAddress(a.getAddress(), port)).toList());
  }

  public DnsFilterConfig withUpstreams(List<InetSocketAddress> newUpstreams) {
    return new DnsFilterConfig(listen, newUpstreams, blockAnswer, cacheSize, rateLimit, minTtl, maxTtl, blockTtl,
        queryTimeout);
  }

  public DnsFilterConfig withBlockAnswer(BlockAnswer newBlockAnswer) {
    return new DnsFilterConfig(listen, upstreams, newBlockAnswer, cacheSize, rateLimit, minTtl, maxTtl, blockTtl,
        queryTimeout);
  }

  public DnsFilterConfig withCacheSize(int newCacheSize) {
    return new DnsFilterConfig(listen, upstreams, blockAnswer, newCacheSize, rateLimit, minTtl, maxTtl, blockTtl,
        queryTimeout);
  }

  public DnsFilterConfig withRateLimit(RateLimit newRateLimit) {
    return new DnsFilterConfig(listen, upstreams, blockAnswer, cacheSize, newRateLimit, minTtl, maxTtl, blockTtl,
        queryTimeout);
  }

  public DnsFilterConfig withTtls(Duration newMinTtl, Duration newMaxTtl, Duration newBlockTtl) {
    return new DnsFilterConfig(listen, upstreams, blockAnswer, cacheSize, rateLimit, newMinTtl, newMaxTtl,
        newBlockTtl, queryTimeout);
  }

  public DnsFilterConfig withQueryTimeout(Duration newQueryTimeout) {
    return new DnsFilterConfig(listen, upstreams, blockAnswer, cacheSize, rateLimit, minTtl, maxTtl, blockTtl,
        newQueryTimeout);
  }

  /**
   * True when asking {@code upstream} would reach a resolver listening on {@code own}: the same
   * port, and the same address (or {@code own} is a wildcard and {@code upstream} is loopback or
   * a wildcard).
   */
  static boolean isSelf(InetSocketAddress upstream, InetSocketAddress own) {
    if (upstream.getPort() != own.getPort() || own.getPort() == 0) {
      return false;
    }
    InetAddress u = upstream.getAddress();
    InetAddress o = own.getAddress();
    return u.equals(o) || o.isAnyLocalAddress() && (u.isLoopbackAddress() || u.isAnyLocalAddress());
  }

  private static List<InetSocketAddress> checkAddresses(String field, List<InetSocketAddress> addresses) {
    HashSet<InetSocketAddress> seen = new HashSet<>();
    for (InetSocketAddress a : addresses) {
      if (a == null || a.isUnresolved()) {
        throw new IllegalArgumentException(field + ": " + a + " (expected: an IP address and port such as 10.0.0.2:53)");
      }
      if (!seen.add(a)) {
        throw new IllegalArgumentException(field + ": " + text(a) + " appears twice (expected: each address once)");
      }
    }
    return List.copyOf(addresses);
  }

  private static void checkDuration(String field, Duration value, Duration min, Duration max) {
    if (value == null || value.compareTo(min) < 0 || value.compareTo(max) > 0) {
      throw new IllegalArgumentException("dns-filter." + field + ": " + (value == null ? "null" : value.toMillis() + "ms")
          + " (expected: between " + min.toMillis() + "ms and " + max.toSeconds() + "s)");
    }
  }

  /** {@code 10.0.0.2:53} or {@code [fd00::2]:53}. */
  static String text(InetSocketAddress a) {
    String host = a.getAddress().getHostAddress();
    return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + a.getPort();
  }
}
