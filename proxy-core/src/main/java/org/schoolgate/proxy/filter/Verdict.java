package org.schoolgate.proxy.filter;

import java.time.ZoneId;
import org.schoolgate.policy.Decision;
import org.schoolgate.policy.url.ParsedUrl;

/** What {@link RequestDecider} concluded about one request; the filter acts on it. */
sealed interface Verdict permits Verdict.Decided, Verdict.Refused, Verdict.BadTarget {

  /** The policy decided (possibly fail-closed). */
  record Decided(ParsedUrl target, boolean connect, Decision decision, ZoneId zone, String user)
      implements Verdict {}

  /** The client is outside every network the proxy serves. */
  record Refused(ParsedUrl target, boolean connect, String reason, ZoneId zone)
      implements Verdict {}

  /** The request target could not be understood. */
  record BadTarget(String detail) implements Verdict {}
}
