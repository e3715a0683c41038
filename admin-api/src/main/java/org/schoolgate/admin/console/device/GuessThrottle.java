package org.schoolgate.admin.console.device;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.schoolgate.admin.signin.GuessLimits;

/**
 * Limits guesses on the device sign-in page, before a code or password is checked: at most
 * {@link GuessLimits#perAddress()} wrong attempts from one device address, and {@link GuessLimits#overall()}
 * from everyone together (many addresses guessing codes at once), per {@link GuessLimits#window()},
 * which starts at the first attempt. An attempt counts when it begins (so parallel attempts cannot
 * slip past) and is taken back when it turns out right or could not be checked. Past a limit the
 * page says when the window ends. State lives in memory: one Caffeine cache on the injected clock,
 * bounded in size, entries gone once their window is over; a restart forgets it.
 */
final class GuessThrottle {
  private static final int MAX_ADDRESSES = 100_000;

  /** Whether an attempt may be checked. */
  sealed interface Verdict {
    /** Check it; report the result with {@link #settle}. */
    record Go() implements Verdict {}

    /** Too many wrong tries from this device ({@code everyone} false) or from everyone: wait until {@code until}. */
    record Wait(Instant until, boolean everyone) implements Verdict {}
  }

  private record Window(Instant start, int attempts) {}

  private static final Object OVERALL = new Object();

  private final GuessLimits limits;
  private final Clock clock;
  private final Cache<Object, Window> windows;

  GuessThrottle(GuessLimits limits, Clock clock) {
    this.limits = Objects.requireNonNull(limits, "limits");
    this.clock = Objects.requireNonNull(clock, "clock");
    Ticker ticker = () -> TimeUnit.MILLISECONDS.toNanos(clock.millis());
    this.windows = Caffeine.newBuilder().ticker(ticker).maximumSize(MAX_ADDRESSES)
        .expireAfterWrite(limits.window()).build();
  }

  /** An attempt from {@code address} begins. */
  Verdict begin(InetAddress address) {
    Instant now = clock.instant();
    Window everyone = windows.asMap().compute(OVERALL, (k, w) -> current(w, now));
    if (everyone.attempts() >= limits.overall()) {
      return new Verdict.Wait(everyone.start().plus(limits.window()), true);
    }
    Window[] full = new Window[1];
    windows.asMap().compute(address, (k, w) -> {
      Window c = current(w, now);
      if (c.attempts() >= limits.perAddress()) {
        full[0] = c;
        return c;
      }
      return new Window(c.start(), c.attempts() + 1);
    });
    if (full[0] != null) {
      return new Verdict.Wait(full[0].start().plus(limits.window()), false);
    }
    windows.asMap().compute(OVERALL, (k, w) -> {
      Window c = current(w, now);
      return new Window(c.start(), c.attempts() + 1);
    });
    return new Verdict.Go();
  }

  /** The attempt {@link #begin} let through was wrong ({@code wrong}) or not: only a wrong one keeps counting. */
  void settle(InetAddress address, boolean wrong) {
    if (!wrong) {
      windows.asMap().computeIfPresent(address, (k, w) -> new Window(w.start(), Math.max(0, w.attempts() - 1)));
      windows.asMap().computeIfPresent(OVERALL, (k, w) -> new Window(w.start(), Math.max(0, w.attempts() - 1)));
    }
  }

  private Window current(Window w, Instant now) {
    return w == null || !now.isBefore(w.start().plus(limits.window())) ? new Window(now, 0) : w;
  }
}
