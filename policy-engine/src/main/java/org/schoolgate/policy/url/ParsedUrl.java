package org.schoolgate.policy.url;

/**
 * A request target split into the parts the policy looks at. Produced by {@link UrlParser} —
 * the one parser used by the proxy, the CLI and the admin API.
 *
 * @param scheme lower case, e.g. {@code http}, {@code https}
 * @param host normalised host: lower case, no trailing dot, IDN as punycode, IPv4 as a dotted
 *     quad, IPv6 in WHATWG's compressed form without brackets (IPv4-mapped as the IPv4 address)
 * @param port explicit or default port
 * @param path canonical path starting with '/', without the query ("" for CONNECT targets)
 * @param query query without '?', or "" when absent
 * @param mixedScript true when a label of the host is a likely look-alike: it mixes writing
 *     systems ({@code pаypal} with a Cyrillic {@code а}) or reads as an ASCII name although
 *     written in another script ({@code аррӏе}); the proxy logs it (see
 *     {@link UrlParser#isMixedScript})
 */
public record ParsedUrl(String scheme, String host, int port, String path, String query,
    boolean mixedScript) {

  public ParsedUrl {
    if (scheme == null || host == null || path == null || query == null) {
      throw new IllegalArgumentException("ParsedUrl: scheme, host, path and query must not be null"
          + " (expected: \"\" for an absent path or query)");
    }
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("ParsedUrl: port " + port + " (expected: 1 to 65535)");
    }
  }

  /** A target whose host is not a look-alike. */
  public ParsedUrl(String scheme, String host, int port, String path, String query) {
    this(scheme, host, port, path, query, false);
  }

  /** Path plus "?query" when there is one. */
  public String pathAndQuery() {
    return query.isEmpty() ? path : path + "?" + query;
  }
}
