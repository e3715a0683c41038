/**
 * The destination check on the address the proxy is about to connect to, one reusable piece for
 * every pipeline: {@link org.schoolgate.proxy.destination.DestinationGuard} (the proxy host's own
 * addresses, refreshed off the event loop by {@link org.schoolgate.proxy.destination.OwnAddresses};
 * the exemption of the school's admin origin; the policy's {@code decideDestination}) returns a
 * typed {@link org.schoolgate.proxy.destination.Destination}; {@link
 * org.schoolgate.proxy.destination.AdminForwarding} rewrites the forwarding headers of requests to
 * the admin origin. Settings: {@link org.schoolgate.proxy.destination.DestinationSettings}.
 */
package org.schoolgate.proxy.destination;
