package org.schoolgate.store;

import java.time.Instant;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * One alert to one recipient over one channel, and how its delivery went.
 *
 * @param recipient an email address, or a webhook's configured name
 * @param attempts how many times a sender claimed it (a claim that crashed counts too)
 * @param nextAttemptAt when a pending delivery is due (or when a sender's claim on it lapses)
 * @param lastError why the last attempt failed, why it was suppressed, or why delivery gave up; null if none
 * @param sentAt when it was sent, or null
 */
public record Delivery(
    DeliveryId id, AlertId alertId, Channel channel, String recipient, State state, int attempts,
    Instant createdAt, Instant nextAttemptAt, String lastError, Instant sentAt) {
  public Delivery {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(alertId, "alertId");
    Objects.requireNonNull(channel, "channel");
    Objects.requireNonNull(recipient, "recipient");
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(nextAttemptAt, "nextAttemptAt");
  }

  /** How an alert travels. */
  public enum Channel {
    EMAIL, WEBHOOK;

    /** {@code email}, {@code webhook}: the configuration and database spelling. */
    public String apiName() {
      return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Channel> parse(String name) {
      return Arrays.stream(values()).filter(c -> c.apiName().equals(name)).findFirst();
    }
  }

  /** Where a delivery is. */
  public enum State {
    /** Still to send (possibly after failed attempts). */
    PENDING,
    /** Accepted by the mail server or webhook. */
    SENT,
    /** Deliberately not sent (grouped into an earlier message, no route); the reason is in lastError. */
    SUPPRESSED,
    /** Given up: rejected for good, or still failing after the give-up age. */
    FAILED;

    public String apiName() {
      return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<State> parse(String name) {
      return Arrays.stream(values()).filter(s -> s.apiName().equals(name)).findFirst();
    }
  }
}
