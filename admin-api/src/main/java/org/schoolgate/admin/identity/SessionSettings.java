package org.schoolgate.admin.identity;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.schoolgate.identity.binding.UserNameRule;
import org.schoolgate.policy.model.Subnet;

/**
 * How logon sessions are taken ({@code identity.sessions:} in the runtime configuration).
 *
 * @param userNames how reported names become directory names (realms stripped, case folded)
 * @param defaultLength how long a session lasts when the report gives neither {@code until} nor
 *     {@code minutes}; the logoff script (or the next logon) usually ends it sooner
 * @param maxLength the longest a session may be reported for
 * @param reporters networks whose callers may report addresses other than their own (the Wi-Fi
 *     controller, the MDM); anyone else may only report the address it calls from
 * @param auditWindow how often each caller's reports are summarised into one audit record
 */
public record SessionSettings(UserNameRule userNames, Duration defaultLength, Duration maxLength,
    List<Subnet> reporters, Duration auditWindow) {
  public static final Duration DEFAULT_LENGTH = Duration.ofHours(10);
  public static final Duration DEFAULT_MAX_LENGTH = Duration.ofDays(7);
  public static final Duration DEFAULT_AUDIT_WINDOW = Duration.ofMinutes(15);
  /** Names folded, no realms stripped, 10-hour sessions, callers report their own address only. */
  public static final SessionSettings DEFAULTS = new SessionSettings(UserNameRule.DEFAULT, DEFAULT_LENGTH,
      DEFAULT_MAX_LENGTH, List.of(), DEFAULT_AUDIT_WINDOW);

  public SessionSettings {
    Objects.requireNonNull(userNames, "identity.sessions.user-names");
    requireBetween(maxLength, Duration.ofMinutes(1), Duration.ofDays(31), "identity.sessions.max-length", "7d");
    requireBetween(defaultLength, Duration.ofMinutes(1), maxLength, "identity.sessions.default-length", "10h");
    requireBetween(auditWindow, Duration.ofSeconds(1), Duration.ofDays(1), "identity.sessions.audit-every", "15m");
    reporters = List.copyOf(reporters);
  }

  /** These settings with other reporter networks. */
  public SessionSettings withReporters(List<Subnet> networks) {
    return new SessionSettings(userNames, defaultLength, maxLength, networks, auditWindow);
  }

  private static void requireBetween(Duration d, Duration min, Duration max, String field, String example) {
    if (d == null || d.compareTo(min) < 0 || d.compareTo(max) > 0) {
      throw new IllegalArgumentException(field + " is " + d + " (expected: between " + min + " and " + max
          + ", e.g. " + example + ")");
    }
  }
}
