package org.schoolgate.alerts.delivery;

import java.util.Objects;
import java.util.regex.Pattern;
import org.schoolgate.store.Delivery;

/**
 * Where an alert goes: an email address or a configured webhook, written {@code email:dsl@school.org}
 * or {@code webhook:dsl-teams} in the configuration.
 */
public record Recipient(Delivery.Channel channel, String address) {
  private static final Pattern EMAIL = Pattern.compile("[^@\\s<>,;\"]+@[^@\\s<>,;\"]+\\.[^@\\s<>,;\"]+");
  private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,63}");

  public Recipient {
    Objects.requireNonNull(channel, "channel");
    if (address == null) {
      throw new IllegalArgumentException("a " + channel.apiName() + " recipient needs an address");
    }
    if (channel == Delivery.Channel.EMAIL && (!EMAIL.matcher(address).matches() || address.length() > 254)) {
      throw new IllegalArgumentException("'" + address + "' is not an email address (expected e.g. dsl@school.org)");
    }
    if (channel == Delivery.Channel.WEBHOOK && !NAME.matcher(address).matches()) {
      throw new IllegalArgumentException("'" + address + "' is not a webhook name (expected: lower-case letters,"
          + " digits and dashes naming a configured webhook, e.g. dsl-teams)");
    }
  }

  /** Reads {@code email:ADDRESS} or {@code webhook:NAME}. */
  public static Recipient parse(String text) {
    if (text != null) {
      int colon = text.indexOf(':');
      if (colon > 0) {
        String channel = text.substring(0, colon).trim();
        String address = text.substring(colon + 1).trim();
        if (Delivery.Channel.parse(channel).isPresent()) {
          return new Recipient(Delivery.Channel.parse(channel).get(), address);
        }
      }
    }
    throw new IllegalArgumentException("recipient '" + text
        + "' is not valid (expected email:ADDRESS or webhook:NAME, e.g. email:dsl@school.org)");
  }

  @Override
  public String toString() {
    return channel.apiName() + ":" + address;
  }
}
