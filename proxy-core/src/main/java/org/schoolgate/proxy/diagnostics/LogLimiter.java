package org.schoolgate.proxy.diagnostics;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Lets at most {@code burst} lines of one kind through per window and counts the rest, so a client
 * that repeats what earns a diagnostic line (a Host header that disagrees with the target, a
 * refused tunnel, a look-alike host) on every request cannot flood the proxy's log or slow the
 * event loop writing it. Nothing held back is lost silently: the next line let through says how
 * many like it were not written.
 *
 * <p>One instance per call site, shared by every event loop: the window and the counts are
 * atomics, no lock. {@link #admit()} answers {@code -1} (write nothing) or how many lines were held
 * back since the last one written; {@link #note(long)} turns that into the text to append.
 */
public final class LogLimiter {
  private final int burst;
  private final long windowNanos;
  private final LongSupplier ticker;
  private final AtomicLong windowStart;
  private final AtomicLong inWindow = new AtomicLong();
  private final AtomicLong heldBack = new AtomicLong();

  LogLimiter(int burst, Duration window, LongSupplier ticker) {
    if (burst < 1) {
      throw new IllegalArgumentException("burst must be at least 1, was " + burst);
    }
    if (window.isNegative() || window.isZero()) {
      throw new IllegalArgumentException("window must be positive, was " + window);
    }
    this.burst = burst;
    this.windowNanos = window.toNanos();
    this.ticker = ticker;
    this.windowStart = new AtomicLong(ticker.getAsLong());
  }

  /** At most {@code burst} lines a minute. */
  public static LogLimiter perMinute(int burst) {
    return new LogLimiter(burst, Duration.ofMinutes(1), System::nanoTime);
  }

  /**
   * {@code -1}: do not write this line (it is counted); otherwise write it, and the answer is how
   * many lines of this kind were held back before it.
   */
  public long admit() {
    long now = ticker.getAsLong();
    long start = windowStart.get();
    if (now - start >= windowNanos && windowStart.compareAndSet(start, now)) {
      inWindow.set(0);
    }
    if (inWindow.incrementAndGet() > burst) {
      heldBack.incrementAndGet();
      return -1;
    }
    return heldBack.getAndSet(0);
  }

  /** The text to append to a line written after {@code heldBack} were not: empty when none were. */
  public static String note(long heldBack) {
    if (heldBack <= 0) {
      return "";
    }
    return " (" + heldBack + (heldBack == 1 ? " line" : " lines")
        + " like this one held back since the last one written)";
  }
}
