package org.schoolgate.policy.url;

import java.util.Locale;

/**
 * Parses absolute URLs ({@code http://host:port/path?q}), CONNECT targets ({@code host:port},
 * {@code [v6]:port}) and bare hosts the way browsers read them (WHATWG URL), so that no spelling
 * of a listed site slips past a block.
 *
 * <pre>{@code
 * ParsedUrl u = UrlParser.parse("HTTP://User@WWW.Example.COM.:8080/a/./b/../%63?q");
 * // u.host() = "www.example.com", u.port() = 8080, u.path() = "/a/c", u.query() = "q"
 * }</pre>
 *
 * <p>What is normalised, and where:
 * <ul>
 *   <li>the URL: surrounding spaces and controls trimmed, tabs and newlines removed; scheme in
 *       any case; {@code \} read as {@code /}; userinfo dropped (the host is after the last
 *       {@code @}: {@code http://good.com@bad.com/} is {@code bad.com}); the default port when
 *       none or an empty one is given; fragment dropped. More than two slashes after the scheme
 *       ({@code http:///x}) is refused rather than guessed.
 *   <li>the host ({@link #normalizeHost}): percent-decoded ({@code %62ad.com}), then WHATWG
 *       domain to ASCII for a host with non-ASCII characters or {@code xn--} labels (UTS #46 as
 *       browsers apply it, via ICU: case folding, full-width forms and dots, nontransitional so
 *       {@code straße.de} is {@code xn--strae-oqa.de}, Bidi and joiner rules; {@code xn--} labels
 *       decoded and checked, see {@link HostDecoder}), lower case, one trailing dot dropped, IPv4
 *       in any WHATWG form to a dotted quad ({@link Ipv4}), IPv6 to its compressed form
 *       ({@link Ipv6}); anything but letters, digits, {@code -}, {@code _} and dots after that is
 *       an error. Plain ASCII names never reach ICU.
 *   <li>the path ({@link #normalizePath}): one canonical encoding, dot segments resolved,
 *       repeated slashes collapsed ({@link PathNormaliser}). The query is kept as sent.
 * </ul>
 *
 * <p>Every method throws {@link IllegalArgumentException} with a message that quotes the input
 * and says what was expected; none throws anything else on any input.
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
    String s = clean(url);
    String scheme = "http";
    String rest = s;
    int schemeEnd = schemeEnd(s);
    if (schemeEnd > 0) {
      scheme = s.substring(0, schemeEnd).toLowerCase(Locale.ROOT);
      if (!scheme.equals("http") && !scheme.equals("https") && !scheme.equals("ws") && !scheme.equals("wss")) {
        throw new IllegalArgumentException(
            "URL '" + url + "' has scheme '" + scheme + "' (expected: http, https, ws or wss)");
      }
      int i = schemeEnd + 1;
      int slashes = 0;
      while (i < s.length() && (s.charAt(i) == '/' || s.charAt(i) == '\\')) {
        i++;
        slashes++;
      }
      if (slashes > 2) {
        throw new IllegalArgumentException("URL '" + url + "' has no host (expected: http://host/path)");
      }
      rest = s.substring(i);
    }
    int hash = rest.indexOf('#');
    if (hash >= 0) {
      rest = rest.substring(0, hash);
    }
    int authorityEnd = authorityEnd(rest);
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
    int port = hostPort[1] == null || hostPort[1].isEmpty() ? defaultPort : parsePort(hostPort[1], url);
    String host = normalizeHost(hostPort[0]);
    String path = tail;
    String query = "";
    int q = tail.indexOf('?');
    if (q >= 0) {
      path = tail.substring(0, q);
      query = tail.substring(q + 1);
    }
    return new ParsedUrl(scheme, host, port, PathNormaliser.normalise(path), query,
        isMixedScript(host));
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
    String host = normalizeHost(hostPort[0]);
    return new ParsedUrl("https", host, port, "", "", isMixedScript(host));
  }

  /**
   * The canonical form of a URL path (see {@link PathNormaliser}): apply it to a list's path
   * prefixes too, so both sides are spelled alike. Returns the same instance when already
   * canonical.
   */
  public static String normalizePath(String path) {
    return PathNormaliser.normalise(path == null ? "" : path);
  }

  /**
   * True when a label of the normalised {@code host} is a likely look-alike (see
   * {@link LookAlikes}): it mixes writing systems ({@code pаypal} with a Cyrillic {@code а}) or
   * reads as an ASCII name as a whole ({@code аррӏе} in Cyrillic). False for hosts without
   * {@code xn--} labels (allocating nothing) and for hosts that are not valid. Allocates nothing
   * either for an {@code xn--} host checked recently ({@link CheckedHosts}).
   */
  public static boolean isMixedScript(String host) {
    if (!CheckedHosts.hasAceLabel(host)) {
      return false;
    }
    try {
      return CheckedHosts.check(host, host).lookAlike();
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /**
   * Normalises a host name: percent-decoded, IDN to punycode (WHATWG domain to ASCII), lower case,
   * no trailing dot, no port/brackets, IPv4 as a dotted quad, IPv6 compressed. Returns the same
   * instance when the host is already normal, so calling it on normal hosts allocates nothing
   * (for hosts with {@code xn--} labels: once they have been checked recently).
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
      return Ipv6.parse(h.substring(1, close), host);
    }
    int colon = h.indexOf(':');
    if (colon >= 0) {
      if (h.indexOf(':', colon + 1) >= 0) {
        return Ipv6.parse(h, host);
      }
      String port = h.substring(colon + 1);
      if (!port.isEmpty()) {
        parsePort(port, host);
      }
      h = h.substring(0, colon);
    }
    if (h.indexOf('%') >= 0) {
      h = HostDecoder.percentDecode(h, host);
    }
    boolean unicode = !isAscii(h);
    h = unicode ? HostDecoder.toAscii(h, host) : h.toLowerCase(Locale.ROOT);
    if (h.endsWith(".")) {
      h = h.substring(0, h.length() - 1);
    }
    if (h.isEmpty()) {
      throw new IllegalArgumentException("host '" + host + "' is empty (expected: a name such as example.com)");
    }
    if (Ipv4.endsInNumber(h)) {
      return Ipv4.parse(h, host);
    }
    checkDomain(h, host);
    if (!unicode && CheckedHosts.hasAceLabel(h)) {
      CheckedHosts.check(h, host);
    }
    return h;
  }

  /**
   * True when {@code host} is already normal: non-empty, at most 253 characters, only
   * {@code [a-z0-9._-]}, no empty label, no label over 63 characters, when the last label is a
   * number a canonical dotted-quad IPv4 address, and every {@code xn--} label valid punycode of a
   * valid label. Allocates nothing for hosts without {@code xn--} labels, nor for those checked
   * recently; the first check of an {@code xn--} host decodes it with ICU.
   */
  public static boolean isNormalDomain(CharSequence host) {
    int n = host.length();
    if (n == 0 || n > MAX_HOST) {
      return false;
    }
    int labelStart = 0;
    boolean ace = false;
    for (int i = 0; i < n; i++) {
      char c = host.charAt(i);
      if (c == '.') {
        if (i == labelStart || i - labelStart > MAX_LABEL) {
          return false;
        }
        labelStart = i + 1;
      } else if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_')) {
        return false;
      } else if (c == '-' && i == labelStart + 3 && host.charAt(i - 1) == '-'
          && host.charAt(i - 2) == 'n' && host.charAt(i - 3) == 'x') {
        ace = true;
      }
    }
    return labelStart < n && n - labelStart <= MAX_LABEL
        && (!Ipv4.endsInNumber(host) || Ipv4.isCanonical(host))
        && (!ace || CheckedHosts.isValid(host.toString()));
  }

  private static boolean isAscii(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) >= 0x80) {
        return false;
      }
    }
    return true;
  }

  /** Trims leading and trailing C0 controls and spaces, and removes tabs and newlines. */
  private static String clean(String url) {
    int start = 0;
    int end = url.length();
    while (start < end && url.charAt(start) <= ' ') {
      start++;
    }
    while (end > start && url.charAt(end - 1) <= ' ') {
      end--;
    }
    String s = url.substring(start, end);
    if (s.indexOf('\t') < 0 && s.indexOf('\n') < 0 && s.indexOf('\r') < 0) {
      return s;
    }
    StringBuilder out = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c != '\t' && c != '\n' && c != '\r') {
        out.append(c);
      }
    }
    return out.toString();
  }

  /**
   * The index of the ':' ending the scheme, or -1 for a bare host: a scheme is letters, digits,
   * '+', '-', '.' starting with a letter, followed by ':' and a slash or backslash — or by
   * anything when it is http, https, ws or wss ({@code http:bad.com}).
   */
  private static int schemeEnd(String s) {
    int colon = s.indexOf(':');
    if (colon <= 0 || !Character.isLetter(s.charAt(0)) || s.charAt(0) >= 0x80) {
      return -1;
    }
    for (int i = 1; i < colon; i++) {
      char c = s.charAt(i);
      if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
          || c == '+' || c == '-' || c == '.')) {
        return -1;
      }
    }
    if (colon + 1 < s.length() && (s.charAt(colon + 1) == '/' || s.charAt(colon + 1) == '\\')) {
      return colon;
    }
    String name = s.substring(0, colon).toLowerCase(Locale.ROOT);
    boolean special = name.equals("http") || name.equals("https") || name.equals("ws") || name.equals("wss");
    return special ? colon : -1;
  }

  private static int authorityEnd(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '/' || c == '\\' || c == '?') {
        return i;
      }
    }
    return -1;
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
        throw new IllegalArgumentException("host '" + original + "' contains '" + printable(c)
            + "' (expected: letters, digits, '-' and '.')");
      }
    }
  }

  private static String printable(char c) {
    return c < ' ' || c == 0x7f ? String.format(Locale.ROOT, "\\u%04x", (int) c) : String.valueOf(c);
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
    int start = 0;
    while (start < port.length() - 1 && port.charAt(start) == '0') {
      start++;
    }
    if (port.isEmpty() || port.length() - start > 5) {
      throw new IllegalArgumentException(
          "'" + original + "' has port '" + port + "' (expected: a number from 1 to 65535)");
    }
    int value = 0;
    for (int i = start; i < port.length(); i++) {
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
}
