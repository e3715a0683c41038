package org.schoolgate.store;

import java.util.Collection;
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
   * As {@link #setPassword(AccountId, char[], Actor)}, but the session {@code keepSession} (a
   * session token as the browser holds it; null for none) stays signed in: a person changing their
   * own password stays signed in where they are and is signed out everywhere else. Audited as
   * {@code account.password_changed} (never the password).
   *
   * @throws StoreException {@code invalid} (field {@code password}) when the password breaks the
   *     rules of {@link #create}; {@code conflict} for an account that signs in with the directory
   */
  void setPassword(AccountId id, char[] password, Actor actor, String keepSession);

  /**
   * True when {@code password} is the account's local password. Only checks: it records no
   * sign-in, writes nothing to the audit trail and leaves the failure count alone (callers throttle
   * wrong guesses themselves). False for a directory account (it has no local password) and an
   * unknown id, in the same time as a wrong password.
   */
  boolean passwordMatches(AccountId id, char[] password);

  /**
   * The policy groups the account teaches (for a teacher's "why is this blocked?"), sorted; empty
   * when none are set.
   */
  List<String> taughtGroups(AccountId id);

  /**
   * Replaces the groups the account teaches (names 1-64 characters of {@code A-Z a-z 0-9 . _ -};
   * the caller checks them against the policy). Audited as {@code account.groups_changed} with
   * before and after ({@code {"groups":[...]}}, sorted).
   *
   * @return the groups now, sorted
   * @throws StoreException {@code invalid} (field {@code groups}) for a name that cannot be a group,
   *     {@code not_found} for an unknown account
   */
  List<String> setTaughtGroups(AccountId id, Collection<String> groups, Actor actor, String reason);

  /**
   * The account's latest sign-in steps from the audit trail, newest first, at most {@code limit}
   * (1-200): {@code login}, {@code login.failed}, {@code login.second_factor_failed} and
   * {@code login.recovery_code} records of its username.
   */
  List<AuditRecord> recentSignIns(AccountId id, int limit);

  /**
   * Checks a password. Audited as {@code login} or {@code login.failed} (never with the password),
   * with {@code address}, the client address of the attempt. Unknown usernames take the same
   * time as known ones. The store never locks an account (anyone could then lock its owner out);
   * callers throttle attempts per account and client address before asking.
   */
  LoginOutcome login(String username, char[] password, String address);

  /**
   * Signs in a person the school's directory has just verified (the caller checked the password
   * and mapped their directory groups to {@code roles}). The first sign-in creates an account
   * without a local password (audited {@code account.created} by {@code system:directory}); later
   * ones set the roles to {@code roles} when they changed ({@code account.roles_changed}), so a
   * person removed from a directory group loses the role at their next sign-in. No roles, a
   * disabled account, or a local account of that name (never taken over) → {@link
   * LoginOutcome.Failed}. Audited as {@link #login} is.
   */
  LoginOutcome directorySignIn(String username, String displayName, Set<Role> roles, String address);

  /** Records a sign-in the directory refused (wrong password, unknown user) as {@link #login} does. */
  LoginOutcome directoryRefused(String username, String address);

  /** The result of {@link #login}. */
  sealed interface LoginOutcome {
    record Success(Account account) implements LoginOutcome {}

    record Failed(String message) implements LoginOutcome {}
  }
}
