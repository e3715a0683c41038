package org.schoolgate.policy.compile;

import java.util.Set;
import org.schoolgate.policy.Level;

/** A matrix cell ready for deciding: schedules as a bit mask, nominated groups as flags. */
final class CompiledCell {
  final Level level;
  final long scheduleMask;
  final Set<String> users;
  final boolean[] groups;

  CompiledCell(Level level, long scheduleMask, Set<String> users, boolean[] groups) {
    this.level = level;
    this.scheduleMask = scheduleMask;
    this.users = users;
    this.groups = groups;
  }

  /** True when the group or the user (case-insensitive) is nominated. */
  boolean nominates(int group, String user) {
    if (groups[group]) {
      return true;
    }
    if (user == null || users.isEmpty()) {
      return false;
    }
    if (users.contains(user)) {
      return true;
    }
    for (int i = 0; i < user.length(); i++) {
      char c = user.charAt(i);
      if (Character.isUpperCase(c) || Character.isWhitespace(c)) {
        return users.contains(user.strip().toLowerCase(java.util.Locale.ROOT));
      }
    }
    return false;
  }
}
