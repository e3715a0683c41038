/**
 * Transparent (intercepting) mode: connections the school's router redirects to the proxy
 * (netfilter TPROXY or REDIRECT) without the browser knowing. The settings
 * ({@link org.schoolgate.proxy.transparent.TransparentSettings}, {@link
 * org.schoolgate.proxy.transparent.TransparentMode}) and {@link
 * org.schoolgate.proxy.transparent.OriginalDestinations}, which reads where the client meant to
 * go (TPROXY: the socket's local address; REDIRECT: {@code SO_ORIGINAL_DST} through JNA).
 * {@code ProxyServer} binds the listeners with the proxy's own pipeline ({@code
 * http.ClientPipeline#forListener}); the filter's {@code OriginForm} turns a redirected
 * origin-form request into the absolute-form request the front already decides (host from {@code
 * Host}, port from the original destination), and {@code tls.TransparentHello} reads a redirected
 * TLS connection's ClientHello first and hands the front a CONNECT to the server name it carries,
 * so the tunnel checks, interception and the destination check run unchanged.
 */
package org.schoolgate.proxy.transparent;
