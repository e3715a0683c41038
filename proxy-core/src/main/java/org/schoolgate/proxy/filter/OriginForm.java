package org.schoolgate.proxy.filter;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * Turns a redirected client's origin-form request ({@code GET /path} with {@code Host}) into the
 * absolute-form request the decider reads ({@code http://host[:port]/path}), so a transparent
 * connection is decided, logged and forwarded exactly like a proxied one. The host is the
 * {@code Host} header's (its port is ignored); without one (HTTP/1.0), the original destination's
 * address. The port is the original destination's (where the client really connected), else the
 * {@code Host} header's, else 80. What the request names is what is decided and resolved: the
 * proxy connects to the address it resolves for that name, never to the original destination, so
 * a forged {@code Host} reaches only the site it names. An absolute-form request or a CONNECT is
 * decided as sent.
 */
final class OriginForm {
  private OriginForm() {}

  /** Rewrites {@code request}'s target in place; leaves it alone when nothing names a host. */
  static void toAbsolute(HttpRequest request, InetSocketAddress original) {
    String uri = request.uri();
    boolean asterisk = uri.equals("*");
    if (!uri.startsWith("/") && !asterisk) {
      return;
    }
    String header = request.headers().get(HttpHeaderNames.HOST);
    String host = null;
    int headerPort = 80;
    if (header != null && !header.isBlank()) {
      String h = header.strip();
      int colon = h.startsWith("[") ? h.indexOf("]:") + 1 : h.indexOf(':');
      if (colon > 0) {
        headerPort = port(h.substring(colon + 1));
        h = h.substring(0, colon);
      }
      host = h.isEmpty() ? null : h;
    }
    if (host == null) {
      if (original == null) {
        return; // nothing names a site: the decider answers the bad-request page
      }
      host = literal(original.getAddress());
    }
    int port = original != null ? original.getPort() : headerPort;
    request.setUri("http://" + host + (port == 80 ? "" : ":" + port) + (asterisk ? "/" : uri));
  }

  private static int port(String s) {
    try {
      int p = Integer.parseInt(s);
      return p > 0 && p <= 65_535 ? p : 80;
    } catch (NumberFormatException e) {
      return 80;
    }
  }

  private static String literal(InetAddress a) {
    return a instanceof Inet6Address ? "[" + a.getHostAddress() + "]" : a.getHostAddress();
  }
}
