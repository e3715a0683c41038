package org.schoolgate.store;

import java.util.Objects;

/**
 * A delivery to create when an alert is planned: {@code PENDING} to send, or {@code SUPPRESSED}
 * with the reason it will not be sent.
 */
public record PlannedDelivery(Delivery.Channel channel, String recipient, Delivery.State state, String reason) {
  public static final int MAX_RECIPIENT = 320;

  public PlannedDelivery {
    Objects.requireNonNull(channel, "channel");
    Objects.requireNonNull(state, "state");
    if (recipient == null || recipient.isBlank() || recipient.length() > MAX_RECIPIENT) {
      throw new IllegalArgumentException("delivery recipient '" + recipient + "' is not valid (expected: 1-"
          + MAX_RECIPIENT + " characters, an email address or a webhook name)");
    }
    if (state != Delivery.State.PENDING && state != Delivery.State.SUPPRESSED) {
      throw new IllegalArgumentException("a planned delivery is pending or suppressed, not " + state.apiName());
    }
    if (state == Delivery.State.SUPPRESSED && (reason == null || reason.isBlank())) {
      throw new IllegalArgumentException("a suppressed delivery needs a reason (e.g. grouped into an earlier message)");
    }
  }

  public static PlannedDelivery send(Delivery.Channel channel, String recipient) {
    return new PlannedDelivery(channel, recipient, Delivery.State.PENDING, null);
  }

  public static PlannedDelivery suppress(Delivery.Channel channel, String recipient, String reason) {
    return new PlannedDelivery(channel, recipient, Delivery.State.SUPPRESSED, reason);
  }
}
