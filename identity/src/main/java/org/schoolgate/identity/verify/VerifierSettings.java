package org.schoolgate.identity.verify;

import java.time.Duration;
import java.util.Objects;

/**
 * How the {@link CredentialVerifier} caches, throttles and protects the directory. Validated here
 * with messages that say the value and what is expected.
 *
 * @param cacheFor how long a verified password (and a user's groups) is trusted without asking
 *     the directory again: a changed password or group takes effect at most this much later, and a
 *     directory outage is bridged for as long
 * @param maxCachedUsers the most verified credentials held (10,000 users take ~5 MB)
 * @param lockoutThreshold the directory's own account lock-out threshold (AD: "Account lockout
 *     threshold"); 0 when it has none. The proxy binds with a wrong password at most
 *     {@link #failuresPerUser()} times per window, so it never locks an account
 * @param lockoutWindow the directory's "reset lock-out counter after": failures are remembered this
 *     long after the last one
 * @param failuresPerClient wrong passwords one client address may send per window (any user names)
 * @param threads threads checking credentials (they wait on the directory, not the CPU)
 * @param queue checks waiting for a thread at most; more are answered unavailable and counted
 * @param circuitOpenFor how long the directory is not asked after the circuit opened (half of the
 *     last 10 calls failed or timed out, at least 5 calls)
 * @param failuresPerUser wrong passwords the proxy lets through to the directory per user name per
 *     window; always below {@code lockoutThreshold} (when there is one), so the proxy never locks an
 *     account. Default: two fewer than the threshold (leaving the person their own attempts at
 *     their computer), or {@value #NO_LOCKOUT_LIMIT} when the directory has none
 */
public record VerifierSettings(Duration cacheFor, int maxCachedUsers, int lockoutThreshold, Duration lockoutWindow,
    int failuresPerClient, int threads, int queue, Duration circuitOpenFor, int failuresPerUser) {

  /** The proxy's own limit per user name when the directory has no lock-out. */
  public static final int NO_LOCKOUT_LIMIT = 10;

  /** Five minutes' cache, a lock-out threshold of 5 in 30 minutes, 20 failures per client, 4 threads. */
  public static final VerifierSettings DEFAULTS = new VerifierSettings(Duration.ofMinutes(5), 50_000, 5,
      Duration.ofMinutes(30), 20, 4, 1_000, Duration.ofSeconds(30));

  /** Settings with the default {@code failuresPerUser} for {@code lockoutThreshold}. */
  public VerifierSettings(Duration cacheFor, int maxCachedUsers, int lockoutThreshold, Duration lockoutWindow,
      int failuresPerClient, int threads, int queue, Duration circuitOpenFor) {
    this(cacheFor, maxCachedUsers, lockoutThreshold, lockoutWindow, failuresPerClient, threads, queue, circuitOpenFor,
        defaultFailuresPerUser(lockoutThreshold));
  }

  public VerifierSettings {
    Objects.requireNonNull(cacheFor, "cacheFor");
    Objects.requireNonNull(lockoutWindow, "lockoutWindow");
    Objects.requireNonNull(circuitOpenFor, "circuitOpenFor");
    if (cacheFor.isNegative() || cacheFor.isZero() || cacheFor.compareTo(Duration.ofDays(1)) > 0) {
      throw new IllegalArgumentException("cache-for is " + cacheFor + " (expected: more than 0 and at most 1d;"
          + " a changed password is accepted until then)");
    }
    if (maxCachedUsers < 1) {
      throw new IllegalArgumentException("max-cached-users is " + maxCachedUsers + " (expected: at least 1)");
    }
    if (lockoutThreshold != 0 && lockoutThreshold < 3) {
      throw new IllegalArgumentException("lockout-threshold is " + lockoutThreshold
          + " (expected: 0 when the directory never locks accounts, or at least 3: the proxy stays two"
          + " attempts below it)");
    }
    if (lockoutWindow.isNegative() || lockoutWindow.isZero()) {
      throw new IllegalArgumentException("lockout-window is " + lockoutWindow + " (expected: more than 0,"
          + " the directory's 'reset lock-out counter after')");
    }
    if (failuresPerClient < 1) {
      throw new IllegalArgumentException("failures-per-client is " + failuresPerClient + " (expected: at least 1)");
    }
    if (threads < 1 || threads > 64) {
      throw new IllegalArgumentException("threads is " + threads + " (expected: 1-64)");
    }
    if (queue < 1) {
      throw new IllegalArgumentException("queue is " + queue + " (expected: at least 1)");
    }
    if (circuitOpenFor.isNegative() || circuitOpenFor.isZero()) {
      throw new IllegalArgumentException("circuit-open-for is " + circuitOpenFor + " (expected: more than 0)");
    }
    if (failuresPerUser < 1) {
      throw new IllegalArgumentException("failures-per-user is " + failuresPerUser + " (expected: at least 1)");
    }
    if (lockoutThreshold != 0 && failuresPerUser >= lockoutThreshold) {
      throw new IllegalArgumentException("failures-per-user is " + failuresPerUser + " (expected: below"
          + " lockout-threshold " + lockoutThreshold + ", so wrong passwords sent through the proxy can never lock"
          + " the account at the directory; the default " + defaultFailuresPerUser(lockoutThreshold)
          + " leaves the person two tries of their own)");
    }
  }

  /**
   * The default per-user limit: two fewer than the lock-out threshold, or {@value #NO_LOCKOUT_LIMIT}
   * when the directory has none ({@code lockoutThreshold} 0).
   */
  public static int defaultFailuresPerUser(int lockoutThreshold) {
    return lockoutThreshold == 0 ? NO_LOCKOUT_LIMIT : Math.max(1, lockoutThreshold - 2);
  }
}
