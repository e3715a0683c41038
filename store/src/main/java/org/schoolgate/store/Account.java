package org.schoolgate.store;

import java.time.Instant;
import java.util.Set;

/**
 * A person who can sign in. Never carries the password hash.
 *
 * @param directory the account signs in with directory credentials (made at its first directory
 *     sign-in, roles from directory groups at every sign-in; no local password)
 */
public record Account(AccountId id, String username, String displayName, Set<Role> roles, boolean disabled,
    Instant createdAt, boolean directory) {
  public Account {
    roles = Set.copyOf(roles);
  }

  /** A local account (password in the store). */
  public Account(AccountId id, String username, String displayName, Set<Role> roles, boolean disabled,
      Instant createdAt) {
    this(id, username, displayName, roles, disabled, createdAt, false);
  }

  public boolean has(Role role) {
    return roles.contains(role);
  }
}
