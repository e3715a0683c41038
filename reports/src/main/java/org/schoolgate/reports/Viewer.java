package org.schoolgate.reports;

import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;
import org.schoolgate.store.Actor;
import org.schoolgate.store.Role;

/**
 * Who is looking at a report: the account (for the audit trail) and its roles (for what it may
 * see). The admin API builds one from the signed-in caller; a console page passes the same.
 *
 * <ul>
 *   <li>{@link #seesNames()}: dsl and senior-leader see people (user names, client addresses),
 *       open any person's timeline and the weekly digest;
 *   <li>a teacher sees only their own requests' timeline;
 *   <li>everyone else (governors, technicians, admins) sees aggregates: no user or client fields,
 *       and counts from 1 to 4 shown as "fewer than 5" ({@link Count}).
 * </ul>
 */
public record Viewer(Actor actor, Set<Role> roles) {
  public Viewer {
    Objects.requireNonNull(actor, "actor");
    roles = roles.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(roles));
  }

  /** A viewer holding {@code roles}. */
  public static Viewer of(Actor actor, Role... roles) {
    return new Viewer(actor, Set.of(roles));
  }

  public boolean has(Role role) {
    return roles.contains(role);
  }

  /** True for the DSL and senior leaders: they see named people. */
  public boolean seesNames() {
    return has(Role.DSL) || has(Role.SENIOR_LEADER);
  }

  /** True when {@code user} is this viewer's own account name (a teacher's own requests). */
  public boolean isSelf(String user) {
    return user != null && actor.name().equalsIgnoreCase(user);
  }

  /** Fails with {@code forbidden} unless the viewer holds one of {@code allowed}. */
  public void require(String what, Role... allowed) {
    for (Role r : allowed) {
      if (has(r)) {
        return;
      }
    }
    StringBuilder names = new StringBuilder();
    for (Role r : allowed) {
      names.append(names.length() == 0 ? "" : ", ").append(r.apiName());
    }
    throw ReportException.forbidden(what + " needs one of: " + names);
  }
}
