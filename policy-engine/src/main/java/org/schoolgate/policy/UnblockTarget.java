package org.schoolgate.policy;

import java.util.Objects;

/**
 * What an unblock lifts. Never lifts an illegal category: an unblock whose target is listed in an
 * illegal category still blocks, and the admin API refuses such requests up front.
 */
public sealed interface UnblockTarget {

  /** A short text for logs and the API, e.g. {@code domain:example.com}. */
  String text();

  /** A domain and all its subdomains; {@code host} is normalised (lower case, punycode, no trailing dot). */
  record Domain(String host) implements UnblockTarget {
    public Domain {
      Objects.requireNonNull(host, "host");
    }

    @Override
    public String text() {
      return "domain:" + host;
    }
  }

  /** A URL prefix: {@code host} (and subdomains) and paths starting with {@code path} (normalised, starts with '/'). */
  record UrlPrefix(String host, String path) implements UnblockTarget {
    public UrlPrefix {
      Objects.requireNonNull(host, "host");
      Objects.requireNonNull(path, "path");
    }

    @Override
    public String text() {
      return "url:" + host + path;
    }
  }

  /** A whole category: it counts as acceptable for the scope while the unblock is in force. */
  record Category(CategoryId category) implements UnblockTarget {
    public Category {
      Objects.requireNonNull(category, "category");
    }

    @Override
    public String text() {
      return "category:" + category.value();
    }
  }

  /** Filtering off (a "filter bypass"): everything but illegal categories is allowed for the scope. */
  record Everything() implements UnblockTarget {
    @Override
    public String text() {
      return "everything";
    }
  }
}
