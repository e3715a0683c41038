package org.schoolgate.proxy.content;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAccumulator;

/**
 * The response bytes the proxy holds back from clients while it decides (the HTML look-ahead of
 * groups with {@code block} rules): now, in total, and the most one response ever held. Shared
 * by the event loops (a few atomic adds per held piece); the proxy's meters read it, and tests
 * assert with it that memory stays flat and the look-ahead never holds more than its limit.
 */
public final class HeldBytes {
  private final AtomicLong now = new AtomicLong();
  private final LongAccumulator mostPerResponse = new LongAccumulator(Math::max, 0);

  /** {@code n} more bytes are held by a response that now holds {@code responseTotal}. */
  public void hold(long n, long responseTotal) {
    now.addAndGet(n);
    mostPerResponse.accumulate(responseTotal);
  }

  /** {@code n} held bytes were forwarded or dropped. */
  public void release(long n) {
    now.addAndGet(-n);
  }

  /** Bytes held now, over all responses. */
  public long now() {
    return now.get();
  }

  /** The most one response has held at once since the proxy started. */
  public long mostPerResponse() {
    return mostPerResponse.get();
  }
}
