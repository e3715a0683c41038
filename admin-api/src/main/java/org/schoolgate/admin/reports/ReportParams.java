package org.schoolgate.admin.reports;

import io.javalin.http.Context;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import org.schoolgate.admin.explain.InputException;
import org.schoolgate.admin.explain.Inputs;
import org.schoolgate.admin.http.ApiException;
import org.schoolgate.reports.Period;
import org.schoolgate.reports.Reports;

/**
 * Query parameters the report routes share: a period of whole local days ({@code from} and
 * {@code to} as {@code YYYY-MM-DD}, both included) or the last {@code days} (today included,
 * default {@value #DEFAULT_DAYS}); numbers in a range; times as the decide route reads them.
 */
public final class ReportParams {
  public static final int DEFAULT_DAYS = 7;

  private ReportParams() {}

  public static Period period(Context ctx, Reports reports) {
    String from = blankToNull(ctx.queryParam("from"));
    String to = blankToNull(ctx.queryParam("to"));
    String days = blankToNull(ctx.queryParam("days"));
    if (from == null && to == null) {
      return reports.lastDays((int) number(ctx, "days", DEFAULT_DAYS, 1, Period.MAX.toDays()));
    }
    if (days != null) {
      throw ApiException.invalid("days", "give either days or from and to, not both (expected: days=7, or"
          + " from=2026-09-01&to=2026-12-18)");
    }
    if (from == null || to == null) {
      throw ApiException.invalid(from == null ? "from" : "to", "a period needs both from and to (expected:"
          + " from=2026-09-01&to=2026-12-18, both days included)");
    }
    LocalDate first = date(from, "from");
    LocalDate last = date(to, "to");
    if (last.isBefore(first)) {
      throw ApiException.invalid("to", "to " + last + " is before from " + first + " (expected: a later day)");
    }
    return Period.days(first, last, reports.zone());
  }

  public static LocalDate date(String text, String field) {
    try {
      return LocalDate.parse(text.strip());
    } catch (DateTimeParseException e) {
      throw ApiException.invalid(field, field + " '" + text + "' is not a date (expected: YYYY-MM-DD, e.g."
          + " 2026-11-23)");
    }
  }

  public static Instant time(Context ctx, String field, ZoneId zone, Clock clock) {
    try {
      return Inputs.at(ctx.queryParam(field), zone, clock, field);
    } catch (InputException e) {
      throw ApiException.invalid(field, e.getMessage());
    }
  }

  public static long number(Context ctx, String field, long absent, long min, long max) {
    String text = blankToNull(ctx.queryParam(field));
    if (text == null) {
      return absent;
    }
    try {
      long n = Long.parseLong(text);
      if (n >= min && n <= max) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw ApiException.invalid(field, field + " '" + text + "' is not a number from " + min + " to " + max);
  }

  public static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.strip();
  }
}
