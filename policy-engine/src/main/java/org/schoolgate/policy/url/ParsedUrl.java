package org.schoolgate.policy.url;

/**
 * A request target split into the parts the policy looks at. Produced by {@link UrlParser} —
 * the one parser used by the proxy, the CLI and the admin API.
 *
 * @param scheme lower case, e.g. {@code http}, {@code https}
 * @param host normalised host: lower case, no trailing dot, IDN as punycode, IPv6 without brackets
 * @param port explicit or default port
 * @param path path starting with '/', without the query ("" for CONNECT targets)
 * @param query query without '?', or "" when absent
 */
public record ParsedUrl(String scheme, String host, int port, String path, String query) {

  /** Path plus "?query" when there is one. */
  public String pathAndQuery() {
    return query.isEmpty() ? path : path + "?" + query;
  }
}
