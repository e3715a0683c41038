package org.schoolgate.policy.compile;

import java.time.DayOfWeek;
import java.time.format.TextStyle;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.schoolgate.policy.model.GroupConfig;
import org.schoolgate.policy.model.PolicyConfig;
import org.schoolgate.policy.model.Schedule;

/** Sentences for block pages and logs, built once per decision when a policy is compiled. */
final class Reasons {
  private final PolicyConfig config;

  Reasons(PolicyConfig config) {
    this.config = config;
  }

  String group(GroupConfig g) {
    return g.displayName();
  }

  /** "lunch (Mon-Fri 12:00-13:15) or after-school (Mon-Fri 15:30-18:00)". */
  String schedules(long mask) {
    List<String> parts = new ArrayList<>();
    for (int i = 0; i < config.schedules().size(); i++) {
      if ((mask & (1L << i)) != 0) {
        Schedule s = config.schedules().get(i);
        parts.add(s.name() + " (" + days(s.days()) + " " + s.from() + "-" + s.to() + ")");
      }
    }
    return String.join(" or ", parts);
  }

  static String days(Set<DayOfWeek> days) {
    EnumSet<DayOfWeek> set = EnumSet.copyOf(days);
    List<String> out = new ArrayList<>();
    DayOfWeek[] all = DayOfWeek.values();
    int i = 0;
    while (i < all.length) {
      if (!set.contains(all[i])) {
        i++;
        continue;
      }
      int j = i;
      while (j + 1 < all.length && set.contains(all[j + 1])) {
        j++;
      }
      String a = all[i].getDisplayName(TextStyle.SHORT, Locale.UK);
      String b = all[j].getDisplayName(TextStyle.SHORT, Locale.UK);
      out.add(i == j ? a : j == i + 1 ? a + "," + b : a + "-" + b);
      i = j + 1;
    }
    return String.join(",", out);
  }
}
