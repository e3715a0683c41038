package org.schoolgate.resolver.limit;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import java.net.InetAddress;
import java.time.Duration;
import org.schoolgate.resolver.DnsFilterConfig.RateLimit;

/**
 * Queries per second per client address, by the generic cell rate algorithm: each client has a
 * theoretical arrival time that moves one interval ({@code 1 s / perSecond}) per query allowed; a
 * query is allowed while that time is no more than {@code burst} intervals ahead of now. One
 * {@code long} per client, kept in a bounded Caffeine cache that forgets clients quiet for longer
 * than a full burst takes to drain. Time comes from the injected {@link Ticker}.
 *
 * <p>Confined to the resolver's event loop (the cache runs its upkeep on the calling thread): no
 * locks of ours, nothing blocks.
 */
public final class ClientRateLimiter {
  /** Most clients remembered; beyond it the least recently seen are forgotten (and start afresh). */
  static final int MAX_CLIENTS = 100_000;

  private final boolean enabled;
  private final long interval;
  private final long tolerance;
  private final Ticker ticker;
  private final Cache<InetAddress, long[]> clients;

  public ClientRateLimiter(RateLimit limit, Ticker ticker) {
    this.enabled = limit.enabled();
    this.interval = enabled ? 1_000_000_000L / limit.perSecond() : 0;
    this.tolerance = interval * limit.burst();
    this.ticker = ticker;
    this.clients = Caffeine.newBuilder()
        .maximumSize(MAX_CLIENTS)
        .expireAfterAccess(Duration.ofNanos(Math.max(tolerance, 1_000_000_000L)))
        .executor(Runnable::run)
        .ticker(ticker)
        .build();
  }

  /** True when {@code client} may send one more query now; false: over its limit. */
  public boolean tryAcquire(InetAddress client) {
    if (!enabled) {
      return true;
    }
    long now = ticker.read();
    long[] tat = clients.get(client, c -> new long[] {now});
    long next = Math.max(tat[0], now) + interval;
    if (next - now > tolerance) {
      return false;
    }
    tat[0] = next;
    return true;
  }
}
