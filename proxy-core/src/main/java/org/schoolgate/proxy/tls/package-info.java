/**
 * The TLS stage of CONNECT tunnels, without interception: {@link
 * org.schoolgate.proxy.tls.TunnelInspector} holds a tunnel's first client bytes after the proxy
 * answered 200, reads the TLS ClientHello ({@code ClientHelloParser}: server name, Encrypted
 * ClientHello) and lets the policy's tunnel checks decide whether the bytes go on to the origin or
 * the connection is closed.
 */
package org.schoolgate.proxy.tls;
