package org.schoolgate.store;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Local accounts. Passwords are hashed with Argon2id (BouncyCastle) and never stored or logged in
 * clear. Every change is written to the audit trail in the same transaction.
 */
public interface AccountStore {

  long count();

  /**
   * Creates an account. Usernames: 1-64 of {@code [a-z0-9._-]}, case-insensitive unique;
   * passwords at least 12 characters. Audited as {@code account.created} (roles, no password).
   *
   * @throws StoreException {@code username_taken} or {@code invalid} with the field at fault
   */
  Account create(String username, String displayName, char[] password, Set<Role> roles, Actor actor);

  Optional<Account> byId(AccountId id);

  Optional<Account> byUsername(String username);

  List<Account> list();

  /** Replaces the roles; audited as {@code account.roles_changed} with before/after. */
  Account setRoles(AccountId id, Set<Role> roles, Actor actor, String reason);

  /** Disables or re-enables; a disabled account cannot sign in and its tokens stop working. */
  Account setDisabled(AccountId id, boolean disabled, Actor actor, String reason);

  /**
   * Sets a new password (at least 12 characters) and ends the account's sessions (its API tokens
   * stay); audited as {@code account.password_changed}.
   */
  void setPassword(AccountId id, char[] password, Actor actor);

  /**
   * Checks a password. Audited as {@code login} or {@code login.failed} (never with the password),
   * with {@code address}, the client address of the attempt. Unknown usernames take the same
   * time as known ones. The store never locks an account (anyone could then lock its owner out);
   * callers throttle attempts per account and client address before asking.
   */
  LoginOutcome login(String username, char[] password, String address);

  /** The result of {@link #login}. */
  sealed interface LoginOutcome {
    record Success(Account account) implements LoginOutcome {}

    record Failed(String message) implements LoginOutcome {}
  }
}
