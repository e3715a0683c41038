/**
 * Connections from the proxy to origins: opened on the client channel's own event loop (DNS
 * already answered), plain or TLS (intercepted tunnels: SNI and name check, the JDK's CAs plus
 * the school's extra ones), and kept alive between requests in a small pool per event loop,
 * keyed on the address, port and TLS server name actually connected to.
 */
package org.schoolgate.proxy.upstream;
