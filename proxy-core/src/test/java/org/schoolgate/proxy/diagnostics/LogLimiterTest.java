package org.schoolgate.proxy.diagnostics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class LogLimiterTest {
  private final AtomicLong nanos = new AtomicLong(1_000);
  private final LogLimiter limiter = new LogLimiter(3, Duration.ofMinutes(1), nanos::get);

  @Test
  void writesTheBurstThenHoldsBackTheRestOfTheWindow() {
    assertEquals(0, limiter.admit());
    assertEquals(0, limiter.admit());
    assertEquals(0, limiter.admit());
    for (int i = 0; i < 50; i++) {
      assertEquals(-1, limiter.admit());
    }
  }

  @Test
  void theFirstLineOfTheNextWindowSaysHowManyWereHeldBack() {
    for (int i = 0; i < 10; i++) {
      limiter.admit();
    }
    nanos.addAndGet(Duration.ofSeconds(59).toNanos());
    assertEquals(-1, limiter.admit());
    nanos.addAndGet(Duration.ofSeconds(1).toNanos());
    assertEquals(8, limiter.admit());
    assertEquals(0, limiter.admit());
  }

  @Test
  void theNoteNamesTheCountOnlyWhenLinesWereHeldBack() {
    assertEquals("", LogLimiter.note(0));
    assertEquals(" (1 line like this one held back since the last one written)", LogLimiter.note(1));
    assertEquals(" (8 lines like this one held back since the last one written)", LogLimiter.note(8));
  }

  @Test
  void refusesAWindowOrBurstThatCannotWork() {
    assertEquals("burst must be at least 1, was 0",
        assertThrows(IllegalArgumentException.class,
            () -> new LogLimiter(0, Duration.ofMinutes(1), nanos::get)).getMessage());
    assertEquals("window must be positive, was PT0S",
        assertThrows(IllegalArgumentException.class,
            () -> new LogLimiter(1, Duration.ZERO, nanos::get)).getMessage());
  }
}
