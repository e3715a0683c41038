package org.schoolgate.admin.signin;

import java.time.Duration;
import java.util.Objects;

/**
 * How many guesses the device sign-in page takes before it asks people to wait ({@code
 * admin.device-sign-in-limits} in the runtime configuration): wrong codes or passwords from one
 * device address, and from everyone together, per window (which starts at the first attempt).
 * Messages start with the configuration key.
 *
 * @param perAddress wrong attempts one device address may make per window (default 5)
 * @param overall wrong attempts everyone together may make per window (default 100), at least
 *     {@code perAddress}
 * @param window how long attempts are counted from the first (default 10 minutes), 1 minute to 1 day
 */
public record GuessLimits(int perAddress, int overall, Duration window) {
  /** Five wrong tries per device, a hundred on the whole page, per ten minutes. */
  public static final GuessLimits DEFAULTS = new GuessLimits(5, 100, Duration.ofMinutes(10));

  public GuessLimits {
    if (perAddress < 1 || perAddress > 1_000) {
      throw new IllegalArgumentException("per-address is " + perAddress + " (expected: 1-1000, e.g. 5)");
    }
    if (overall < perAddress || overall > 1_000_000) {
      throw new IllegalArgumentException("overall is " + overall + " (expected: at least per-address, " + perAddress
          + ", and at most 1000000; e.g. 100)");
    }
    Objects.requireNonNull(window, "window (expected: a duration such as 10m)");
    if (window.compareTo(Duration.ofMinutes(1)) < 0 || window.compareTo(Duration.ofDays(1)) > 0) {
      throw new IllegalArgumentException("window is " + window + " (expected: 1m to 1d, e.g. 10m)");
    }
  }
}
