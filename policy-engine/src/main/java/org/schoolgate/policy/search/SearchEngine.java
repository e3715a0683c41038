package org.schoolgate.policy.search;

import java.util.Locale;
import java.util.Objects;

/**
 * A school-configured search site ({@code alerts.search-engines}): requests to {@code host}
 * whose path starts with {@code pathPrefix} (any path when null) carry the term in query
 * parameter {@code parameter}.
 *
 * @param host the normalised host, e.g. {@code search.example.org} (exact, lower case)
 * @param parameter the query parameter holding the term, e.g. {@code q}
 * @param pathPrefix the path the request must start with, e.g. {@code /find}, or null for any
 */
public record SearchEngine(String host, String parameter, String pathPrefix) {
  public SearchEngine {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(parameter, "parameter");
    host = host.strip().toLowerCase(Locale.ROOT);
    if (host.endsWith(".")) {
      host = host.substring(0, host.length() - 1);
    }
    if (host.isEmpty() || !host.matches("[a-z0-9.-]+") || host.startsWith(".") || host.contains("..")) {
      throw new IllegalArgumentException("search engine host '" + host
          + "' is not a host name (expected: e.g. search.example.org, without scheme or path)");
    }
    if (parameter.isEmpty() || parameter.indexOf('=') >= 0 || parameter.indexOf('&') >= 0
        || !parameter.strip().equals(parameter)) {
      throw new IllegalArgumentException("search engine parameter '" + parameter
          + "' is not a query parameter name (expected: e.g. q)");
    }
    if (pathPrefix != null && !pathPrefix.startsWith("/")) {
      throw new IllegalArgumentException("search engine path '" + pathPrefix
          + "' does not start with '/' (expected: e.g. /find)");
    }
  }
}
