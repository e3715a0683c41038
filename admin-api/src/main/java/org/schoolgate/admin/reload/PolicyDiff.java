package org.schoolgate.admin.reload;

import com.github.difflib.DiffUtils;
import com.github.difflib.patch.AbstractDelta;
import com.github.difflib.patch.Patch;
import java.util.ArrayList;
import java.util.List;

/**
 * The lines added to and removed from a policy file, bounded for the audit trail: at most
 * {@value #MAX_LINES} lines shown, each cut at {@value #MAX_LINE} characters, with the totals and
 * how many more were left out. Line diff by java-diff-utils (Myers).
 */
record PolicyDiff(int added, int removed, List<String> shown, int more) {
  static final int MAX_LINES = 40;
  static final int MAX_LINE = 160;

  static PolicyDiff of(String before, String after) {
    Patch<String> patch = DiffUtils.diff(lines(before), lines(after));
    int added = 0;
    int removed = 0;
    List<String> shown = new ArrayList<>();
    int more = 0;
    for (AbstractDelta<String> delta : patch.getDeltas()) {
      int at = delta.getSource().getPosition() + 1;
      for (String line : delta.getSource().getLines()) {
        removed++;
        more += show(shown, "-" + at + ": " + line) ? 0 : 1;
        at++;
      }
      int to = delta.getTarget().getPosition() + 1;
      for (String line : delta.getTarget().getLines()) {
        added++;
        more += show(shown, "+" + to + ": " + line) ? 0 : 1;
        to++;
      }
    }
    return new PolicyDiff(added, removed, List.copyOf(shown), more);
  }

  boolean empty() {
    return added == 0 && removed == 0;
  }

  private static boolean show(List<String> shown, String line) {
    if (shown.size() >= MAX_LINES) {
      return false;
    }
    shown.add(line.length() <= MAX_LINE ? line : line.substring(0, MAX_LINE - 1) + "…");
    return true;
  }

  private static List<String> lines(String text) {
    return text.isEmpty() ? List.of() : List.of(text.split("\r?\n", -1));
  }
}
