package org.schoolgate.store;

import java.time.Instant;
import java.util.Objects;

/**
 * A notification's email copy, claimed for sending ({@link NotificationStore#claimDueEmails}).
 *
 * @param to the address it goes to (the account's when it was raised)
 * @param attempts how many times a sender claimed it, this claim included
 * @param createdAt when the notification was raised (delivery gives up some time after)
 * @param lastError why the previous attempt failed, or null
 */
public record NotificationEmail(
    NotificationId id, String to, String kind, String subject, String body, String link, int attempts,
    Instant createdAt, String lastError) {
  public NotificationEmail {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(to, "to");
    Objects.requireNonNull(createdAt, "createdAt");
  }
}
