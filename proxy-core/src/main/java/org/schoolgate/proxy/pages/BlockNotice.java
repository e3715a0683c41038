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
 */
public record BlockNotice(String site, String url, Decision decision, ZonedDateTime at) {
  public BlockNotice {
    Objects.requireNonNull(site, "site");
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(decision, "decision");
    Objects.requireNonNull(at, "at");
  }
}
