/**
 * The filtering DNS resolver: answers the school's clients on UDP and TCP by forwarding to the
 * configured upstream resolvers (no recursion of its own), with the proxy's policy. A name the
 * client's group may not visit gets the block-page address or NXDOMAIN; known bypasses are
 * closed (the DNS-over-HTTPS canary, HTTPS/SVCB records for groups whose tunnels policy blocks
 * Encrypted ClientHello, iCloud Private Relay); every query is a line in the proxy's access log.
 * {@link org.schoolgate.resolver.DnsFilter} is the entry point; everything runs on one event loop,
 * {@code schoolgate-resolver}, which never blocks.
 */
package org.schoolgate.resolver;
