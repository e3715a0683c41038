/**
 * Schoolgate's filtering forward proxy: {@link org.schoolgate.proxy.ProxyServer} and its
 * {@link org.schoolgate.proxy.ProxyConfig}, on plain Netty. Everything else in the sub-packages
 * is wired here.
 *
 * <p>Request lifecycle: {@code http} decodes the request strictly (RFC 9112, smuggling-proof)
 * and its front handler acts on the {@code filter} package's typed outcome: a page, a request
 * streamed to an origin over a pooled {@code upstream} connection (DNS answered by {@code dns}
 * without blocking), or a {@code tunnel} whose ClientHello {@code tls} checks before bytes flow
 * ({@code intercept} decrypts the ones the policy selects); {@code log} writes one JSON line when
 * each exchange ends.
 *
 * <p>Threads: one group of event loops ({@code transport}: epoll, io_uring or NIO) accepts, serves clients
 * and talks to origins; a client connection and every upstream connection opened for it share
 * one loop.
 */
package org.schoolgate.proxy;
