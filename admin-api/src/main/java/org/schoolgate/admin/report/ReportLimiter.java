package org.schoolgate.admin.report;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * At most {@code max} reports per client address in a window that starts with the address's first
 * report (entries expire with the window, on the injected clock; at most 100,000 addresses kept).
 */
final class ReportLimiter {
  private final int max;
  private final Duration window;
  private final Cache<String, AtomicInteger> counts;

  ReportLimiter(int max, Duration window, Clock clock) {
    this.max = max;
    this.window = window;
    this.counts = Caffeine.newBuilder().expireAfterWrite(window).maximumSize(100_000)
        .ticker(() -> clock.millis() * 1_000_000L).build();
  }

  /** Counts one report from {@code address}; false when it is over the limit. */
  boolean allow(String address) {
    return counts.get(address == null ? "unknown" : address, a -> new AtomicInteger()).incrementAndGet() <= max;
  }

  int max() {
    return max;
  }

  Duration window() {
    return window;
  }
}
