package org.schoolgate.policy.search;

import java.util.Objects;

/**
 * How one theme alerts ({@code alerts.themes.<theme>}).
 *
 * @param severity the severity of its alerts
 * @param enabled false: its terms raise no alert (its lists are not compiled)
 */
public record ThemeSetting(Severity severity, boolean enabled) {
  public ThemeSetting {
    Objects.requireNonNull(severity, "severity (expected: critical, warning or info)");
  }
}
