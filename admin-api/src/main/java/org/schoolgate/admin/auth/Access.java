package org.schoolgate.admin.auth;

import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Collectors;
import org.schoolgate.store.Role;

/**
 * Who may call a route: anyone ({@link #PUBLIC}), anyone signed in ({@link #SIGNED_IN}), or an
 * account holding at least one of {@link #roles()}. With {@link #assignee()} any signed-in account
 * also gets through to the handler, which shows it only what is assigned to it (404 otherwise).
 */
public record Access(boolean open, boolean anyAccount, Set<Role> roles, boolean assignee) {
  /** No sign-in needed. */
  public static final Access PUBLIC = new Access(true, false, Set.of(), false);
  /** Any enabled account, whatever its roles. */
  public static final Access SIGNED_IN = new Access(false, true, Set.of(), false);

  public Access {
    roles = roles.isEmpty() ? Set.of() : Collections.unmodifiableSet(EnumSet.copyOf(roles));
  }

  /** An account holding one of {@code roles}. */
  public static Access anyOf(Role... roles) {
    if (roles.length == 0) {
      throw new IllegalArgumentException("Access.anyOf needs at least one role (expected: e.g. Role.ADMIN)");
    }
    return new Access(false, false, EnumSet.copyOf(Arrays.asList(roles)), false);
  }

  /**
   * An account holding one of {@code roles}, or the account a record is assigned to: the guard lets
   * every signed-in account through and the handler answers 404 for what is not assigned to it.
   */
  public static Access anyOfOrAssignee(Role... roles) {
    return new Access(false, false, anyOf(roles).roles(), true);
  }

  /** True when {@code held} satisfies this access (for a signed-in account). */
  public boolean allows(Set<Role> held) {
    return open || anyAccount || held.stream().anyMatch(roles::contains);
  }

  /** The roles as the API names them, in declaration order: {@code technician, dsl}. */
  public String roleNames() {
    return roles.stream().map(Role::apiName).collect(Collectors.joining(", "));
  }
}
