package org.schoolgate.policy.model;

import java.time.DayOfWeek;
import java.time.LocalTime;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * A weekly time window such as lunch: {@code days: [MON..FRI], from: "12:00", to: "13:15"}.
 * A time {@code t} is inside when its day is listed and {@code from <= t < to}, in the policy
 * time zone.
 *
 * @param name the schedule's name, referenced from matrix cells ({@code at-times: [lunch]})
 * @param days the days the window applies to; never empty
 * @param from start of the window (inclusive)
 * @param to end of the window (exclusive); after {@code from}
 */
public record Schedule(String name, Set<DayOfWeek> days, LocalTime from, LocalTime to) {
  public Schedule {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(days, "days");
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(to, "to");
    if (days.isEmpty()) {
      throw new IllegalArgumentException("has no days (expected: e.g. days: [MON, TUE, WED, THU, FRI])");
    }
    if (!to.isAfter(from)) {
      throw new IllegalArgumentException("ends " + to + " before it starts " + from
          + " (expected: 'to' after 'from')");
    }
    days = Set.copyOf(EnumSet.copyOf(days));
  }

  /** True when {@code day} at {@code time} is inside this window. */
  public boolean contains(DayOfWeek day, LocalTime time) {
    return days.contains(day) && !time.isBefore(from) && time.isBefore(to);
  }
}
