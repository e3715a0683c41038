package org.schoolgate.policy.model;

import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.schoolgate.policy.GroupId;
import org.schoolgate.policy.Level;

/**
 * One cell of the matrix: the level of a category for a group.
 *
 * <ul>
 *   <li>{@code acceptable}, {@code unacceptable}, {@code illegal}: no extra fields;
 *   <li>{@code acceptable-at-certain-times}: {@code schedules} not empty;
 *   <li>{@code acceptable-for-nominated-users}: nominated users and/or groups; optional
 *       {@code schedules} further restrict the nominated to those times.
 * </ul>
 *
 * @param level the level
 * @param schedules schedule names (at-times), or the times nominated users are allowed
 * @param nominatedUsers nominated user names, lower case
 * @param nominatedGroups nominated groups
 * @param nominatedDirectoryGroups nominated directory groups, as written (a DN or a plain name;
 *     compared normalised, see {@link org.schoolgate.policy.DirectoryGroupName})
 */
public record Cell(Level level, List<String> schedules, Set<String> nominatedUsers, Set<GroupId> nominatedGroups,
    Set<String> nominatedDirectoryGroups) {
  public Cell {
    Objects.requireNonNull(level, "level");
    schedules = List.copyOf(schedules);
    nominatedUsers = Set.copyOf(nominatedUsers);
    nominatedGroups = Set.copyOf(nominatedGroups);
    nominatedDirectoryGroups = Set.copyOf(nominatedDirectoryGroups);
    for (String g : nominatedDirectoryGroups) {
      String problem = org.schoolgate.policy.DirectoryGroupName.problem(g);
      if (problem != null) {
        throw new IllegalArgumentException("nominated directory group " + problem);
      }
    }
    boolean nobody = nominatedUsers.isEmpty() && nominatedGroups.isEmpty() && nominatedDirectoryGroups.isEmpty();
    switch (level) {
      case ACCEPTABLE_AT_CERTAIN_TIMES:
        if (schedules.isEmpty()) {
          throw new IllegalArgumentException("at-times names no schedule (expected: at-times: [lunch, ...])");
        }
        if (!nobody) {
          throw new IllegalArgumentException("an at-times cell has nominated users (expected: use a nominated cell)");
        }
        break;
      case ACCEPTABLE_FOR_NOMINATED_USERS:
        if (nobody) {
          throw new IllegalArgumentException("nominates nobody (expected: nominated: [user, ...] or"
              + " nominated: { users: [...], groups: [...], directory-groups: [...] })");
        }
        break;
      default:
        if (!schedules.isEmpty() || !nobody) {
          throw new IllegalArgumentException("level " + level.configName()
              + " takes no schedules or nominations (expected: a plain level)");
        }
    }
  }

  /** A cell without directory-group nominations. */
  public Cell(Level level, List<String> schedules, Set<String> nominatedUsers, Set<GroupId> nominatedGroups) {
    this(level, schedules, nominatedUsers, nominatedGroups, Set.of());
  }

  /** A cell with a plain level (acceptable, unacceptable, illegal). */
  public static Cell of(Level level) {
    return new Cell(level, List.of(), Set.of(), Set.of(), Set.of());
  }
}
