package org.schoolgate.identity.verify;

import java.util.List;
import java.util.Objects;

/**
 * Somewhere passwords and group memberships are kept: the school's directory (LDAP / Active
 * Directory) or Schoolgate's own local accounts. Calls block (network, database, Argon2id): the
 * {@link CredentialVerifier} runs them on its own executor, never on an event loop.
 */
public interface PasswordSource {

  /**
   * Checks {@code password} for {@code user} (already trimmed; may be any text a client sent).
   * Implementations take about the same time for an unknown user as for a wrong password.
   *
   * @throws SourceDownException when the source cannot answer (down, timing out, misconfigured)
   */
  Answer authenticate(String user, char[] password) throws SourceDownException;

  /** The groups of {@code user}, without a password (for Kerberos and address bindings). */
  Answer groups(String user) throws SourceDownException;

  /** A short name for logs, e.g. {@code ldap://dc1.school.example:636}. */
  String describe();

  /** What a source says about a user. */
  sealed interface Answer permits Found, NoSuchUser, WrongPassword {}

  /**
   * The user exists (and the password is right, for {@link #authenticate}).
   *
   * @param user the name as the source spells it
   * @param groups every group, nested ones included
   */
  record Found(String user, List<String> groups) implements Answer {
    public Found {
      Objects.requireNonNull(user, "user");
      groups = List.copyOf(groups);
    }
  }

  /** The source has no such user (the next source is asked). */
  record NoSuchUser() implements Answer {}

  /** The user exists but the password is wrong, or the account is disabled or locked. */
  record WrongPassword() implements Answer {}
}
