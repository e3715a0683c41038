package org.schoolgate.reports.dryrun;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.schoolgate.policy.model.Cell;
import org.schoolgate.policy.model.MatrixRow;
import org.schoolgate.policy.model.PolicyConfig;
import org.schoolgate.policy.model.Schedule;

/**
 * The only thing about a request's time that a candidate's {@code decide} reads: which of its
 * schedules are active then (a bit mask, bit i for schedule i, as the compiled policy's schedule
 * table computes it: the day of week and the whole second of the day in the policy's time zone).
 * The dry run groups the log by this mask instead of by time, and decides each group at one
 * instant with the same mask ({@link #firstInstants}).
 *
 * <p>The mask of every step of the period is computed here, in Java, and given to DuckDB as a
 * small table of (step, mask) that the log is joined with. A step is a minute when every schedule
 * starts and ends on a whole minute and the zone's offsets in the period are whole minutes
 * changing on whole minutes (then no boundary falls inside a minute); else a second.
 */
final class TimeBuckets {
  private final ZoneId zone;
  private final List<Schedule> schedules;
  private final long named;
  private final boolean used;
  private final long stepMillis;

  TimeBuckets(PolicyConfig config, Instant from, Instant to) {
    this.zone = config.timezone();
    this.schedules = config.schedules();
    this.named = namedByCells(config);
    this.used = named != 0;
    this.stepMillis = wholeMinutes(zone, schedules, from, to) ? 60_000L : 1_000L;
  }

  /** False when no matrix cell names a schedule: then the time changes no decision. */
  boolean used() {
    return used;
  }

  /** The step in milliseconds: 60,000 or 1,000. */
  long stepMillis() {
    return stepMillis;
  }

  /**
   * The schedules active at {@code at} that some cell names (a cell tests only its own schedules'
   * bits, so the others cannot change a decision and would only split the groups).
   */
  long maskAt(Instant at) {
    ZonedDateTime z = at.atZone(zone);
    DayOfWeek day = z.getDayOfWeek();
    int second = z.toLocalTime().toSecondOfDay();
    long mask = 0;
    for (int i = 0; i < schedules.size(); i++) {
      Schedule s = schedules.get(i);
      if (s.days().contains(day) && second >= s.from().toSecondOfDay() && second < s.to().toSecondOfDay()) {
        mask |= 1L << i;
      }
    }
    return mask & named;
  }

  /** Calls {@code out} with each step from {@code from} to {@code to} and its mask. */
  void forEachStep(Instant from, Instant to, StepSink out) throws java.sql.SQLException {
    long first = Math.floorDiv(from.toEpochMilli(), stepMillis);
    long last = Math.floorDiv(to.toEpochMilli() - 1, stepMillis);
    for (long s = first; s <= last; s++) {
      out.step(s, maskAt(Instant.ofEpochMilli(s * stepMillis)));
    }
  }

  /** Receives the steps of {@link #forEachStep}. */
  interface StepSink {
    void step(long step, long mask) throws java.sql.SQLException;
  }

  /** The first instant of the period with each mask that occurs in it. */
  Map<Long, Instant> firstInstants(Instant from, Instant to) throws java.sql.SQLException {
    Map<Long, Instant> out = new HashMap<>();
    forEachStep(from, to, (step, mask) -> out.putIfAbsent(mask, Instant.ofEpochMilli(step * stepMillis)));
    return out;
  }

  /** The bits of the schedules any matrix cell names. */
  private static long namedByCells(PolicyConfig config) {
    java.util.Set<String> names = new java.util.HashSet<>();
    for (MatrixRow row : config.matrix()) {
      if (row.defaultCell() != null) {
        names.addAll(row.defaultCell().schedules());
      }
      for (Cell c : row.cells().values()) {
        names.addAll(c.schedules());
      }
    }
    long mask = 0;
    for (int i = 0; i < config.schedules().size() && i < 64; i++) {
      if (names.contains(config.schedules().get(i).name())) {
        mask |= 1L << i;
      }
    }
    return mask;
  }

  private static boolean wholeMinutes(ZoneId zone, List<Schedule> schedules, Instant from, Instant to) {
    for (Schedule s : schedules) {
      if (!onMinute(s.from()) || !onMinute(s.to())) {
        return false;
      }
    }
    ZoneRules rules = zone.getRules();
    if (rules.getOffset(from).getTotalSeconds() % 60 != 0) {
      return false;
    }
    for (ZoneOffsetTransition t = rules.nextTransition(from); t != null && t.getInstant().isBefore(to);
        t = rules.nextTransition(t.getInstant())) {
      if (t.getInstant().getEpochSecond() % 60 != 0 || t.getOffsetAfter().getTotalSeconds() % 60 != 0) {
        return false;
      }
    }
    return true;
  }

  private static boolean onMinute(LocalTime t) {
    return t.getSecond() == 0 && t.getNano() == 0;
  }
}
