package org.schoolgate.proxy.filter;

import java.time.ZoneId;
import org.schoolgate.identity.Who;
import org.schoolgate.policy.Decision;
import org.schoolgate.policy.InterceptChoice;
import org.schoolgate.policy.PolicySnapshot;
import org.schoolgate.policy.url.ParsedUrl;

/** What {@link RequestDecider} concluded about one request; the filter acts on it. */
sealed interface Verdict permits Verdict.Decided, Verdict.Refused, Verdict.NotSignedIn,
    Verdict.BadTarget {

  /**
   * The policy decided (possibly fail-closed). {@code safeHost}: the safe variant to connect to
   * instead of the target's host (safesearch), or null. {@code search}: the search term of a
   * request to a search site, from the same snapshot ({@code PolicySnapshot.searchTerm}), or null.
   * {@code intercept}: for a CONNECT when the proxy can intercept, whether the tunnel is to be
   * decrypted; otherwise NONE. {@code snapshot}: the policy it was decided with, for the
   * destination check once the address is known (null for a fail-closed verdict).
   */
  record Decided(ParsedUrl target, boolean connect, Decision decision, ZoneId zone, String user,
      String safeHost, String search, InterceptChoice intercept, PolicySnapshot snapshot)
      implements Verdict {

    Decided(ParsedUrl target, boolean connect, Decision decision, ZoneId zone, String user,
        String safeHost, String search, InterceptChoice intercept) {
      this(target, connect, decision, zone, user, safeHost, search, intercept, null);
    }

    Decided(ParsedUrl target, boolean connect, Decision decision, ZoneId zone, String user) {
      this(target, connect, decision, zone, user, null, null, InterceptChoice.NONE);
    }

    Decided(ParsedUrl target, boolean connect, Decision decision, ZoneId zone, String user,
        String safeHost) {
      this(target, connect, decision, zone, user, safeHost, null, InterceptChoice.NONE);
    }

    /** The host whose address the connection goes to: the safe host, or the target's. */
    String dialHost() {
      return safeHost != null ? safeHost : target.host();
    }
  }

  /** The client is outside every network the proxy serves. */
  record Refused(ParsedUrl target, boolean connect, String reason, ZoneId zone)
      implements Verdict {}

  /**
   * The client's network asks who it is and the answer is not a person: {@code who} is a
   * {@link Who.Challenge} (407: sign in) or {@link Who.Unavailable} (503: nobody can check now).
   */
  record NotSignedIn(ParsedUrl target, boolean connect, Who who, ZoneId zone) implements Verdict {}

  /** The request target could not be understood. */
  record BadTarget(String detail) implements Verdict {}
}
