package org.schoolgate.store;

import java.util.Objects;

/**
 * Who did something, for the audit trail.
 *
 * @param account the account, or null for the system (expiry, SIGHUP reload, CLI)
 * @param name the username, or e.g. {@code system:expiry}, {@code cli}
 * @param address the client address of the API call, or null
 */
public record Actor(AccountId account, String name, String address) {
  public Actor {
    Objects.requireNonNull(name, "name");
  }

  public static Actor of(Account account, String address) {
    return new Actor(account.id(), account.username(), address);
  }

  public static Actor system(String what) {
    return new Actor(null, "system:" + what, null);
  }
}
