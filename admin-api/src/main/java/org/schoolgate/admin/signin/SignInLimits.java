package org.schoolgate.admin.signin;

import java.time.Duration;
import java.util.Objects;

/**
 * How sign-in failures are throttled ({@code admin.sign-in-limits} in the runtime configuration;
 * messages start with its key).
 *
 * @param addressFailures failures in a row for one account from one client address before that
 *     address is locked out of that account (default 5)
 * @param firstLock the first lock-out of an address (default 1 minute); each further failure
 *     doubles it
 * @param maxLock the longest lock-out (default 1 hour)
 * @param accountFailures failures for one account from all addresses together within {@code
 *     accountWindow} after which every sign-in to it is slowed (default 20)
 * @param accountWindow the window {@code accountFailures} are counted in (default 15 minutes)
 * @param slowStep how much later each attempt is answered per failure over {@code
 *     accountFailures} (default 1 second)
 * @param maxSlow the longest an attempt is held back (default 10 seconds)
 */
public record SignInLimits(int addressFailures, Duration firstLock, Duration maxLock, int accountFailures,
    Duration accountWindow, Duration slowStep, Duration maxSlow) {
  /** 5 failures per address, 1 minute doubling to 1 hour; 20 per account in 15 minutes, +1 s up to 10 s. */
  public static final SignInLimits DEFAULTS = new SignInLimits(5, Duration.ofMinutes(1), Duration.ofHours(1), 20,
      Duration.ofMinutes(15), Duration.ofSeconds(1), Duration.ofSeconds(10));

  public SignInLimits {
    if (addressFailures < 1 || addressFailures > 100) {
      throw new IllegalArgumentException("address-failures is " + addressFailures + " (expected: 1-100, e.g. 5)");
    }
    if (accountFailures < addressFailures) {
      throw new IllegalArgumentException("account-failures is " + accountFailures + " (expected: at least"
          + " address-failures, " + addressFailures + ", e.g. 20: one address alone is locked before the account slows)");
    }
    positive(firstLock, "first-lock", "1m");
    positive(maxLock, "max-lock", "1h");
    positive(accountWindow, "account-window", "15m");
    positive(slowStep, "slow-step", "1s");
    positive(maxSlow, "max-slow", "10s");
    if (maxLock.compareTo(firstLock) < 0) {
      throw new IllegalArgumentException("max-lock is " + maxLock + " (expected: at least first-lock, " + firstLock
          + ")");
    }
    if (maxSlow.compareTo(Duration.ofMinutes(1)) > 0) {
      throw new IllegalArgumentException("max-slow is " + maxSlow
          + " (expected: at most 1m, a few seconds: slowing must never lock the owner out)");
    }
  }

  private static void positive(Duration d, String field, String example) {
    Objects.requireNonNull(d, field + " (expected: a duration such as " + example + ")");
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(field + " is " + d + " (expected: more than 0, e.g. " + example + ")");
    }
  }
}
