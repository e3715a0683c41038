package org.schoolgate.policy.url;

/**
 * Parses absolute URLs ({@code http://host:port/path?q}), CONNECT targets ({@code host:port},
 * {@code [v6]:port}) and bare hosts, normalising the host the way browsers do.
 */
public final class UrlParser {
  private UrlParser() {}

  /** Parses an absolute URL or a bare host; throws IllegalArgumentException saying what is wrong. */
  public static ParsedUrl parse(String url) {
    // CONTRACT STUB: implemented by the policy-engine work.
    throw new UnsupportedOperationException("not implemented yet");
  }

  /** Parses a CONNECT target {@code host:port}; throws IllegalArgumentException when invalid. */
  public static ParsedUrl parseConnectTarget(String target) {
    // CONTRACT STUB: implemented by the policy-engine work.
    throw new UnsupportedOperationException("not implemented yet");
  }

  /** Normalises a host name: lower case, no trailing dot, no port/brackets, IDN to punycode. */
  public static String normalizeHost(String host) {
    // CONTRACT STUB: implemented by the policy-engine work.
    throw new UnsupportedOperationException("not implemented yet");
  }
}
