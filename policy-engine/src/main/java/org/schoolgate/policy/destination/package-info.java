/**
 * Where a connection may go, decided on the address actually connected to: {@link
 * org.schoolgate.policy.destination.AddressTable} classifies an IPv4 or IPv6 address (and the
 * IPv4 address inside its mapped, compatible, NAT64, 6to4 and Teredo forms) as public, the proxy
 * host, link-local, reserved or internal, from a prebuilt table of ranges without allocating;
 * {@link org.schoolgate.policy.destination.AddressKind} names the classes. The policy's {@code
 * destinations:} section adds the school's own ranges and the intranet allow list; the compiled
 * decision is {@link org.schoolgate.policy.PolicySnapshot#decideDestination}.
 */
package org.schoolgate.policy.destination;
