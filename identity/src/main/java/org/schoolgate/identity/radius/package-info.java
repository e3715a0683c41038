/**
 * RADIUS accounting from Wi-Fi controllers and switches (802.1X): {@link
 * org.schoolgate.identity.radius.AccountingServer} receives Accounting-Requests on UDP on its own
 * {@code schoolgate-radius} thread (never a proxy event loop), checks each against its NAS's shared
 * secret ({@link org.schoolgate.identity.radius.RadiusClient}), drops replays, answers with an
 * Accounting-Response, and maps {@code Framed-IP-Address} / {@code Framed-IPv6-Address} to {@code
 * User-Name} in the {@link org.schoolgate.identity.binding.BindingTable}. Packets are decoded and
 * encoded by TinyRadius.
 */
package org.schoolgate.identity.radius;
