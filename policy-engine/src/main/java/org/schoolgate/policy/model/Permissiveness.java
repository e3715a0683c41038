package org.schoolgate.policy.model;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.schoolgate.policy.Action;
import org.schoolgate.policy.DirectoryGroupName;
import org.schoolgate.policy.GroupId;
import org.schoolgate.policy.Level;
import org.schoolgate.policy.TunnelCheck;

/**
 * When one group is more permissive than another. Group A is <em>no more permissive</em> than
 * group B when, for every request, A allows it only if B allows it, as far as the policy file can
 * tell without the lists:
 * <ul>
 *   <li>every matrix row: A's cell allows no situation (time, person) B's cell does not —
 *       {@code unacceptable} and {@code illegal} allow nothing, {@code acceptable} everything;
 *       {@code at-times} allows everyone inside its schedules; a nominated cell allows its
 *       nominated users and directory groups (everyone, if it nominates the group itself) inside
 *       its schedules (always, without). A's schedules must be among B's (or B has none), and
 *       A's nominees among B's (or B's cell allows everyone);
 *   <li>every tunnel check: A allowed only if B allowed;
 *   <li>SafeSearch: A's search off only if B's off; A's YouTube restriction at least as strict
 *       as B's (strict, then moderate, then off).
 * </ul>
 * Interception is not a permission and is not compared. The school's block and allow lists apply
 * to every group alike.
 */
public final class Permissiveness {
  private Permissiveness() {}

  /**
   * Why {@code a} is more permissive than {@code b}, e.g. {@code matrix row 'gambling' is
   * acceptable for staff but unacceptable for ks2}, or null when it is not.
   */
  public static String whyMorePermissive(GroupId a, GroupId b, List<MatrixRow> matrix, TunnelConfig tunnels,
      SafeSearchConfig safeSearch) {
    if (a.equals(b)) {
      return null;
    }
    for (MatrixRow row : matrix) {
      Cell ca = row.cellFor(a);
      Cell cb = row.cellFor(b);
      if (ca != null && cb != null && !allowsNoMore(ca, a, cb, b)) {
        return "matrix row '" + row.category() + "' is " + describe(ca) + " for " + a + " but "
            + describe(cb) + " for " + b;
      }
    }
    for (TunnelCheck check : TunnelCheck.values()) {
      if (check.configurable() && tunnels.actionFor(check, a) == Action.ALLOW
          && tunnels.actionFor(check, b) == Action.BLOCK) {
        return "tunnels." + check.configName() + " allows " + a + " but blocks " + b;
      }
    }
    if (safeSearch.searchFor(a) == SafeSearchConfig.SearchMode.OFF
        && safeSearch.searchFor(b) == SafeSearchConfig.SearchMode.ENFORCE) {
      return "safesearch.search is off for " + a + " but enforced for " + b;
    }
    if (safeSearch.youtubeFor(a).ordinal() > safeSearch.youtubeFor(b).ordinal()) {
      return "safesearch.youtube is " + safeSearch.youtubeFor(a).configName() + " for " + a + " but "
          + safeSearch.youtubeFor(b).configName() + " for " + b;
    }
    return null;
  }

  /**
   * The group with the most matrix cells other than {@code acceptable}, the first declared on a
   * tie: the group for allowed clients in no group's subnet when {@code clients.unknown-group}
   * is not set.
   */
  public static GroupId mostRestrictiveGroup(List<GroupConfig> groups, List<MatrixRow> matrix) {
    GroupId best = null;
    int bestCount = -1;
    for (GroupConfig g : groups) {
      int count = 0;
      for (MatrixRow row : matrix) {
        Cell c = row.cellFor(g.id());
        if (c != null && c.level() != Level.ACCEPTABLE) {
          count++;
        }
      }
      if (count > bestCount) {
        best = g.id();
        bestCount = count;
      }
    }
    return best;
  }

  /**
   * The groups a client in one of {@code subnets} can get from its address: every group with a
   * subnet overlapping one of them, and the unknown-client group when some subnet is not wholly
   * inside one group subnet.
   */
  public static Set<GroupId> subnetGroups(List<Subnet> subnets, List<GroupConfig> groups, GroupId unknownGroup) {
    Set<GroupId> out = new java.util.LinkedHashSet<>();
    for (Subnet s : subnets) {
      boolean covered = false;
      for (GroupConfig g : groups) {
        for (Subnet gs : g.subnets()) {
          if (overlap(s, gs)) {
            out.add(g.id());
          }
          if (gs.prefix() <= s.prefix() && gs.contains(s.network())) {
            covered = true;
          }
        }
      }
      if (!covered && unknownGroup != null) {
        out.add(unknownGroup);
      }
    }
    return out;
  }

  private static boolean overlap(Subnet x, Subnet y) {
    if (x.network().length != y.network().length) {
      return false;
    }
    return x.prefix() <= y.prefix() ? x.contains(y.network()) : y.contains(x.network());
  }

  /** True when cell {@code x} (of group {@code gx}) allows no situation {@code y} (of {@code gy}) does not. */
  private static boolean allowsNoMore(Cell x, GroupId gx, Cell y, GroupId gy) {
    Allows ax = Allows.of(x, gx);
    Allows ay = Allows.of(y, gy);
    if (ax.nothing || ay.everything) {
      return true;
    }
    if (ax.everything || ay.nothing) {
      return false;
    }
    boolean times = ay.always || (!ax.always && ay.schedules.containsAll(ax.schedules));
    boolean people = ay.everyone
        || (!ax.everyone && ay.users.containsAll(ax.users) && ay.directoryGroups.containsAll(ax.directoryGroups));
    return times && people;
  }

  private static String describe(Cell c) {
    switch (c.level()) {
      case ACCEPTABLE_AT_CERTAIN_TIMES:
        return "acceptable at " + String.join(", ", c.schedules());
      case ACCEPTABLE_FOR_NOMINATED_USERS:
        return "acceptable for nominated users" + (c.schedules().isEmpty() ? "" : " at " + String.join(", ", c.schedules()));
      default:
        return c.level().configName();
    }
  }

  /** What one cell allows, for comparing. */
  private record Allows(boolean nothing, boolean everything, boolean always, Set<String> schedules,
      boolean everyone, Set<String> users, Set<String> directoryGroups) {
    static Allows of(Cell c, GroupId group) {
      switch (c.level()) {
        case ACCEPTABLE:
          return new Allows(false, true, true, Set.of(), true, Set.of(), Set.of());
        case ACCEPTABLE_AT_CERTAIN_TIMES:
          return new Allows(false, false, false, Set.copyOf(c.schedules()), true, Set.of(), Set.of());
        case ACCEPTABLE_FOR_NOMINATED_USERS:
          Set<String> dirs = new HashSet<>();
          c.nominatedDirectoryGroups().forEach(d -> dirs.add(DirectoryGroupName.normalise(d)));
          return new Allows(false, false, c.schedules().isEmpty(), Set.copyOf(c.schedules()),
              c.nominatedGroups().contains(group), c.nominatedUsers(), dirs);
        default:
          return new Allows(true, false, false, Set.of(), false, Set.of(), Set.of());
      }
    }
  }
}
