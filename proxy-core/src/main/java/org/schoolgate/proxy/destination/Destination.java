package org.schoolgate.proxy.destination;

import org.schoolgate.policy.Decision;

/** What {@link DestinationGuard} concluded about one connection's address. */
public sealed interface Destination
    permits Destination.Open, Destination.AdminOrigin, Destination.Refused {

  /** The connection may go ahead. */
  Open OPEN = new Open();

  /** The connection is to the school's admin origin: go ahead, with forwarding headers. */
  AdminOrigin ADMIN_ORIGIN = new AdminOrigin();

  /** Go ahead (the shared {@link #OPEN}). */
  record Open() implements Destination {}

  /**
   * The school's own admin origin ({@code admin.public-url}), reachable by clients without the
   * proxy anyway: go ahead, and for plain HTTP rewrite the forwarding headers ({@link
   * AdminForwarding}) so the admin API sees the real client.
   */
  record AdminOrigin() implements Destination {}

  /**
   * Refused: answer 403, log {@code decision} (rule {@code internal-destination}, or {@code
   * fail-closed} when the address could not be checked), count it under {@code kind}.
   *
   * @param kind the metric tag: proxy-host, link-local, metadata, reserved, internal, unchecked
   */
  record Refused(Decision decision, String kind) implements Destination {}
}
