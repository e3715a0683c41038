package org.schoolgate.store;

import java.time.Instant;
import java.util.Set;

/** A person who can sign in. Never carries the password hash. */
public record Account(
    AccountId id, String username, String displayName, Set<Role> roles, boolean disabled, Instant createdAt) {
  public Account {
    roles = Set.copyOf(roles);
  }

  public boolean has(Role role) {
    return roles.contains(role);
  }
}
