package org.schoolgate.resolver.upstream;

import java.time.Duration;

/**
 * The floor and cap on how long an upstream answer is cached and what TTL clients are told, in
 * seconds. A negative answer (NXDOMAIN, or no records of the type) lives as long as its SOA says
 * (the smaller of the SOA's TTL and its minimum field), or {@link #NEGATIVE_WITHOUT_SOA} when the
 * upstream sent none; both within the bounds.
 */
public record TtlBounds(long minSeconds, long maxSeconds) {
  /** A negative answer without an SOA record (the upstream gave no hint). */
  static final long NEGATIVE_WITHOUT_SOA = 30;

  public TtlBounds {
    if (minSeconds < 0 || maxSeconds < minSeconds) {
      throw new IllegalArgumentException("ttl bounds " + minSeconds + ".." + maxSeconds
          + " (expected: 0 <= min <= max)");
    }
  }

  public static TtlBounds of(Duration min, Duration max) {
    return new TtlBounds(min.toSeconds(), max.toSeconds());
  }

  long clamp(long seconds) {
    return Math.max(minSeconds, Math.min(maxSeconds, seconds));
  }
}
