/**
 * The school's interception certificate authority and the per-host leaf certificates it signs.
 *
 * <p>{@link org.schoolgate.proxy.ca.SchoolCa} holds the CA certificate and its private key: it is
 * generated once ({@code schoolgate ca init}) or loaded from PEM or PKCS#12, and it refuses files
 * that could not work or are unsafe (not a CA, expired, a key that does not match, a key file other
 * users can read). {@link org.schoolgate.proxy.ca.LeafCertificates} turns a host name into a
 * server-side Netty {@code SslContext} presenting a short-lived leaf for that host, generated on a
 * named executor (never a Netty event loop) and cached per host.
 *
 * <p>Key material is never logged, never put in exception messages and never written anywhere but
 * the key file the school asked for (created 0600).
 */
package org.schoolgate.proxy.ca;
