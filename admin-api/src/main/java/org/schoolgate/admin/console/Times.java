package org.schoolgate.admin.console;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** Times as people in the school read them: in the policy's time zone, "Mon 23 Nov 2026, 10:00". */
public final class Times {
  private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("EEE d MMM yyyy, HH:mm", Locale.UK);

  private Times() {}

  /** {@code at} in {@code zone}, or an empty string for null. */
  public static String when(Instant at, ZoneId zone) {
    return at == null ? "" : WHEN.format(at.atZone(zone));
  }

  /** "2 days 3 hours", "45 minutes", "less than a minute". */
  public static String span(Duration d) {
    if (d.isNegative() || d.isZero()) {
      return "none";
    }
    long days = d.toDays();
    long hours = d.toHoursPart();
    long minutes = d.toMinutesPart();
    if (days > 0) {
      return plural(days, "day") + (hours > 0 ? " " + plural(hours, "hour") : "");
    }
    if (hours > 0) {
      return plural(hours, "hour") + (minutes > 0 ? " " + plural(minutes, "minute") : "");
    }
    return minutes > 0 ? plural(minutes, "minute") : "less than a minute";
  }

  private static String plural(long n, String unit) {
    return n + " " + unit + (n == 1 ? "" : "s");
  }
}
