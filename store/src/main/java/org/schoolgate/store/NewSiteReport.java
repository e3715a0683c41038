package org.schoolgate.store;

import java.util.Objects;

/**
 * A site report as made.
 *
 * @param kind wrongly blocked or wrongly allowed
 * @param url the URL as reported (normalised by the caller)
 * @param host its host
 * @param comment the reporter's words (at most {@value #MAX_COMMENT} characters; may be empty)
 * @param clientAddress the reporter's client address, or null
 * @param group the policy group the decision was explained for, or null
 * @param decisionJson the decision explained at report time, as JSON
 */
public record NewSiteReport(
    SiteReport.Kind kind, String url, String host, String comment, String clientAddress, String group,
    String decisionJson) {
  public static final int MAX_COMMENT = 2000;
  public static final int MAX_URL = 4096;

  public NewSiteReport {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(decisionJson, "decisionJson");
    if (url == null || url.isBlank() || url.length() > MAX_URL) {
      throw new StoreException("invalid", "the reported URL is " + (url == null || url.isBlank() ? "empty"
          : url.length() + " characters") + " (expected: 1-" + MAX_URL + " characters)", "url");
    }
    if (host == null || host.isBlank()) {
      throw new StoreException("invalid", "the reported URL has no host (expected: e.g. http://example.com/)", "url");
    }
    comment = comment == null ? "" : comment.strip();
    if (comment.length() > MAX_COMMENT) {
      throw new StoreException("invalid", "the comment is " + comment.length() + " characters (expected: at most "
          + MAX_COMMENT + ")", "comment");
    }
  }
}
