package org.schoolgate.policy.url;

import java.net.IDN;
import java.util.Locale;

/**
 * Parses absolute URLs ({@code http://host:port/path?q}), CONNECT targets ({@code host:port},
 * {@code [v6]:port}) and bare hosts, normalising the host the way browsers do.
 *
 * <pre>{@code
 * ParsedUrl u = UrlParser.parse("HTTP://User@WWW.Example.COM.:8080/a?b");
 * // u.host() = "www.example.com", u.port() = 8080, u.path() = "/a", u.query() = "b"
 * }</pre>
 *
 * <p>Only the basics of the WHATWG URL standard are covered: scheme, userinfo, host, port, path,
 * query; fragments are dropped. Every method throws {@link IllegalArgumentException} with a
 * message that quotes the input and says what was expected.
 */
public final class UrlParser {
  private static final int MAX_HOST = 253;
  private static final int MAX_LABEL = 63;

  private UrlParser() {}

  /** Parses an absolute URL or a bare host; throws IllegalArgumentException saying what is wrong. */
  public static ParsedUrl parse(String url) {
    if (url == null || url.isBlank()) {
      throw new IllegalArgumentException(
          "URL is empty (expected: an absolute URL such as http://example.com/ or a host name)");
    }
    String s = url.strip();
    String scheme = "http";
    String rest = s;
    int sep = s.indexOf("://");
    if (sep >= 0) {
      scheme = s.substring(0, sep).toLowerCase(Locale.ROOT);
      if (!scheme.equals("http") && !scheme.equals("https") && !scheme.equals("ws") && !scheme.equals("wss")) {
        throw new IllegalArgumentException(
            "URL '" + url + "' has scheme '" + scheme + "' (expected: http, https, ws or wss)");
      }
      rest = s.substring(sep + 3);
    }
    int hash = rest.indexOf('#');
    if (hash >= 0) {
      rest = rest.substring(0, hash);
    }
    int authorityEnd = indexOfAny(rest, '/', '?');
    String authority = authorityEnd < 0 ? rest : rest.substring(0, authorityEnd);
    String tail = authorityEnd < 0 ? "" : rest.substring(authorityEnd);
    int at = authority.lastIndexOf('@');
    if (at >= 0) {
      authority = authority.substring(at + 1);
    }
    if (authority.isEmpty()) {
      throw new IllegalArgumentException("URL '" + url + "' has no host (expected: http://host/path)");
    }
    int defaultPort = scheme.equals("https") || scheme.equals("wss") ? 443 : 80;
    String[] hostPort = splitHostPort(authority, url);
    int port = hostPort[1] == null ? defaultPort : parsePort(hostPort[1], url);
    String host = normalizeHost(hostPort[0]);
    String path = tail;
    String query = "";
    int q = tail.indexOf('?');
    if (q >= 0) {
      path = tail.substring(0, q);
      query = tail.substring(q + 1);
    }
    if (path.isEmpty()) {
      path = "/";
    }
    return new ParsedUrl(scheme, host, port, path, query);
  }

  /** Parses a CONNECT target {@code host:port}; throws IllegalArgumentException when invalid. */
  public static ParsedUrl parseConnectTarget(String target) {
    if (target == null || target.isBlank()) {
      throw new IllegalArgumentException("CONNECT target is empty (expected: host:port)");
    }
    String s = target.strip();
    String[] hostPort = splitHostPort(s, target);
    if (hostPort[1] == null) {
      throw new IllegalArgumentException(
          "CONNECT target '" + target + "' has no port (expected: host:port, e.g. example.com:443)");
    }
    int port = parsePort(hostPort[1], target);
    return new ParsedUrl("https", normalizeHost(hostPort[0]), port, "", "");
  }

  /**
   * Normalises a host name: lower case, no trailing dot, no port/brackets, IDN to punycode.
   * Returns the same instance when the host is already normal, so calling it on normal hosts
   * allocates nothing.
   */
  public static String normalizeHost(String host) {
    if (host == null || host.isEmpty()) {
      throw new IllegalArgumentException("host is empty (expected: a name such as example.com)");
    }
    if (isNormalDomain(host)) {
      return host;
    }
    String h = host;
    if (h.startsWith("[")) {
      int close = h.indexOf(']');
      if (close < 0) {
        throw new IllegalArgumentException("host '" + host + "' has '[' without ']' (expected: [v6 address])");
      }
      return normalizeIpv6(h.substring(1, close), host);
    }
    int colon = h.indexOf(':');
    if (colon >= 0) {
      if (h.indexOf(':', colon + 1) >= 0) {
        return normalizeIpv6(h, host);
      }
      parsePort(h.substring(colon + 1), host);
      h = h.substring(0, colon);
    }
    if (h.endsWith(".")) {
      h = h.substring(0, h.length() - 1);
    }
    if (h.isEmpty()) {
      throw new IllegalArgumentException("host '" + host + "' is empty (expected: a name such as example.com)");
    }
    boolean ascii = true;
    for (int i = 0; i < h.length(); i++) {
      if (h.charAt(i) >= 0x80) {
        ascii = false;
        break;
      }
    }
    if (!ascii) {
      try {
        h = IDN.toASCII(h, IDN.ALLOW_UNASSIGNED);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "host '" + host + "' is not a valid international domain name: " + e.getMessage(), e);
      }
    }
    h = h.toLowerCase(Locale.ROOT);
    checkDomain(h, host);
    return h;
  }

  /**
   * True when {@code host} is already normal: non-empty, at most 253 characters, only
   * {@code [a-z0-9._-]}, no empty label, no label over 63 characters. Allocates nothing.
   */
  public static boolean isNormalDomain(CharSequence host) {
    int n = host.length();
    if (n == 0 || n > MAX_HOST) {
      return false;
    }
    int labelStart = 0;
    for (int i = 0; i < n; i++) {
      char c = host.charAt(i);
      if (c == '.') {
        if (i == labelStart || i - labelStart > MAX_LABEL) {
          return false;
        }
        labelStart = i + 1;
      } else if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_')) {
        return false;
      }
    }
    return labelStart < n && n - labelStart <= MAX_LABEL;
  }

  private static void checkDomain(String h, String original) {
    if (h.length() > MAX_HOST) {
      throw new IllegalArgumentException("host '" + original + "' is " + h.length()
          + " characters long (expected: at most " + MAX_HOST + ")");
    }
    int labelStart = 0;
    for (int i = 0; i <= h.length(); i++) {
      char c = i == h.length() ? '.' : h.charAt(i);
      if (c == '.') {
        if (i == labelStart) {
          throw new IllegalArgumentException(
              "host '" + original + "' has an empty label (expected: names separated by single dots)");
        }
        if (i - labelStart > MAX_LABEL) {
          throw new IllegalArgumentException("host '" + original + "' has a label longer than "
              + MAX_LABEL + " characters (expected: at most " + MAX_LABEL + ")");
        }
        labelStart = i + 1;
      } else if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_')) {
        throw new IllegalArgumentException("host '" + original + "' contains '" + c
            + "' (expected: letters, digits, '-' and '.')");
      }
    }
  }

  private static String normalizeIpv6(String address, String original) {
    if (address.isEmpty()) {
      throw new IllegalArgumentException("host '" + original + "' has an empty IPv6 address (expected: e.g. [::1])");
    }
    int colons = 0;
    for (int i = 0; i < address.length(); i++) {
      char c = address.charAt(i);
      if (c == ':') {
        colons++;
      } else if (!(Character.digit(c, 16) >= 0 || c == '.')) {
        throw new IllegalArgumentException("host '" + original + "' is not an IPv6 address: '" + c
            + "' is not allowed (expected: hex digits and ':', e.g. [2001:db8::1])");
      }
    }
    if (colons < 2 || colons > 7) {
      throw new IllegalArgumentException("host '" + original
          + "' is not an IPv6 address (expected: 2 to 7 ':' separators, e.g. [2001:db8::1])");
    }
    return address.toLowerCase(Locale.ROOT);
  }

  /** Splits {@code host:port}, {@code [v6]:port}, {@code [v6]} or {@code host}; port may be null. */
  private static String[] splitHostPort(String authority, String original) {
    if (authority.startsWith("[")) {
      int close = authority.indexOf(']');
      if (close < 0) {
        throw new IllegalArgumentException("'" + original + "' has '[' without ']' (expected: [v6 address]:port)");
      }
      String after = authority.substring(close + 1);
      if (after.isEmpty()) {
        return new String[] {authority.substring(0, close + 1), null};
      }
      if (!after.startsWith(":")) {
        throw new IllegalArgumentException("'" + original + "' has '" + after
            + "' after the IPv6 address (expected: ':port' or nothing)");
      }
      return new String[] {authority.substring(0, close + 1), after.substring(1)};
    }
    int colon = authority.indexOf(':');
    if (colon < 0) {
      return new String[] {authority, null};
    }
    if (authority.indexOf(':', colon + 1) >= 0) {
      throw new IllegalArgumentException(
          "'" + original + "' has an IPv6 address without brackets (expected: [v6 address]:port)");
    }
    return new String[] {authority.substring(0, colon), authority.substring(colon + 1)};
  }

  private static int parsePort(String port, String original) {
    if (port.isEmpty() || port.length() > 5) {
      throw new IllegalArgumentException(
          "'" + original + "' has port '" + port + "' (expected: a number from 1 to 65535)");
    }
    int value = 0;
    for (int i = 0; i < port.length(); i++) {
      char c = port.charAt(i);
      if (c < '0' || c > '9') {
        throw new IllegalArgumentException(
            "'" + original + "' has port '" + port + "' (expected: a number from 1 to 65535)");
      }
      value = value * 10 + (c - '0');
    }
    if (value < 1 || value > 65535) {
      throw new IllegalArgumentException(
          "'" + original + "' has port '" + port + "' (expected: a number from 1 to 65535)");
    }
    return value;
  }

  private static int indexOfAny(String s, char a, char b) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == a || c == b) {
        return i;
      }
    }
    return -1;
  }
}
