/**
 * The client side of the proxy's HTTP/1.1: the strict request codec (smuggling-proof framing,
 * no obs-fold, bare CR/LF refused, head-read timeout), the guard that turns unreadable requests
 * into 400/408/414/431 pages, the front handler that serves one exchange at a time in request
 * order — with its per-connection parts: {@code WaitingRequests} (order), {@code Dialer} (DNS,
 * the destination check, pooled or new connections, tunnels), {@code RequestSender} and
 * {@code UpstreamRelay} (request up, response down, back-pressure), {@code Answers} (the
 * proxy's own pages), sharing one {@code Turn} — and the header rules of a forwarding proxy
 * (hop-by-hop, {@code Via}, {@code Max-Forwards}).
 */
package org.schoolgate.proxy.http;
