package org.schoolgate.admin.auth;

import java.time.Instant;
import java.util.List;
import org.schoolgate.store.Account;
import org.schoolgate.store.Role;

/** An account as the API shows it (never a password or hash). */
public record AccountView(
    long id, String username, String displayName, List<String> roles, boolean disabled, Instant createdAt) {

  public static AccountView of(Account a) {
    List<String> roles = a.roles().stream().sorted().map(Role::apiName).toList();
    return new AccountView(a.id().value(), a.username(), a.displayName(), roles, a.disabled(), a.createdAt());
  }
}
