package org.schoolgate.store;

import java.util.Objects;

/**
 * An alert to raise.
 *
 * @param severity how urgent
 * @param kind what happened, lower-case and dashed, e.g. {@code filter-bypass}
 * @param audience who must see it
 * @param subject one line a person reads first (at most {@value #MAX_SUBJECT} characters)
 * @param details everything else (text or JSON)
 * @param who the user, group or scope concerned, as text
 * @param link what it is about, e.g. {@code unblock:12}, or null
 * @param idempotencyKey unique per real-world event, e.g. {@code filter-bypass:unblock:12}: raising
 *     the same key again returns the first alert, so retries and replays never duplicate it (and a
 *     receiver can use it too)
 */
public record NewAlert(
    Alert.Severity severity, String kind, Alert.Audience audience, String subject, String details, String who,
    String link, String idempotencyKey) {
  public static final int MAX_SUBJECT = 300;
  public static final int MAX_KEY = 200;

  public NewAlert {
    Objects.requireNonNull(severity, "severity");
    Objects.requireNonNull(audience, "audience");
    if (kind == null || !kind.matches("[a-z][a-z0-9-]{0,63}")) {
      throw new IllegalArgumentException("alert kind '" + kind
          + "' is not valid (expected: lower-case letters, digits and dashes, e.g. filter-bypass)");
    }
    if (subject == null || subject.isBlank()) {
      throw new IllegalArgumentException("an alert needs a subject (expected: one line saying what happened)");
    }
    if (subject.length() > MAX_SUBJECT) {
      throw new IllegalArgumentException("alert subject is " + subject.length() + " characters (expected: at most "
          + MAX_SUBJECT + "; put the rest in details)");
    }
    if (idempotencyKey == null || idempotencyKey.isBlank() || idempotencyKey.length() > MAX_KEY) {
      throw new IllegalArgumentException("alert idempotency key '" + idempotencyKey
          + "' is not valid (expected: 1-" + MAX_KEY + " characters naming the event, e.g. filter-bypass:unblock:12)");
    }
    details = details == null ? "" : details;
    who = who == null ? "" : who;
  }
}
