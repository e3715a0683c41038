package org.schoolgate.policy.compile;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.ZoneId;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;
import java.util.ArrayList;
import java.util.List;
import org.schoolgate.policy.model.Schedule;

/**
 * Which schedules are active at an instant, in the policy time zone, without allocating.
 *
 * <p>{@link ZoneRules#getOffset(Instant)} allocates for instants after the zone's last stored
 * transition (it derives the year and boxes it for a cache). So the zone's transitions from 1970
 * to 2100 are copied once into a {@code long[]} of instants and an {@code int[]} of offsets, and
 * the offset is found by binary search; instants outside that range ask ZoneRules.
 */
final class ScheduleTable {
  private static final long FROM = 0L;
  private static final long TO = Instant.parse("2100-01-01T00:00:00Z").getEpochSecond();

  private final ZoneRules rules;
  private final long[] transitions;
  private final int[] offsetsAfter;
  private final int offsetBefore;
  private final int[] dayMasks;
  private final int[] fromSecond;
  private final int[] toSecond;

  ScheduleTable(ZoneId zone, List<Schedule> schedules) {
    this.rules = zone.getRules();
    List<long[]> found = new ArrayList<>();
    ZoneOffsetTransition t = rules.nextTransition(Instant.ofEpochSecond(FROM));
    while (t != null && t.getInstant().getEpochSecond() < TO) {
      found.add(new long[] {t.getInstant().getEpochSecond(), t.getOffsetAfter().getTotalSeconds()});
      t = rules.nextTransition(t.getInstant());
    }
    transitions = new long[found.size()];
    offsetsAfter = new int[found.size()];
    for (int i = 0; i < found.size(); i++) {
      transitions[i] = found.get(i)[0];
      offsetsAfter[i] = (int) found.get(i)[1];
    }
    offsetBefore = rules.getOffset(Instant.ofEpochSecond(FROM)).getTotalSeconds();
    int n = schedules.size();
    dayMasks = new int[n];
    fromSecond = new int[n];
    toSecond = new int[n];
    for (int i = 0; i < n; i++) {
      Schedule s = schedules.get(i);
      for (DayOfWeek d : s.days()) {
        dayMasks[i] |= 1 << (d.getValue() - 1);
      }
      fromSecond[i] = s.from().toSecondOfDay();
      toSecond[i] = s.to().toSecondOfDay();
    }
  }

  /** Bit i is set when schedule i contains {@code at}. */
  long activeAt(Instant at) {
    long local = at.getEpochSecond() + offsetSeconds(at);
    long day = Math.floorDiv(local, 86_400L);
    int dayBit = 1 << (int) Math.floorMod(day + 3, 7L); // 1970-01-01 was a Thursday (bit 3)
    int second = (int) Math.floorMod(local, 86_400L);
    long mask = 0;
    for (int i = 0; i < dayMasks.length; i++) {
      if ((dayMasks[i] & dayBit) != 0 && second >= fromSecond[i] && second < toSecond[i]) {
        mask |= 1L << i;
      }
    }
    return mask;
  }

  /** The zone's UTC offset at {@code at}, in seconds. */
  int offsetSeconds(Instant at) {
    long s = at.getEpochSecond();
    if (transitions.length == 0) {
      return offsetBefore;
    }
    if (s < FROM || s >= TO) {
      return rules.getOffset(at).getTotalSeconds();
    }
    int i = java.util.Arrays.binarySearch(transitions, s);
    if (i >= 0) {
      return offsetsAfter[i];
    }
    int insert = -i - 1;
    return insert == 0 ? offsetBefore : offsetsAfter[insert - 1];
  }
}
