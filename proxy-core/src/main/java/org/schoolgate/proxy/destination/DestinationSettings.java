package org.schoolgate.proxy.destination;

import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * How the proxy checks destinations.
 *
 * <pre>{@code
 * new DestinationSettings(URI.create("http://filter.school.example:8080"), key,
 *     DestinationSettings.DEFAULT_REFRESH);
 * }</pre>
 *
 * @param adminOrigin the admin API's public origin ({@code admin.public-url}: scheme, host,
 *     port), exempt from the destination check when its address is not loopback; null: none
 * @param proxyKey the secret the proxy sends the admin origin in {@code X-Schoolgate-Proxy-Key}
 *     (deploy generates it at start: at least 32 random bytes, base64url); null only without an
 *     admin origin
 * @param refresh how often the proxy host's own addresses are read again
 */
public record DestinationSettings(URI adminOrigin, String proxyKey, Duration refresh) {
  /** Own addresses are read again every 10 s (a DHCP renewal, a new VLAN interface). */
  public static final Duration DEFAULT_REFRESH = Duration.ofSeconds(10);
  /** No admin origin, the default refresh. */
  public static final DestinationSettings NONE = new DestinationSettings(null, null, DEFAULT_REFRESH);
  /** Shortest key accepted: 32 bytes in base64url without padding. */
  public static final int MIN_KEY_CHARS = 43;

  public DestinationSettings {
    Objects.requireNonNull(refresh, "proxy.destinations.refresh is null (expected: e.g. 10s)");
    if (refresh.compareTo(Duration.ofMillis(100)) < 0 || refresh.compareTo(Duration.ofHours(1)) > 0) {
      throw new IllegalArgumentException("proxy.destinations.refresh: " + refresh
          + " (expected: between 100 ms and 1 hour)");
    }
    if (adminOrigin != null) {
      String scheme = adminOrigin.getScheme() == null ? ""
          : adminOrigin.getScheme().toLowerCase(Locale.ROOT);
      if (!(scheme.equals("http") || scheme.equals("https")) || adminOrigin.getHost() == null) {
        throw new IllegalArgumentException("proxy.destinations.adminOrigin: '" + adminOrigin
            + "' (expected: the admin API's public http(s) URL, e.g. http://filter.school.example:8080)");
      }
      if (proxyKey == null || proxyKey.length() < MIN_KEY_CHARS
          || !proxyKey.chars().allMatch(c -> Character.isLetterOrDigit(c) || c == '-' || c == '_')) {
        throw new IllegalArgumentException("proxy.destinations.proxyKey: "
            + (proxyKey == null ? "missing" : proxyKey.length() + " characters")
            + " (expected: at least 32 random bytes in base64url, " + MIN_KEY_CHARS
            + " characters or more; deploy generates one at start)");
      }
    }
  }

  /** The admin origin's port (its scheme's default when the URL has none), or -1 without one. */
  public int adminPort() {
    if (adminOrigin == null) {
      return -1;
    }
    if (adminOrigin.getPort() > 0) {
      return adminOrigin.getPort();
    }
    return "https".equalsIgnoreCase(adminOrigin.getScheme()) ? 443 : 80;
  }
}
