package org.schoolgate.store.jdbc;

import java.util.Locale;
import java.util.regex.Pattern;
import org.schoolgate.store.StoreException;

/** Username and password rules. */
final class AccountRules {
  static final int MIN_PASSWORD = 12;
  static final int MAX_PASSWORD = 1024;

  private static final Pattern USERNAME = Pattern.compile("[a-z0-9._-]{1,64}");
  /** A policy group's name, as the policy reader allows it (and at most 64 characters). */
  private static final Pattern GROUP = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");

  private AccountRules() {}

  /** The stored (lower-case) form of {@code username}, or null when it cannot be a username. */
  static String normalise(String username) {
    if (username == null) {
      return null;
    }
    String lower = username.trim().toLowerCase(Locale.ROOT);
    return USERNAME.matcher(lower).matches() ? lower : null;
  }

  static String requireUsername(String username) {
    String normal = normalise(username);
    if (normal == null) {
      throw new StoreException("invalid", "username must be 1-64 characters of a-z, 0-9, '.', '_' or '-'",
          "username");
    }
    return normal;
  }

  /** The group name, stripped; throws for one that cannot be a policy group's name. */
  static String requireGroup(String group) {
    String g = group == null ? "" : group.strip();
    if (!GROUP.matcher(g).matches()) {
      throw new StoreException("invalid", "'" + (g.length() > 80 ? g.substring(0, 80) + "…" : g) + "' is not a"
          + " group name (expected: 1-64 of A-Z, a-z, 0-9, '.', '_', '-', starting with a letter or digit, e.g. ks3-4)",
          "groups");
    }
    return g;
  }

  static void requirePassword(char[] password) {
    if (password == null || password.length < MIN_PASSWORD) {
      throw new StoreException("invalid", "password must be at least " + MIN_PASSWORD + " characters", "password");
    }
    if (password.length > MAX_PASSWORD) {
      throw new StoreException("invalid", "password must be at most " + MAX_PASSWORD + " characters", "password");
    }
  }

  /** {@code identity-source} is a service role: an account holding it holds no other. */
  static void requireRoles(java.util.Set<org.schoolgate.store.Role> roles) {
    if (roles.contains(org.schoolgate.store.Role.IDENTITY_SOURCE) && roles.size() > 1) {
      throw new StoreException("invalid", "identity-source is for logon scripts, Wi-Fi controllers and MDMs and"
          + " cannot be combined with other roles (create a separate account for the script)", "roles");
    }
  }

  static String displayName(String displayName, String username) {
    if (displayName == null || displayName.isBlank()) {
      return username;
    }
    String trimmed = displayName.strip();
    if (trimmed.length() > 200) {
      throw new StoreException("invalid", "display name must be at most 200 characters", "displayName");
    }
    return trimmed;
  }

  /**
   * What to record as the actor of a failed login with an unknown username: the name when it could
   * be a username, otherwise a placeholder (people sometimes type their password into the username
   * field, and it must not reach the audit trail).
   */
  static String attempted(String username) {
    String normal = normalise(username);
    return normal == null ? "(invalid username)" : normal;
  }
}
