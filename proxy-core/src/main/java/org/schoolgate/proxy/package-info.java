/**
 * Schoolgate's filtering forward proxy: {@link org.schoolgate.proxy.ProxyServer} and its
 * {@link org.schoolgate.proxy.ProxyConfig}. Everything else in the sub-packages is wired here.
 *
 * <p>Request lifecycle: LittleProxy decodes the request; {@code filter} decides it against the
 * policy snapshot and acts (block page, 403, 400, or continue); {@code dns} makes sure the host
 * is resolved without blocking the event loop; LittleProxy relays the response, streaming;
 * {@code log} writes one JSON line when the response ends.
 *
 * <p>Threads: {@link org.schoolgate.proxy.SchoolgateServerGroup} replaces LittleProxy's three
 * pools with one group of event loops; a client connection and the upstream connections opened
 * for it share one loop.
 */
package org.schoolgate.proxy;
