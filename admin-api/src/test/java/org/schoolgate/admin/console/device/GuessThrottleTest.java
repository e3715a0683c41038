package org.schoolgate.admin.console.device;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import org.schoolgate.admin.signin.GuessLimits;
import org.junit.jupiter.api.Test;
import org.schoolgate.policy.testing.MutableClock;

/** The sign-in page's guess throttle on a clock the test moves: per device, for everyone, windows that end. */
class GuessThrottleTest {
  private static final Instant START = Instant.parse("2026-11-23T08:00:00Z");
  private final MutableClock clock = new MutableClock(START);
  private final GuessThrottle throttle = new GuessThrottle(new GuessLimits(3, 5, Duration.ofMinutes(10)),
      clock);

  private static InetAddress device(int n) throws Exception {
    return InetAddress.getByName("10.99.0." + n);
  }

  private GuessThrottle.Verdict wrong(InetAddress a) {
    GuessThrottle.Verdict v = throttle.begin(a);
    if (v instanceof GuessThrottle.Verdict.Go) {
      throttle.settle(a, true);
    }
    return v;
  }

  @Test
  void aDeviceWaitsAfterItsWrongTriesUntilItsWindowEnds() throws Exception {
    for (int i = 0; i < 3; i++) {
      assertThat(wrong(device(1))).isInstanceOf(GuessThrottle.Verdict.Go.class);
    }
    clock.advance(Duration.ofMinutes(4));
    assertThat(throttle.begin(device(1))).isEqualTo(new GuessThrottle.Verdict.Wait(START.plusSeconds(600), false));
    clock.advance(Duration.ofMinutes(6));
    assertThat(throttle.begin(device(1))).isInstanceOf(GuessThrottle.Verdict.Go.class);
  }

  @Test
  void rightAnswersAreTakenBackAndManyDevicesTogetherHitTheOverallLimit() throws Exception {
    for (int i = 0; i < 10; i++) {
      assertThat(throttle.begin(device(2))).isInstanceOf(GuessThrottle.Verdict.Go.class);
      throttle.settle(device(2), false); // signed in: not a guess
    }
    for (int n = 10; n < 15; n++) {
      assertThat(wrong(device(n))).isInstanceOf(GuessThrottle.Verdict.Go.class);
    }
    assertThat(throttle.begin(device(20))).isEqualTo(new GuessThrottle.Verdict.Wait(START.plusSeconds(600), true));
    clock.advance(Duration.ofMinutes(10));
    assertThat(throttle.begin(device(20))).isInstanceOf(GuessThrottle.Verdict.Go.class);
  }

  @Test
  void limitsAreChecked() {
    assertThatThrownBy(() -> new GuessLimits(0, 5, Duration.ofMinutes(1)))
        .hasMessage("per-address is 0 (expected: 1-1000, e.g. 5)");
    assertThatThrownBy(() -> new GuessLimits(5, 4, Duration.ofMinutes(1)))
        .hasMessage("overall is 4 (expected: at least per-address, 5, and at most 1000000; e.g. 100)");
    assertThatThrownBy(() -> new GuessLimits(5, 5, Duration.ZERO))
        .hasMessage("window is PT0S (expected: 1m to 1d, e.g. 10m)");
  }
}
