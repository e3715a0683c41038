package org.schoolgate.reports;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Objects;

/**
 * A report's period: {@code from <= time < to}, and the school's zone its days are counted in.
 *
 * @param from the start (inclusive)
 * @param to the end (exclusive)
 * @param zone the policy's time zone
 */
public record Period(Instant from, Instant to, ZoneId zone) {
  /** The longest period a report covers: a little over a year (the annual review). */
  public static final Duration MAX = Duration.ofDays(400);

  public Period {
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(to, "to");
    Objects.requireNonNull(zone, "zone");
    if (!to.isAfter(from)) {
      throw ReportException.invalid("to", "the period ends (" + to + ") before it starts (" + from
          + ") (expected: to after from)");
    }
    if (Duration.between(from, to).compareTo(MAX) > 0) {
      throw ReportException.invalid("from", "the period from " + from + " to " + to + " is longer than "
          + MAX.toDays() + " days (expected: a school year or less)");
    }
  }

  /** Whole local days {@code first} to {@code last}, inclusive. */
  public static Period days(LocalDate first, LocalDate last, ZoneId zone) {
    return new Period(first.atStartOfDay(zone).toInstant(), last.plusDays(1).atStartOfDay(zone).toInstant(), zone);
  }

  /** The local date of the first instant. */
  public LocalDate firstDay() {
    return from.atZone(zone).toLocalDate();
  }

  /** The local date of the last instant before {@code to}. */
  public LocalDate lastDay() {
    return to.minusNanos(1).atZone(zone).toLocalDate();
  }

  public boolean contains(Instant t) {
    return t != null && !t.isBefore(from) && t.isBefore(to);
  }
}
