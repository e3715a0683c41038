package org.schoolgate.admin.health;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The checks the admin API reports on, how often they run and how long the monitor waits for one.
 *
 * @param checks the checks, in the order {@code /healthz} lists them (unique names)
 * @param period how often every check runs (50 ms to 10 minutes; default 5 s)
 * @param timeout how long a round waits for a check before reporting it degraded (10 ms to 1
 *     minute; default 4 s)
 */
public record HealthChecks(List<HealthCheck> checks, Duration period, Duration timeout) {
  public static final Duration DEFAULT_PERIOD = Duration.ofSeconds(5);
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(4);
  /** No checks: {@code /healthz} says ok while the admin API answers. */
  public static final HealthChecks NONE = new HealthChecks(List.of(), DEFAULT_PERIOD, DEFAULT_TIMEOUT);
  /** The name of the overall status among the {@code schoolgate.health} tags. */
  public static final String OVERALL = "overall";
  private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]{0,31}");

  public HealthChecks {
    checks = List.copyOf(checks);
    Objects.requireNonNull(period, "period");
    Objects.requireNonNull(timeout, "timeout");
    Set<String> names = new HashSet<>();
    for (HealthCheck c : checks) {
      requireName(c.name());
      if (c.name().equals(OVERALL) || !names.add(c.name())) {
        throw new IllegalArgumentException("health check name '" + c.name() + "' is used twice or is '"
            + OVERALL + "' (expected: a unique name for each check)");
      }
    }
    if (period.compareTo(Duration.ofMillis(50)) < 0 || period.compareTo(Duration.ofMinutes(10)) > 0) {
      throw new IllegalArgumentException("health check period " + period + " (expected: 50 ms to 10 minutes, e.g. PT5S)");
    }
    if (timeout.compareTo(Duration.ofMillis(10)) < 0 || timeout.compareTo(Duration.ofMinutes(1)) > 0) {
      throw new IllegalArgumentException("health check timeout " + timeout + " (expected: 10 ms to 1 minute, e.g. PT4S)");
    }
  }

  /** These checks every 5 s, waiting 4 s for each. */
  public static HealthChecks of(List<HealthCheck> checks) {
    return new HealthChecks(checks, DEFAULT_PERIOD, DEFAULT_TIMEOUT);
  }

  static void requireName(String name) {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("health check name '" + name
          + "' is not valid (expected: 1-32 lower-case letters, digits and dashes, starting with a letter, e.g. access-log)");
    }
  }
}
