package org.schoolgate.admin.oidc;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The runtime configuration's {@code oidc:} section: sign-in with the school's OpenID Connect
 * provider on the device sign-in page and the console's sign-in page.
 *
 * @param issuer the provider's issuer URL (its {@code .well-known/openid-configuration} is read
 *     from there), e.g. {@code https://login.microsoftonline.com/<tenant>/v2.0} or
 *     {@code https://accounts.google.com}
 * @param clientId the client (application) id registered with the provider
 * @param clientSecret the client secret (read from {@code client-secret-file}; never logged)
 * @param scopes the scopes asked for; must include {@code openid}
 * @param userClaim the ID token claim that carries the user name ({@code preferred_username},
 *     {@code email}, {@code upn})
 * @param groups where a person's directory groups come from: a claim of the ID token, the school's
 *     directory (by user name), or nowhere (the network's own group)
 * @param groupsClaim the claim that carries groups, with {@link GroupSource#CLAIM}; else null
 * @param allowedDomains the e-mail domains whose people may sign in (the user name's part after
 *     {@code @}, else the {@code email} claim's); at least one
 * @param consoleSecondFactor whether the console still asks its own second factor after an OIDC
 *     sign-in ({@link SecondFactor#REQUIRED}, the default) or trusts the provider's
 *     ({@link SecondFactor#PROVIDER}: the school enforces MFA there)
 * @param redirectUri the callback URL registered with the provider, or null to use the admin
 *     server's public URL + {@value #CALLBACK_PATH}
 * @param timeout how long one call to the provider (discovery, keys, token) may take
 * @param cacheFor how long discovery and the provider's keys are kept (an unknown key id fetches
 *     the keys again at once)
 */
public record OidcSettings(URI issuer, String clientId, String clientSecret, List<String> scopes, String userClaim,
    GroupSource groups, String groupsClaim, List<String> allowedDomains, SecondFactor consoleSecondFactor,
    URI redirectUri, Duration timeout, Duration cacheFor) {
  /** The callback path on the admin server. */
  public static final String CALLBACK_PATH = "/oidc/callback";
  /** Scopes asked for by default. */
  public static final List<String> DEFAULT_SCOPES = List.of("openid", "profile", "email");
  /** The claim read for the user name by default. */
  public static final String DEFAULT_USER_CLAIM = "preferred_username";
  /** The default time one provider call may take. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);
  /** How long discovery and keys are kept by default. */
  public static final Duration DEFAULT_CACHE_FOR = Duration.ofHours(1);

  /** Where a person's directory groups come from. */
  public enum GroupSource {
    /** A claim of the ID token ({@code groups-claim}), e.g. Entra's {@code groups} or {@code roles}. */
    CLAIM,
    /** The school's directory, looked up by the user name (identity.directory). */
    DIRECTORY,
    /** Nowhere: a device gets its network's group. */
    NONE
  }

  /** Whether the console asks its own second factor after an OIDC sign-in. */
  public enum SecondFactor {
    /** Always (admin, dsl and senior-leader accounts enter their authenticator code as after a password). */
    REQUIRED,
    /** Never: the provider's own multi-factor sign-in is trusted. */
    PROVIDER
  }

  public OidcSettings {
    Objects.requireNonNull(issuer, "oidc.issuer (expected: the provider's issuer URL)");
    String scheme = issuer.getScheme() == null ? "" : issuer.getScheme().toLowerCase(Locale.ROOT);
    if (!issuer.isAbsolute() || issuer.getHost() == null || !(scheme.equals("https") || scheme.equals("http"))
        || issuer.getRawQuery() != null || issuer.getRawFragment() != null) {
      throw new IllegalArgumentException("oidc.issuer '" + issuer + "' is not an issuer URL (expected: https://"
          + "login.microsoftonline.com/<tenant-id>/v2.0 or https://accounts.google.com, no query or fragment)");
    }
    if (scheme.equals("http") && !loopback(issuer.getHost())) {
      throw new IllegalArgumentException("oidc.issuer '" + issuer + "' is plain http (expected: https; only a"
          + " provider on this machine, 127.0.0.1 or localhost, may use http)");
    }
    if (clientId == null || clientId.isBlank() || clientId.length() > 255) {
      throw new IllegalArgumentException("oidc.client-id is missing or longer than 255 characters (expected: the"
          + " application (client) id the provider gave Schoolgate)");
    }
    if (clientSecret == null || clientSecret.isBlank()) {
      throw new IllegalArgumentException("oidc.client-secret-file holds no secret (expected: a file with the client"
          + " secret the provider gave Schoolgate)");
    }
    scopes = scopes == null || scopes.isEmpty() ? DEFAULT_SCOPES : List.copyOf(scopes);
    if (!scopes.contains("openid")) {
      throw new IllegalArgumentException("oidc.scopes " + scopes + " lacks openid (expected: e.g. [openid, profile,"
          + " email])");
    }
    for (String s : scopes) {
      if (!s.matches("[\\x21\\x23-\\x5B\\x5D-\\x7E]+")) {
        throw new IllegalArgumentException("oidc.scopes: '" + s + "' is not a scope (expected: letters, digits and"
            + " punctuation without spaces or quotes, e.g. email)");
      }
    }
    userClaim = userClaim == null || userClaim.isBlank() ? DEFAULT_USER_CLAIM : userClaim.strip();
    groups = groups == null ? GroupSource.NONE : groups;
    if (groups == GroupSource.CLAIM && (groupsClaim == null || groupsClaim.isBlank())) {
      throw new IllegalArgumentException("oidc.groups is claim but oidc.groups-claim is missing (expected: the"
          + " claim with the person's groups, e.g. groups or roles)");
    }
    if (groups != GroupSource.CLAIM && groupsClaim != null) {
      throw new IllegalArgumentException("oidc.groups-claim is set but oidc.groups is " + name(groups)
          + " (expected: groups: claim, or no groups-claim)");
    }
    allowedDomains = allowedDomains == null ? List.of()
        : allowedDomains.stream().map(d -> d.strip().toLowerCase(Locale.ROOT)).toList();
    if (allowedDomains.isEmpty()) {
      throw new IllegalArgumentException("oidc.allowed-domains is empty (expected: the school's e-mail domains, e.g."
          + " [school.example.org]; without them any account the provider knows, any Google account, could sign in)");
    }
    for (String d : allowedDomains) {
      if (!d.matches("[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+")) {
        throw new IllegalArgumentException("oidc.allowed-domains: '" + d + "' is not a domain (expected: e.g."
            + " school.example.org, without @)");
      }
    }
    consoleSecondFactor = consoleSecondFactor == null ? SecondFactor.REQUIRED : consoleSecondFactor;
    if (redirectUri != null && (!redirectUri.isAbsolute() || redirectUri.getHost() == null
        || !redirectUri.getRawPath().equals(CALLBACK_PATH))) {
      throw new IllegalArgumentException("oidc.redirect-uri '" + redirectUri + "' is not this server's callback"
          + " (expected: the admin server's public URL + " + CALLBACK_PATH + ", e.g. https://filter.school.example"
          + CALLBACK_PATH + ")");
    }
    timeout = timeout == null ? DEFAULT_TIMEOUT : timeout;
    if (timeout.compareTo(Duration.ofMillis(100)) < 0 || timeout.compareTo(Duration.ofMinutes(1)) > 0) {
      throw new IllegalArgumentException("oidc.timeout " + timeout + " is out of range (expected: 100ms to 1m,"
          + " e.g. 5s)");
    }
    cacheFor = cacheFor == null ? DEFAULT_CACHE_FOR : cacheFor;
    if (cacheFor.compareTo(Duration.ofMinutes(1)) < 0 || cacheFor.compareTo(Duration.ofDays(1)) > 0) {
      throw new IllegalArgumentException("oidc.cache-for " + cacheFor + " is out of range (expected: 1m to 1d,"
          + " e.g. 1h)");
    }
  }

  /** Settings with the defaults for everything but the provider, the client and the domains. */
  public OidcSettings(URI issuer, String clientId, String clientSecret, List<String> allowedDomains) {
    this(issuer, clientId, clientSecret, null, null, null, null, allowedDomains, null, null, null, null);
  }

  /** The name of {@code e} as the configuration writes it. */
  public static String name(Enum<?> e) {
    return e.name().toLowerCase(Locale.ROOT);
  }

  private static boolean loopback(String host) {
    return host.equals("127.0.0.1") || host.equals("localhost") || host.equals("[::1]");
  }

  @Override
  public String toString() {
    return "OidcSettings[issuer=" + issuer + ", clientId=" + clientId + ", clientSecret=(set), scopes=" + scopes
        + ", userClaim=" + userClaim + ", groups=" + name(groups) + (groupsClaim == null ? "" : " (" + groupsClaim
        + ")") + ", allowedDomains=" + allowedDomains + ", consoleSecondFactor=" + name(consoleSecondFactor)
        + ", redirectUri=" + redirectUri + ", timeout=" + timeout + ", cacheFor=" + cacheFor + "]";
  }
}
