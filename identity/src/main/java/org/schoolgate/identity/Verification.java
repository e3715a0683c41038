package org.schoolgate.identity;

import java.util.List;
import java.util.Objects;

/**
 * The outcome of checking credentials (or looking up a user's groups): who it is, a refusal, or
 * "cannot tell now". A typed value; verification never throws to its caller.
 *
 * <ul>
 *   <li>{@link Verified}: the person and their directory groups; the proxy decides for them;
 *   <li>{@link Refused}: wrong or unusable credentials; the proxy answers 407 (ask again);
 *   <li>{@link Unavailable}: the directory (or KDC data) cannot be reached and nothing recent is
 *       cached; the proxy fails closed: 503 where credentials are required.
 * </ul>
 */
public sealed interface Verification
    permits Verification.Verified, Verification.Refused, Verification.Unavailable {

  /**
   * The person is who they say.
   *
   * @param user the user name as the directory knows it (e.g. {@code alice}; Kerberos realm stripped)
   * @param directoryGroups every group the person is in, nested groups included (DNs for LDAP,
   *     names for local accounts)
   * @param method {@link AuthMethod#BASIC} or {@link AuthMethod#NEGOTIATE}; for a group look-up,
   *     the method of the binding it was made for
   */
  record Verified(String user, List<String> directoryGroups, AuthMethod method) implements Verification {
    public Verified {
      Objects.requireNonNull(user, "user");
      directoryGroups = List.copyOf(directoryGroups);
      Objects.requireNonNull(method, "method");
    }
  }

  /**
   * The credentials are not accepted.
   *
   * @param refusal why, for the metric and the log
   * @param message a sentence for the 407 page; the same for a wrong password and an unknown user
   */
  record Refused(Refusal refusal, String message) implements Verification {}

  /**
   * Nobody can tell now (directory down, timing out, circuit open, busy).
   *
   * @param reason a sentence for the 503 page and the log
   */
  record Unavailable(String reason) implements Verification {}

  /** Why credentials were refused; each counted in {@code schoolgate.identity.refusals}. */
  enum Refusal {
    /** Unknown user, wrong password or disabled account (one reason, so nobody can tell which). */
    WRONG_CREDENTIALS("wrong-credentials"),
    /** Too many failed sign-ins for this user name lately (kept below the directory's lock-out). */
    THROTTLED_USER("throttled-user"),
    /** Too many failed sign-ins from this client address lately. */
    THROTTLED_CLIENT("throttled-client"),
    /** The header could not be read. */
    MALFORMED("malformed"),
    /** The header or token is too large. */
    TOO_LARGE("too-large"),
    /** A Kerberos token that is not valid (forged, for another service, expired, wrong key). */
    BAD_TOKEN("bad-token"),
    /** A Kerberos token seen before. */
    REPLAYED("replayed"),
    /** The client's clock differs from the proxy's by more than Kerberos allows (5 minutes). */
    CLOCK_SKEW("clock-skew"),
    /** The scheme is not configured here (Negotiate without a keytab, Basic without a directory). */
    NOT_OFFERED("not-offered");

    private final String tag;

    Refusal(String tag) {
      this.tag = tag;
    }

    /** The metric tag. */
    public String tag() {
      return tag;
    }
  }

  /** The sentence for a wrong user name or password, whichever it was. */
  String WRONG = "the user name or password is wrong";
}
