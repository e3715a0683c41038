package org.schoolgate.admin.signin;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.schoolgate.admin.signin.SignInThrottle.Verdict;
import org.schoolgate.policy.testing.MutableClock;

/** The throttle's decisions on a clock the test moves. */
class SignInThrottleTest {
  private static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");
  private final MutableClock clock = new MutableClock(T0);
  private final SignInThrottle throttle = new SignInThrottle(SignInLimits.DEFAULTS, clock);

  private Verdict fail(String user, String address) {
    Verdict v = throttle.begin(user, address);
    if (v instanceof Verdict.Proceed) {
      throttle.failed(user);
    }
    return v;
  }

  @Test
  void theFifthFailureLocksThatAddressForAMinuteDoublingUpToAnHourAndOthersAreUntouched() {
    for (int i = 0; i < 5; i++) {
      assertThat(fail("dsl.one", "10.0.0.66")).isEqualTo(new Verdict.Proceed(Duration.ZERO));
    }
    assertThat(throttle.begin("dsl.one", "10.0.0.66")).isEqualTo(new Verdict.Locked(T0.plusSeconds(60), true));
    assertThat(throttle.begin("DSL.One", "10.0.0.66")).isEqualTo(new Verdict.Locked(T0.plusSeconds(60), false));
    assertThat(throttle.begin("dsl.one", "10.0.0.7")).isEqualTo(new Verdict.Proceed(Duration.ZERO));

    long[] minutes = {2, 4, 8, 16, 32, 60, 60};
    Instant now = T0.plusSeconds(60);
    for (long m : minutes) {
      clock.set(now);
      assertThat(fail("dsl.one", "10.0.0.66")).isInstanceOf(Verdict.Proceed.class);
      assertThat(throttle.begin("dsl.one", "10.0.0.66")).isEqualTo(new Verdict.Locked(now.plus(Duration.ofMinutes(m)),
          true));
      now = now.plus(Duration.ofMinutes(m));
    }
  }

  @Test
  void aSuccessStartsTheAddressAfresh() {
    for (int i = 0; i < 4; i++) {
      fail("dsl.one", "10.0.0.66");
    }
    assertThat(throttle.begin("dsl.one", "10.0.0.66")).isInstanceOf(Verdict.Proceed.class);
    throttle.succeeded("dsl.one", "10.0.0.66");

    for (int i = 0; i < 4; i++) {
      assertThat(fail("dsl.one", "10.0.0.66")).isInstanceOf(Verdict.Proceed.class);
    }
  }

  @Test
  void twentyFailuresFromManyAddressesSlowEveryAttemptUpToTenSecondsAndTheWindowForgetsThem() {
    for (int i = 0; i < 19; i++) {
      fail("dsl.one", "10.0.2." + i);
    }
    assertThat(throttle.begin("dsl.one", "10.0.3.1")).isEqualTo(new Verdict.Proceed(Duration.ZERO));
    throttle.failed("dsl.one");
    assertThat(throttle.begin("dsl.one", "10.0.3.2")).isEqualTo(new Verdict.Proceed(Duration.ofSeconds(1)));
    for (int i = 0; i < 30; i++) {
      fail("dsl.one", "10.0.4." + i);
    }
    assertThat(throttle.begin("dsl.one", "10.0.3.3")).isEqualTo(new Verdict.Proceed(Duration.ofSeconds(10)));
    assertThat(throttle.begin("someone.else", "10.0.3.3")).isEqualTo(new Verdict.Proceed(Duration.ZERO));

    clock.advance(Duration.ofMinutes(15).plusSeconds(1));
    assertThat(throttle.begin("dsl.one", "10.0.3.4")).isEqualTo(new Verdict.Proceed(Duration.ZERO));
  }
}
