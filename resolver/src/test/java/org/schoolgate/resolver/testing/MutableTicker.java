package org.schoolgate.resolver.testing;

import com.github.benmanes.caffeine.cache.Ticker;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/** A ticker tests move by hand: the cache's and the rate limiter's time, never slept through. */
public final class MutableTicker implements Ticker {
  private final AtomicLong nanos = new AtomicLong(1_000_000_000L);

  public void advance(Duration d) {
    nanos.addAndGet(d.toNanos());
  }

  @Override
  public long read() {
    return nanos.get();
  }
}
