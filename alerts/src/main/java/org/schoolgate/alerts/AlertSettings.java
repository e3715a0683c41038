package org.schoolgate.alerts;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import org.schoolgate.policy.search.AlertPolicy;

/**
 * The engine's queue and retry settings, and the rules' fallback tuning: the rules read their
 * thresholds, windows and themes from the policy ({@link AlertPolicy}, {@code alerts:}) when the
 * engine is given a policy, and from {@link #toPolicy()} otherwise.
 *
 * @param repeatThreshold blocked requests by one person in one category within {@code repeatWindow}
 *     that raise a repeated-attempts alert
 * @param repeatThresholds per-category overrides of {@code repeatThreshold} (e.g. extremism: 3)
 * @param repeatWindow the repeated-attempts window
 * @param circumventionWindow one circumvention alert per person per this long
 * @param queueCapacity events waiting for the rules; more are dropped and counted
 * @param firstRetry the first wait after the store was unavailable (doubled up to {@code maxRetry})
 * @param maxRetry the longest wait between attempts to raise an alert
 */
public record AlertSettings(int repeatThreshold, Map<String, Integer> repeatThresholds, Duration repeatWindow,
    Duration circumventionWindow, int queueCapacity, Duration firstRetry, Duration maxRetry) {
  /** 5 in 10 minutes (3 for extremism), circumvention grouped per 10 minutes, 65 536 queued events. */
  public static final AlertSettings DEFAULTS = new AlertSettings(5, Map.of("extremism", 3),
      Duration.ofMinutes(10), Duration.ofMinutes(10), 65_536, Duration.ofMillis(200), Duration.ofSeconds(30));

  public AlertSettings {
    if (repeatThreshold < 1) {
      throw new IllegalArgumentException("repeat threshold " + repeatThreshold + " (expected: >= 1)");
    }
    repeatThresholds = Map.copyOf(Objects.requireNonNull(repeatThresholds, "repeatThresholds"));
    repeatThresholds.forEach((category, n) -> {
      if (n < 1) {
        throw new IllegalArgumentException("repeat threshold for " + category + " is " + n + " (expected: >= 1)");
      }
    });
    requirePositive(repeatWindow, "repeat window");
    requirePositive(circumventionWindow, "circumvention window");
    requirePositive(firstRetry, "first retry");
    requirePositive(maxRetry, "max retry");
    if (queueCapacity < 1) {
      throw new IllegalArgumentException("alert queue capacity " + queueCapacity + " (expected: >= 1)");
    }
  }

  private static void requirePositive(Duration d, String what) {
    if (d == null || d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(what + " " + d + " (expected: a positive duration)");
    }
  }

  /** The threshold for {@code category}. */
  public int thresholdFor(String category) {
    return repeatThresholds.getOrDefault(category, repeatThreshold);
  }

  /**
   * These thresholds and windows as an {@link AlertPolicy}, with the default burst rule (30 in 2
   * minutes) and the default themes with the starter lists: the rules' policy when none is given.
   */
  public AlertPolicy toPolicy() {
    AlertPolicy d = AlertPolicy.defaults();
    return new AlertPolicy(repeatThreshold, repeatThresholds, repeatWindow, d.burstThreshold(), d.burstWindow(),
        circumventionWindow, d.themes(), d.matcher());
  }

  /** These settings with another queue capacity. */
  public AlertSettings withQueueCapacity(int capacity) {
    return new AlertSettings(repeatThreshold, repeatThresholds, repeatWindow, circumventionWindow, capacity,
        firstRetry, maxRetry);
  }

  /** These settings with other retry waits. */
  public AlertSettings withRetry(Duration first, Duration max) {
    return new AlertSettings(repeatThreshold, repeatThresholds, repeatWindow, circumventionWindow, queueCapacity,
        first, max);
  }
}
