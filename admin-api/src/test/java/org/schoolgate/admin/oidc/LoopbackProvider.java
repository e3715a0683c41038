package org.schoolgate.admin.oidc;

import java.net.InetAddress;
import java.net.URI;
import java.util.List;
import java.util.Map;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.OAuth2Config;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;

/**
 * A real OpenID Connect provider on loopback for tests: NAV's mock-oauth2-server (discovery, JWKS,
 * authorize with state and nonce, a token endpoint that checks PKCE, RS256-signed ID tokens) on
 * 127.0.0.1 and a free port. Its tokens carry the wall clock's times (its token answers' {@code
 * expires_in} are counted from the wall clock too), as Schoolgate checks them. Who signs in next is
 * queued with {@link #next}.
 */
public final class LoopbackProvider implements AutoCloseable {
  public static final String TENANT = "school";
  public static final String CLIENT_ID = "schoolgate-test-client";
  public static final String CLIENT_SECRET = "a-client-secret-for-tests";

  private final MockOAuth2Server server;

  public LoopbackProvider() {
    server = new MockOAuth2Server(new OAuth2Config());
    try {
      server.start(InetAddress.getByName("127.0.0.1"), 0);
      server.issueToken(TENANT, "warm-up"); // keys are made on first use: not inside a test's sign-in
    } catch (java.net.UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The issuer URL (http on loopback). */
  public URI issuer() {
    return server.issuerUrl(TENANT).uri();
  }

  /** Settings for this provider: user name from preferred_username, groups from {@code groups}, school.example only. */
  public OidcSettings settings(OidcSettings.SecondFactor secondFactor) {
    return new OidcSettings(issuer(), CLIENT_ID, CLIENT_SECRET, null, null, OidcSettings.GroupSource.CLAIM, "groups",
        List.of("school.example"), secondFactor, null, java.time.Duration.ofSeconds(30), null);
  }

  /** The next sign-in at the provider is {@code user} with {@code groups} (and any other claims). */
  public void next(String user, List<String> groups, Map<String, Object> more) {
    Map<String, Object> claims = new java.util.HashMap<>(more);
    claims.put("preferred_username", user);
    claims.put("groups", groups);
    server.enqueueCallback(new DefaultOAuth2TokenCallback(TENANT, "sub-" + user, "JWT", List.of(CLIENT_ID), claims,
        3600));
  }

  /** The mock server itself (its keys sign tokens a test makes by hand). */
  public MockOAuth2Server server() {
    return server;
  }

  @Override
  public void close() {
    server.shutdown();
  }
}
