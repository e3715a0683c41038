package org.schoolgate.admin.oidc;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.factories.DefaultJWSVerifierFactory;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.AuthorizationCode;
import com.nimbusds.oauth2.sdk.AuthorizationCodeGrant;
import com.nimbusds.oauth2.sdk.GeneralException;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.auth.ClientAuthentication;
import com.nimbusds.oauth2.sdk.auth.ClientAuthenticationMethod;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.ClientSecretPost;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.openid.connect.sdk.AuthenticationRequest;
import com.nimbusds.openid.connect.sdk.Nonce;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponse;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponseParser;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
import java.io.IOException;
import java.net.URI;
import java.security.Key;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import org.schoolgate.admin.metrics.AdminMetrics;
import org.schoolgate.admin.metrics.AdminMetrics.OidcCall;
import org.schoolgate.admin.metrics.AdminMetrics.OidcRefusal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The school's OpenID Connect provider, as the admin server's Jetty threads use it (they may
 * block; every call to the provider has {@link OidcSettings#timeout()} to connect and again to read).
 *
 * <p>Design notes. Discovery ({@code <issuer>/.well-known/openid-configuration}, Nimbus checks that
 * the document names the same issuer) and the provider's key set are kept in Caffeine caches for
 * {@link OidcSettings#cacheFor()}; a failure is never cached, so the next sign-in asks again. An ID
 * token whose key id the cached set lacks (the provider rolled its keys) fetches the set once more,
 * at most every {@link #REFETCH_GAP}, so forged tokens with made-up key ids cannot make Schoolgate
 * hammer the provider. The token is checked here rather than with Nimbus's {@code
 * IDTokenValidator} so that time comes from the injected {@link Clock}: it must be signed (never
 * {@code alg: none}, never HMAC with the client secret) with an RSA or EC algorithm the provider
 * announces, by a key of its set; name the discovered issuer; have the client id among its
 * audiences (and as {@code azp} when there are several); not have expired and not be issued in the
 * future (each with {@link #SKEW}); and carry the flow's nonce. Then the person: the user-name
 * claim must be there, and its domain (or the {@code email} claim's, when the user name has none;
 * an {@code email_verified: false} counts as no domain) must be one of {@code allowed-domains}. The code is exchanged with the PKCE verifier and the client secret (HTTP Basic, or in
 * the form when the provider only announces that).
 */
public final class OidcProvider {
  private static final Logger log = LoggerFactory.getLogger(OidcProvider.class);
  /** How far the provider's clock may differ from ours. */
  static final Duration SKEW = Duration.ofSeconds(60);
  /** The shortest time between two fetches of the key set for unknown key ids. */
  static final Duration REFETCH_GAP = Duration.ofSeconds(30);
  /** The largest key set read. */
  static final int MAX_KEYS_BYTES = 256 * 1024;
  private static final Set<JWSAlgorithm> ALLOWED = Set.of(JWSAlgorithm.RS256, JWSAlgorithm.RS384, JWSAlgorithm.RS512,
      JWSAlgorithm.PS256, JWSAlgorithm.PS384, JWSAlgorithm.PS512, JWSAlgorithm.ES256, JWSAlgorithm.ES384,
      JWSAlgorithm.ES512);

  private final OidcSettings settings;
  private final AdminMetrics metrics;
  private final Clock clock;
  private final Cache<String, OIDCProviderMetadata> discovery;
  private final Cache<URI, JWKSet> keys;
  private volatile Instant lastRefetch = Instant.EPOCH;

  public OidcProvider(OidcSettings settings, AdminMetrics metrics, Clock clock, Ticker ticker) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.metrics = Objects.requireNonNull(metrics, "metrics");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.discovery = Caffeine.newBuilder().ticker(ticker).expireAfterWrite(settings.cacheFor()).maximumSize(1).build();
    this.keys = Caffeine.newBuilder().ticker(ticker).expireAfterWrite(settings.cacheFor()).maximumSize(4).build();
  }

  /** The settings this provider was made from. */
  public OidcSettings settings() {
    return settings;
  }

  /** What a call to the provider gave. */
  public sealed interface Answer<T> {
    record Ok<T>(T value) implements Answer<T> {}

    /** The provider said no, or its answer fails a check: the person is not signed in. */
    record Refused<T>(OidcRefusal reason, String message) implements Answer<T> {}

    /** The provider could not be reached or answered nonsense: try again later. */
    record Unavailable<T>(String message) implements Answer<T> {}
  }

  /** The provider's authorisation URL for {@code flow}, answered with a code to {@code redirectUri}. */
  public Answer<URI> authorizationUrl(OidcFlows.Flow flow, URI redirectUri) {
    Answer<OIDCProviderMetadata> meta = metadata();
    if (!(meta instanceof Answer.Ok<OIDCProviderMetadata> ok)) {
      return new Answer.Unavailable<>(((Answer.Unavailable<OIDCProviderMetadata>) meta).message());
    }
    AuthenticationRequest request = new AuthenticationRequest.Builder(ResponseType.CODE,
        new Scope(settings.scopes().toArray(String[]::new)), new ClientID(settings.clientId()), redirectUri)
        .endpointURI(ok.value().getAuthorizationEndpointURI())
        .state(new State(flow.state()))
        .nonce(new Nonce(flow.nonce()))
        .codeChallenge(new CodeVerifier(flow.codeVerifier()), CodeChallengeMethod.S256)
        .build();
    return new Answer.Ok<>(request.toURI());
  }

  /** Exchanges {@code code} for tokens and checks the ID token against {@code flow}: the person it names. */
  public Answer<OidcPerson> signIn(String code, OidcFlows.Flow flow, URI redirectUri) {
    Answer<OIDCProviderMetadata> meta = metadata();
    if (!(meta instanceof Answer.Ok<OIDCProviderMetadata> ok)) {
      return new Answer.Unavailable<>(((Answer.Unavailable<OIDCProviderMetadata>) meta).message());
    }
    OIDCProviderMetadata m = ok.value();
    ClientID client = new ClientID(settings.clientId());
    Secret secret = new Secret(settings.clientSecret());
    List<ClientAuthenticationMethod> methods = m.getTokenEndpointAuthMethods();
    ClientAuthentication auth = methods != null && !methods.contains(ClientAuthenticationMethod.CLIENT_SECRET_BASIC)
        && methods.contains(ClientAuthenticationMethod.CLIENT_SECRET_POST)
        ? new ClientSecretPost(client, secret) : new ClientSecretBasic(client, secret);
    TokenRequest request = new TokenRequest(m.getTokenEndpointURI(), auth,
        new AuthorizationCodeGrant(new AuthorizationCode(code), redirectUri, new CodeVerifier(flow.codeVerifier())));
    TokenResponse response;
    try {
      HTTPRequest http = request.toHTTPRequest();
      http.setConnectTimeout(millis());
      http.setReadTimeout(millis());
      response = OIDCTokenResponseParser.parse(http.send());
    } catch (IOException | ParseException e) {
      metrics.oidcProviderFailed(OidcCall.TOKEN);
      log.warn("OIDC token request to {} failed: {}", m.getTokenEndpointURI(), e.toString());
      return new Answer.Unavailable<>("the school's sign-in service did not answer ("
          + m.getTokenEndpointURI().getHost() + ")");
    }
    if (!response.indicatesSuccess()) {
      String error = response.toErrorResponse().getErrorObject().getCode();
      log.info("OIDC token request refused: {}", error);
      return new Answer.Refused<>(OidcRefusal.MALFORMED, "the school's sign-in service refused the sign-in ("
          + error + ")");
    }
    JWT token = ((OIDCTokenResponse) response.toSuccessResponse()).getOIDCTokens().getIDToken();
    return check(token, flow.nonce(), m);
  }

  /** Checks an ID token as {@link #signIn} does (tests give it tokens of their own making). */
  Answer<OidcPerson> check(JWT token, String nonce) {
    Answer<OIDCProviderMetadata> meta = metadata();
    if (!(meta instanceof Answer.Ok<OIDCProviderMetadata> ok)) {
      return new Answer.Unavailable<>(((Answer.Unavailable<OIDCProviderMetadata>) meta).message());
    }
    return check(token, nonce, ok.value());
  }

  private Answer<OidcPerson> check(JWT token, String nonce, OIDCProviderMetadata m) {
    if (!(token instanceof SignedJWT signed)) {
      return refused(OidcRefusal.SIGNATURE, "the ID token is not signed");
    }
    JWSHeader header = signed.getHeader();
    List<JWSAlgorithm> announced = m.getIDTokenJWSAlgs() == null ? List.of(JWSAlgorithm.RS256) : m.getIDTokenJWSAlgs();
    if (!ALLOWED.contains(header.getAlgorithm()) || !announced.contains(header.getAlgorithm())) {
      return refused(OidcRefusal.SIGNATURE, "the ID token is signed with " + header.getAlgorithm()
          + ", which the provider does not announce or Schoolgate does not accept");
    }
    Answer<Boolean> verified = verify(signed, m.getJWKSetURI(), false);
    if (verified instanceof Answer.Ok<Boolean> v && !v.value()) {
      verified = verify(signed, m.getJWKSetURI(), true);
    }
    if (verified instanceof Answer.Unavailable<Boolean> u) {
      return new Answer.Unavailable<>(u.message());
    }
    if (!((Answer.Ok<Boolean>) verified).value()) {
      return refused(OidcRefusal.SIGNATURE, "the ID token's signature does not match the provider's keys");
    }
    JWTClaimsSet claims;
    try {
      claims = signed.getJWTClaimsSet();
    } catch (java.text.ParseException e) {
      return refused(OidcRefusal.MALFORMED, "the ID token's claims cannot be read");
    }
    if (!m.getIssuer().getValue().equals(claims.getIssuer())) {
      return refused(OidcRefusal.ISSUER, "the ID token is from " + claims.getIssuer() + ", not " + m.getIssuer());
    }
    List<String> audience = claims.getAudience();
    if (!audience.contains(settings.clientId())) {
      return refused(OidcRefusal.AUDIENCE, "the ID token is not for this Schoolgate (audience " + audience + ")");
    }
    Object azp = claims.getClaim("azp");
    if (audience.size() > 1 && !settings.clientId().equals(azp)) {
      return refused(OidcRefusal.AUDIENCE, "the ID token has several audiences and is not authorised for this one");
    }
    Instant now = clock.instant();
    Date exp = claims.getExpirationTime();
    Date iat = claims.getIssueTime();
    if (exp == null || !now.minus(SKEW).isBefore(exp.toInstant())) {
      return refused(OidcRefusal.EXPIRED, "the ID token has expired");
    }
    if (iat == null || iat.toInstant().isAfter(now.plus(SKEW))) {
      return refused(OidcRefusal.EXPIRED, "the ID token is issued in the future (check both clocks)");
    }
    Object tokenNonce = claims.getClaim("nonce");
    if (!(tokenNonce instanceof String n) || !java.security.MessageDigest.isEqual(
        n.getBytes(java.nio.charset.StandardCharsets.UTF_8), nonce.getBytes(java.nio.charset.StandardCharsets.UTF_8))) {
      return refused(OidcRefusal.NONCE, "the ID token is not for this sign-in (nonce)");
    }
    return person(claims);
  }

  private Answer<OidcPerson> person(JWTClaimsSet claims) {
    String user = text(claims.getClaim(settings.userClaim()));
    String subject = claims.getSubject();
    if (user == null || subject == null || user.length() > 256) {
      return refused(OidcRefusal.NO_USER, "the ID token has no " + settings.userClaim() + " claim (set"
          + " oidc.user-claim to one the provider sends, e.g. email)");
    }
    user = user.toLowerCase(Locale.ROOT);
    String domain = domainOf(user);
    if (domain == null && !Boolean.FALSE.equals(claims.getClaim("email_verified"))) {
      String email = text(claims.getClaim("email"));
      domain = email == null ? null : domainOf(email.toLowerCase(Locale.ROOT));
    }
    if (domain == null || !settings.allowedDomains().contains(domain)) {
      return refused(OidcRefusal.DOMAIN, user + " is not an account of " + String.join(" or ",
          settings.allowedDomains()));
    }
    List<String> groups = new ArrayList<>();
    if (settings.groups() == OidcSettings.GroupSource.CLAIM) {
      Object value = claims.getClaim(settings.groupsClaim());
      if (value instanceof List<?> list) {
        for (Object o : list) {
          if (o instanceof String g && !g.isBlank() && g.length() <= 512 && groups.size() < 1000) {
            groups.add(g);
          }
        }
      } else if (value instanceof String g && !g.isBlank() && g.length() <= 512) {
        groups.add(g);
      }
    }
    return new Answer.Ok<>(new OidcPerson(user, subject, groups));
  }

  private static String domainOf(String name) {
    int at = name.lastIndexOf('@');
    return at < 0 || at == name.length() - 1 ? null : name.substring(at + 1);
  }

  private static String text(Object claim) {
    return claim instanceof String s && !s.isBlank() ? s.strip() : null;
  }

  private <T> Answer<T> refused(OidcRefusal reason, String message) {
    metrics.oidcRefused(reason);
    log.info("OIDC sign-in refused: {}", message);
    return new Answer.Refused<>(reason, message);
  }

  /** True when a key of the provider's set verifies {@code token}; {@code fresh}: fetch the set again first. */
  private Answer<Boolean> verify(SignedJWT token, URI jwksUri, boolean fresh) {
    if (fresh) {
      Instant now = clock.instant();
      if (now.isBefore(lastRefetch.plus(REFETCH_GAP))) {
        return new Answer.Ok<>(false);
      }
      lastRefetch = now;
      keys.invalidate(jwksUri);
    }
    JWKSet set;
    try {
      set = keys.get(jwksUri, this::loadKeys);
    } catch (IllegalStateException e) {
      return new Answer.Unavailable<>(e.getMessage());
    }
    try {
      List<? extends Key> candidates = new JWSVerificationKeySelector<SecurityContext>(token.getHeader().getAlgorithm(),
          new ImmutableJWKSet<>(set)).selectJWSKeys(token.getHeader(), null);
      DefaultJWSVerifierFactory factory = new DefaultJWSVerifierFactory();
      for (Key key : candidates) {
        if (token.verify(factory.createJWSVerifier(token.getHeader(), key))) {
          return new Answer.Ok<>(true);
        }
      }
      return new Answer.Ok<>(false);
    } catch (JOSEException e) {
      return new Answer.Ok<>(false);
    }
  }

  private JWKSet loadKeys(URI uri) {
    try {
      return JWKSet.load(uri.toURL(), millis(), millis(), MAX_KEYS_BYTES);
    } catch (IOException | java.text.ParseException | IllegalArgumentException e) {
      metrics.oidcProviderFailed(OidcCall.KEYS);
      log.warn("OIDC keys from {} could not be read: {}", uri, e.toString());
      throw new IllegalStateException("the school's sign-in service's keys could not be read (" + uri.getHost() + ")");
    }
  }

  /** The provider's discovery document, cached. */
  Answer<OIDCProviderMetadata> metadata() {
    try {
      return new Answer.Ok<>(discovery.get("", k -> discover()));
    } catch (IllegalStateException e) {
      return new Answer.Unavailable<>(e.getMessage());
    }
  }

  private OIDCProviderMetadata discover() {
    try {
      return OIDCProviderMetadata.resolve(new Issuer(settings.issuer()), millis(), millis());
    } catch (IOException | GeneralException | RuntimeException e) {
      metrics.oidcProviderFailed(OidcCall.DISCOVERY);
      log.warn("OIDC discovery at {} failed: {}", settings.issuer(), e.toString());
      throw new IllegalStateException("the school's sign-in service (" + settings.issuer().getHost()
          + ") cannot be reached");
    }
  }

  private int millis() {
    return (int) settings.timeout().toMillis();
  }
}
