/**
 * Who is on the other end of an admin request: {@link org.schoolgate.admin.client.ClientAddresses}
 * resolves each request's client address once (before the guard), from the TCP peer, or from a
 * forwarding header when — and only when — the request comes from the Schoolgate proxy (its
 * per-process key) or a reverse proxy the school listed in {@code admin.trusted-proxies}. Sign-in
 * throttling, the audit trail and sessions all read that one address.
 */
package org.schoolgate.admin.client;
