package org.schoolgate.proxy.log.export;

import java.nio.charset.StandardCharsets;
import org.schoolgate.proxy.log.AccessEvent;

/**
 * One access event as a line of Squid's native {@code access.log} ({@code logformat squid}):
 *
 * <pre>
 * time.millis elapsed client code/status bytes method URL ident hierarchy/from type
 * 1796900400.123     42 10.1.4.20 TCP_DENIED/403 1890 GET http://casino.example/ alex HIER_NONE/- text/html
 * </pre>
 *
 * <ul>
 *   <li>time: when the request finished (Squid logs on completion), Unix seconds with milliseconds;
 *   <li>elapsed: milliseconds the request took, right-aligned in six columns as Squid pads it;
 *   <li>code: {@code TCP_MISS} for an allowed request (nothing is cached), {@code TCP_TUNNEL} for an
 *       allowed CONNECT, {@code TCP_DENIED} for a block, {@code NONE} for a request answered without
 *       a decision (not a client, malformed); status is the HTTP status sent, {@code 000} when none;
 *   <li>bytes: body bytes sent to the client;
 *   <li>URL: {@code host:port} for CONNECT, else the absolute URL;
 *   <li>ident: the user when known (RFC 1738-escaped, as Squid writes user names), else {@code -};
 *   <li>hierarchy/from: {@code HIER_DIRECT/host} when forwarded (the origin's name: the address
 *       connected to is not in the event, as Squid with {@code log_ip_on_direct off}), else
 *       {@code HIER_NONE/-};
 *   <li>type: {@code text/html} for a block page, else {@code -} (the origin's type is not kept).
 * </ul>
 * No field ever contains a space or a line break.
 */
final class SquidFormat {
  private static final String HEX = "0123456789ABCDEF";

  private SquidFormat() {}

  static String line(AccessEvent e) {
    StringBuilder b = new StringBuilder(160);
    long end = e.time().toEpochMilli() + Math.max(0, e.durationMs());
    b.append(Math.floorDiv(end, 1000L)).append('.');
    pad(b, Math.floorMod(end, 1000L), 3, '0');
    b.append(' ');
    pad(b, Math.max(0, e.durationMs()), 6, ' ');
    b.append(' ').append(token(e.client()));
    b.append(' ').append(code(e)).append('/');
    pad(b, Math.max(0, Math.min(999, e.status())), 3, '0');
    b.append(' ').append(Math.max(0, e.bytesOut()));
    b.append(' ').append(token(e.method()));
    b.append(' ').append(url(e));
    b.append(' ').append(ident(e.user()));
    b.append(' ').append("allow".equals(e.action()) && e.host() != null ? "HIER_DIRECT/" + token(e.host()) : "HIER_NONE/-");
    b.append(' ').append("block".equals(e.action()) ? "text/html" : "-");
    return b.toString();
  }

  static String code(AccessEvent e) {
    return switch (e.action()) {
      case "allow" -> "CONNECT".equals(e.method()) ? "TCP_TUNNEL" : "TCP_MISS";
      case "block" -> "TCP_DENIED";
      default -> "NONE";
    };
  }

  static String url(AccessEvent e) {
    if (e.host() == null) {
      return "-";
    }
    if ("CONNECT".equals(e.method())) {
      return token(e.host()) + ":" + (e.port() > 0 ? e.port() : 443);
    }
    String scheme = e.scheme() == null ? "http" : e.scheme();
    StringBuilder u = new StringBuilder(scheme).append("://").append(e.host());
    boolean defaultPort = e.port() <= 0 || ("http".equals(scheme) && e.port() == 80)
        || ("https".equals(scheme) && e.port() == 443);
    if (!defaultPort) {
      u.append(':').append(e.port());
    }
    u.append(e.path() == null || e.path().isEmpty() ? "/" : e.path());
    if (e.query() != null) {
      u.append('?').append(e.query());
    }
    return escapeSpace(u.toString());
  }

  /** Squid's RFC 1738 escaping of a user name: anything but letters, digits and {@code -._@\} as %XX. */
  static String ident(String user) {
    if (user == null || user.isEmpty()) {
      return "-";
    }
    StringBuilder b = new StringBuilder(user.length());
    for (byte x : user.getBytes(StandardCharsets.UTF_8)) {
      int c = x & 0xff;
      if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.'
          || c == '_' || c == '@' || c == '\\') {
        b.append((char) c);
      } else {
        hex(b.append('%'), c);
      }
    }
    return b.toString();
  }

  private static String token(String s) {
    return s == null || s.isEmpty() ? "-" : escapeSpace(s);
  }

  /** Spaces and control characters as %XX, so a field never splits the line. */
  private static String escapeSpace(String s) {
    StringBuilder b = null;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c <= ' ' || c == 0x7f) {
        if (b == null) {
          b = new StringBuilder(s.length() + 8).append(s, 0, i);
        }
        hex(b.append('%'), c);
      } else if (b != null) {
        b.append(c);
      }
    }
    return b == null ? s : b.toString();
  }

  private static void hex(StringBuilder b, int c) {
    b.append(HEX.charAt((c >> 4) & 15)).append(HEX.charAt(c & 15));
  }

  private static void pad(StringBuilder b, long value, int width, char with) {
    String s = Long.toString(value);
    for (int i = s.length(); i < width; i++) {
      b.append(with);
    }
    b.append(s);
  }
}
