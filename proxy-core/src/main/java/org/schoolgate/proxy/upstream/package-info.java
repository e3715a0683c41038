/**
 * Connections from the proxy to origins: opened on the client channel's own event loop (DNS
 * already answered), plain or TLS (intercepted tunnels: SNI and name check, the JDK's CAs plus
 * the school's extra ones), and kept alive between requests in a small pool per event loop,
 * keyed on the address, port and TLS server name actually connected to (probed without
 * allocating). Every address handed in here has passed the destination check: callers check
 * each request before taking a pooled connection or opening one.
 */
package org.schoolgate.proxy.upstream;
