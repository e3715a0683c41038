package org.schoolgate.proxy.pages;

import java.time.ZonedDateTime;
import java.util.Objects;
import org.schoolgate.policy.Decision;

/**
 * What a block page says.
 *
 * @param site the host that was blocked
 * @param url the full URL asked for (for the request-access link)
 * @param decision the decision that blocked it
 * @param at when, in the policy's time zone
 * @param user who was signed in (proxy sign-in, logon session, RADIUS), or null when the group
 *     came from the client's network
 */
public record BlockNotice(String site, String url, Decision decision, ZonedDateTime at,
    String user) {
  /** A notice for a client nobody signed in on. */
  public BlockNotice(String site, String url, Decision decision, ZonedDateTime at) {
    this(site, url, decision, at, null);
  }

  public BlockNotice {
    Objects.requireNonNull(site, "site");
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(decision, "decision");
    Objects.requireNonNull(at, "at");
  }
}
