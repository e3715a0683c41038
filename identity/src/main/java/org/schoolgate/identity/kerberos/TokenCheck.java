package org.schoolgate.identity.kerberos;

import org.schoolgate.identity.Verification;

/** What the {@link SpnegoAcceptor} made of a Negotiate token. */
public sealed interface TokenCheck permits TokenCheck.Accepted, TokenCheck.Rejected {

  /**
   * The token is a valid Kerberos service ticket for this proxy.
   *
   * @param principal the client's principal, e.g. {@code alice@SCHOOL.EXAMPLE}
   */
  record Accepted(String principal) implements TokenCheck {
    /** The user name: the principal without its realm ({@code alice}). */
    public String user() {
      int at = principal.lastIndexOf('@');
      return at < 0 ? principal : principal.substring(0, at);
    }
  }

  /**
   * The token is refused.
   *
   * @param refusal bad token, replayed, clock skew, too large
   * @param message a sentence for the log and the 407 page
   */
  record Rejected(Verification.Refusal refusal, String message) implements TokenCheck {}
}
