package org.schoolgate.proxy.transparent;

import java.net.InetAddress;
import java.util.Objects;

/**
 * Transparent (intercepting) mode: listeners for connections the school's router redirects to
 * the proxy. Plain HTTP is decided from the request line and {@code Host}; TLS from the
 * ClientHello's server name; the original destination (from the socket) is logged and stands in
 * for a missing name. Validated when built.
 *
 * @param address the address the listeners bind (usually 0.0.0.0, or the router-side address)
 * @param httpPort port for redirected plain HTTP (port 80 traffic), 0 for none
 * @param httpsPort port for redirected TLS (port 443 traffic), 0 for none
 * @param mode how connections are redirected: TPROXY (original destination kept as the local
 *     address) or REDIRECT ({@code SO_ORIGINAL_DST})
 */
public record TransparentSettings(InetAddress address, int httpPort, int httpsPort,
    TransparentMode mode) {
  public TransparentSettings {
    Objects.requireNonNull(address,
        "proxy.transparent.address is null (expected: an address such as 0.0.0.0)");
    Objects.requireNonNull(mode, "proxy.transparent.mode is null (expected: tproxy or redirect)");
    checkPort("http", httpPort);
    checkPort("https", httpsPort);
    if (httpPort == 0 && httpsPort == 0) {
      throw new IllegalArgumentException("proxy.transparent: neither http nor https has a port"
          + " (expected: such as http: 3129 and https: 3130)");
    }
    if (httpPort != 0 && httpPort == httpsPort) {
      throw new IllegalArgumentException("proxy.transparent.https: " + httpsPort
          + " is the http port too (expected: two different ports, such as 3129 and 3130)");
    }
  }

  private static void checkPort(String field, int port) {
    if (port < 0 || port > 65_535) {
      throw new IllegalArgumentException("proxy.transparent." + field + ": " + port
          + " (expected: a port 1..65535, or 0 for none)");
    }
  }
}
