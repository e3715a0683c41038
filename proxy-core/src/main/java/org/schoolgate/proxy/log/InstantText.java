package org.schoolgate.proxy.log;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * The access-log writer's time work, cheaper than the JDK's per event: {@link #text} is exactly
 * {@link Instant#toString()} (ISO-8601 in UTC, fractions in groups of three digits) with the
 * text up to the second kept while the second lasts, and {@link #day} is the event's date in its
 * zone with the day's bounds kept while events fall inside them. One per writer: not
 * thread-safe.
 */
final class InstantText {
  private static final long MIN_SECOND = 0; // 1970: earlier times take the JDK's way
  private static final long MAX_SECOND = LocalDateTime.of(9999, 12, 31, 23, 59, 59)
      .toEpochSecond(ZoneOffset.UTC);

  private final StringBuilder text = new StringBuilder(32);
  private long second = Long.MIN_VALUE;
  private int secondLength;
  private ZoneId dayZone;
  private long dayFrom;
  private long dayTo;
  private LocalDate day;

  /** {@code time.toString()}. */
  String text(Instant time) {
    long s = time.getEpochSecond();
    if (s < MIN_SECOND || s > MAX_SECOND) {
      return time.toString(); // years of more or fewer than four digits: the JDK's own form
    }
    if (s != second) {
      second = s;
      text.setLength(0);
      LocalDateTime t = LocalDateTime.ofEpochSecond(s, 0, ZoneOffset.UTC);
      pad(t.getYear(), 4);
      text.append('-');
      pad(t.getMonthValue(), 2);
      text.append('-');
      pad(t.getDayOfMonth(), 2);
      text.append('T');
      pad(t.getHour(), 2);
      text.append(':');
      pad(t.getMinute(), 2);
      text.append(':');
      pad(t.getSecond(), 2);
      secondLength = text.length();
    }
    text.setLength(secondLength);
    int nano = time.getNano();
    if (nano != 0) {
      text.append('.');
      if (nano % 1_000_000 == 0) {
        pad(nano / 1_000_000, 3);
      } else if (nano % 1_000 == 0) {
        pad(nano / 1_000, 6);
      } else {
        pad(nano, 9);
      }
    }
    return text.append('Z').toString();
  }

  /** {@code time.atZone(zone).toLocalDate()}. */
  LocalDate day(Instant time, ZoneId zone) {
    long s = time.getEpochSecond();
    if (day == null || s < dayFrom || s >= dayTo || !zone.equals(dayZone)) {
      day = time.atZone(zone).toLocalDate();
      dayZone = zone;
      dayFrom = day.atStartOfDay(zone).toEpochSecond();
      dayTo = day.plusDays(1).atStartOfDay(zone).toEpochSecond();
    }
    return day;
  }

  private void pad(int value, int digits) {
    int start = text.length();
    text.append(value);
    while (text.length() - start < digits) {
      text.insert(start, '0');
    }
  }
}
