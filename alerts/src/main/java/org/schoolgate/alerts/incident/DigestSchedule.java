package org.schoolgate.alerts.incident;

import java.time.Clock;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.TemporalAdjusters;
import java.util.Objects;

/**
 * When the weekly digest goes out: one day of the week at one local time in the school's zone
 * (default Monday 07:00), and which week it covers (the seven whole local days before the send
 * day). Daylight-saving gaps move the time forward, as {@link ZonedDateTime#of} does.
 *
 * <pre>{@code
 * DigestSchedule schedule = DigestSchedule.mondayMorning(ZoneId.of("Europe/London"), clock);
 * Instant at = schedule.next();             // the first send time after the clock's now
 * DigestSchedule.Week week = schedule.weekBefore(at);
 * }</pre>
 */
public final class DigestSchedule {
  private final DayOfWeek day;
  private final LocalTime time;
  private final ZoneId zone;
  private final Clock clock;

  public DigestSchedule(DayOfWeek day, LocalTime time, ZoneId zone, Clock clock) {
    this.day = Objects.requireNonNull(day, "day");
    this.time = Objects.requireNonNull(time, "time");
    this.zone = Objects.requireNonNull(zone, "zone");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** Monday 07:00 in {@code zone}. */
  public static DigestSchedule mondayMorning(ZoneId zone, Clock clock) {
    return new DigestSchedule(DayOfWeek.MONDAY, LocalTime.of(7, 0), zone, clock);
  }

  public ZoneId zone() {
    return zone;
  }

  /** The first send time strictly after the clock's now. */
  public Instant next() {
    return next(clock.instant());
  }

  /** The first send time strictly after {@code after}. */
  public Instant next(Instant after) {
    LocalDate date = after.atZone(zone).toLocalDate().with(TemporalAdjusters.previousOrSame(day));
    while (true) {
      Instant at = ZonedDateTime.of(date, time, zone).toInstant();
      if (at.isAfter(after)) {
        return at;
      }
      date = date.plusWeeks(1);
    }
  }

  /** The week a digest sent at {@code sendAt} covers: the seven local days before its day. */
  public Week weekBefore(Instant sendAt) {
    LocalDate end = sendAt.atZone(zone).toLocalDate();
    return Week.of(end.minusDays(7), zone);
  }

  /**
   * Seven local days {@code [from, to)}.
   *
   * @param firstDay the first local day
   */
  public record Week(LocalDate firstDay, ZoneId zone, Instant from, Instant to) {
    public Week {
      Objects.requireNonNull(firstDay, "firstDay");
      Objects.requireNonNull(zone, "zone");
      Objects.requireNonNull(from, "from");
      Objects.requireNonNull(to, "to");
    }

    /** The week starting at the start of {@code firstDay} in {@code zone}. */
    public static Week of(LocalDate firstDay, ZoneId zone) {
      return new Week(firstDay, zone, firstDay.atStartOfDay(zone).toInstant(),
          firstDay.plusDays(7).atStartOfDay(zone).toInstant());
    }

    /** The week before this one. */
    public Week previous() {
      return of(firstDay.minusDays(7), zone);
    }

    /** The last local day. */
    public LocalDate lastDay() {
      return firstDay.plusDays(6);
    }
  }
}
