package org.schoolgate.policy.compile;

import java.util.Set;
import org.schoolgate.policy.Level;
import org.schoolgate.policy.Person;
import org.schoolgate.policy.RequestFacts;

/**
 * A matrix cell ready for deciding: schedules as a bit mask, nominated groups as flags, nominated
 * directory groups as a bit mask of the policy's {@link DirectoryIndex}.
 */
final class CompiledCell {
  private static final String[] NO_KEYS = new String[0];

  final Level level;
  final long scheduleMask;
  final Set<String> users;
  final boolean[] groups;
  private final DirectoryIndex directory;
  private final long[] directoryMask;
  private final String[] directoryKeys;

  CompiledCell(Level level, long scheduleMask, Set<String> users, boolean[] groups) {
    this(level, scheduleMask, users, groups, null, new long[0], NO_KEYS);
  }

  CompiledCell(Level level, long scheduleMask, Set<String> users, boolean[] groups, DirectoryIndex directory,
      long[] directoryMask, String[] directoryKeys) {
    this.level = level;
    this.scheduleMask = scheduleMask;
    this.users = users;
    this.groups = groups;
    this.directory = directory;
    this.directoryMask = directoryMask;
    this.directoryKeys = directoryKeys;
  }

  /**
   * True when the group, the user (case-insensitive) or one of the person's directory groups is
   * nominated. Allocates nothing.
   */
  boolean nominates(int group, RequestFacts facts) {
    if (groups[group]) {
      return true;
    }
    if (nominatesUser(facts.user())) {
      return true;
    }
    Person person = facts.person();
    return directoryKeys.length > 0 && person != null && directory.matches(person, directoryMask, directoryKeys);
  }

  private boolean nominatesUser(String user) {
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
