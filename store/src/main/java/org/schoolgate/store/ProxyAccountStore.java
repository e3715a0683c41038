package org.schoolgate.store;

import java.util.List;
import java.util.Optional;

/**
 * Local proxy accounts (table {@code proxy_accounts}): user names, Argon2id password hashes and
 * group names, for schools without a directory. A list of its own, apart from the admin accounts:
 * a pupil never gets an admin sign-in, and proxy traffic never touches admin accounts. Changes are
 * audited ({@code proxy-account.created}, {@code proxy-account.removed}); password checks are not
 * (every proxy sign-in would be a record; the identity module counts them instead). Every call
 * blocks (JDBC, Argon2id): the identity module's verifier threads only.
 */
public interface ProxyAccountStore {

  /** At most this many groups per account. */
  int MAX_GROUPS = 50;
  /** The longest group name. */
  int MAX_GROUP_LENGTH = 200;

  /**
   * Creates an account. User names as for admin accounts (1-64 of {@code [a-z0-9._-]},
   * case-insensitive unique), passwords at least 12 characters, 0 to {@value #MAX_GROUPS} group
   * names of 1 to {@value #MAX_GROUP_LENGTH} characters.
   *
   * @throws StoreException {@code username_taken} or {@code invalid} with the field at fault
   */
  ProxyAccount create(String username, char[] password, List<String> groups, Actor actor);

  /** Removes an account; false when there was none. */
  boolean remove(String username, Actor actor);

  Optional<ProxyAccount> byUsername(String username);

  List<ProxyAccount> list();

  /**
   * Checks a password. Takes the same time for an unknown user name as for a wrong password, never
   * throttles or locks (the caller throttles before asking).
   */
  Check check(String username, char[] password);

  /** What {@link #check} found. */
  sealed interface Check {
    record Found(ProxyAccount account) implements Check {}

    record NoSuchAccount() implements Check {}

    record WrongPassword() implements Check {}
  }
}
