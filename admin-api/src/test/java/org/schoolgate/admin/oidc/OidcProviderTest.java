package org.schoolgate.admin.oidc;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.benmanes.caffeine.cache.Ticker;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.schoolgate.admin.metrics.AdminMetrics;
import org.schoolgate.admin.metrics.AdminMetrics.OidcRefusal;
import org.schoolgate.admin.oidc.OidcProvider.Answer;
import org.schoolgate.policy.PolicyHolder;
import org.schoolgate.policy.sample.SamplePolicy;
import org.schoolgate.policy.testing.MutableClock;

/**
 * The ID token checks against a real provider on loopback (its discovery document and keys):
 * one of its own tokens for this client and this sign-in's nonce names the person; a token signed
 * by another key, an expired one, one for another client, one for another sign-in, an unsigned
 * one and one from another issuer are each refused with their reason; an unreachable provider is
 * unavailable and counted.
 */
class OidcProviderTest {
  private static final String NONCE = "the-nonce-of-this-sign-in";
  private static LoopbackProvider loopback;
  private static PolicyHolder holder;
  @TempDir static Path dir;
  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

  @BeforeAll
  static void start() throws Exception {
    loopback = new LoopbackProvider();
    holder = PolicyHolder.load(SamplePolicy.extractTo(dir.resolve("policy")), Clock.systemUTC());
  }

  @AfterAll
  static void stop() {
    loopback.close();
  }

  private OidcProvider provider(Clock clock) {
    return new OidcProvider(loopback.settings(OidcSettings.SecondFactor.REQUIRED), new AdminMetrics(registry, holder),
        clock, Ticker.systemTicker());
  }

  private SignedJWT token(List<String> audience, Map<String, Object> extra, long expirySeconds) {
    Map<String, Object> claims = new HashMap<>(Map.of("nonce", NONCE, "preferred_username", "A.Pupil@School.Example",
        "groups", List.of("CN=Year9,OU=Pupils", "CN=Pupils")));
    claims.putAll(extra);
    return loopback.server().issueToken(LoopbackProvider.TENANT, LoopbackProvider.CLIENT_ID,
        new DefaultOAuth2TokenCallback(LoopbackProvider.TENANT, "sub-pupil", "JWT", audience, claims, expirySeconds));
  }

  private SignedJWT token() {
    return token(List.of(LoopbackProvider.CLIENT_ID), Map.of(), 3600);
  }

  private double refused(OidcRefusal reason) {
    return registry.get("schoolgate.oidc.tokens.refused").tag("reason", reason.name().toLowerCase(java.util.Locale.ROOT)
        .replace('_', '-'))
        .counter().count();
  }

  @Test
  void theProvidersOwnTokenForThisClientAndNonceNamesThePersonAndTheirGroups() {
    Answer<OidcPerson> answer = provider(Clock.systemUTC()).check(token(), NONCE);

    assertThat(answer).isInstanceOf(Answer.Ok.class);
    OidcPerson person = ((Answer.Ok<OidcPerson>) answer).value();
    assertThat(person.user()).isEqualTo("a.pupil@school.example");
    assertThat(person.localPart()).isEqualTo("a.pupil");
    assertThat(person.subject()).isEqualTo("sub-pupil");
    assertThat(person.groups()).containsExactly("CN=Year9,OU=Pupils", "CN=Pupils");
  }

  @Test
  void aTokenSignedByAnotherKeyWithTheProvidersKeyIdIsRefused() throws Exception {
    SignedJWT real = token();
    RSAKey other = new RSAKeyGenerator(2048).keyID(real.getHeader().getKeyID()).generate();
    SignedJWT forged = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(other.getKeyID())
        .type(JOSEObjectType.JWT).build(), real.getJWTClaimsSet());
    forged.sign(new RSASSASigner(other));

    assertRefused(provider(Clock.systemUTC()).check(forged, NONCE), OidcRefusal.SIGNATURE, "signature");
  }

  @Test
  void anUnsignedTokenIsRefused() throws Exception {
    JWT plain = new PlainJWT(token().getJWTClaimsSet());

    assertRefused(provider(Clock.systemUTC()).check(plain, NONCE), OidcRefusal.SIGNATURE, "not signed");
  }

  @Test
  void anExpiredTokenIsRefusedOnceItsTimeHasPassedByMoreThanTheSkew() {
    SignedJWT fresh = token(List.of(LoopbackProvider.CLIENT_ID), Map.of(), 600);
    MutableClock clock = new MutableClock(Instant.now());
    OidcProvider provider = provider(clock);
    assertThat(provider.check(fresh, NONCE)).isInstanceOf(Answer.Ok.class);

    clock.advance(Duration.ofSeconds(600).plus(OidcProvider.SKEW));

    assertRefused(provider.check(fresh, NONCE), OidcRefusal.EXPIRED, "expired");
  }

  @Test
  void aTokenForAnotherClientIsRefused() {
    SignedJWT other = token(List.of("another-app"), Map.of(), 3600);

    assertRefused(provider(Clock.systemUTC()).check(other, NONCE), OidcRefusal.AUDIENCE, "not for this Schoolgate");
  }

  @Test
  void aTokenWithSeveralAudiencesNeedsThisClientAsItsAuthorisedParty() throws Exception {
    // signed by the provider's own key for this issuer, with exactly these claims
    SignedJWT shared = loopback.server().getConfig().getTokenProvider().jwt(Map.of("iss",
        loopback.issuer().toString(), "sub", "sub-pupil", "aud", List.of(LoopbackProvider.CLIENT_ID, "another-app"),
        "azp", "another-app", "nonce", NONCE, "preferred_username", "a.pupil@school.example"), Duration.ofHours(1),
        LoopbackProvider.TENANT);
    assertThat(shared.getJWTClaimsSet().getAudience()).containsExactly(LoopbackProvider.CLIENT_ID, "another-app");

    assertRefused(provider(Clock.systemUTC()).check(shared, NONCE), OidcRefusal.AUDIENCE, "several audiences");
  }

  @Test
  void aTokenOfAnotherSignInIsRefusedByItsNonce() {
    assertRefused(provider(Clock.systemUTC()).check(token(), "the-nonce-of-another-sign-in"), OidcRefusal.NONCE,
        "nonce");
  }

  @Test
  void aTokenFromAnotherIssuerSignedByTheSameKeysIsRefused() {
    SignedJWT foreign = loopback.server().issueToken("another-tenant", LoopbackProvider.CLIENT_ID,
        new DefaultOAuth2TokenCallback("another-tenant", "sub-x", "JWT", List.of(LoopbackProvider.CLIENT_ID),
            Map.of("nonce", NONCE, "preferred_username", "x@school.example"), 3600));

    Answer<OidcPerson> answer = provider(Clock.systemUTC()).check(foreign, NONCE);

    assertThat(answer).isInstanceOf(Answer.Refused.class);
    assertThat(((Answer.Refused<OidcPerson>) answer).reason()).isIn(OidcRefusal.ISSUER, OidcRefusal.SIGNATURE);
  }

  @Test
  void aPersonOfAnotherDomainAndATokenWithoutTheUserClaimAreRefused() {
    OidcProvider provider = provider(Clock.systemUTC());

    assertRefused(provider.check(token(List.of(LoopbackProvider.CLIENT_ID),
        Map.of("preferred_username", "someone@gmail.example"), 3600), NONCE), OidcRefusal.DOMAIN,
        "someone@gmail.example is not an account of school.example");
    assertRefused(provider.check(token(List.of(LoopbackProvider.CLIENT_ID), Map.of("preferred_username", ""), 3600),
        NONCE), OidcRefusal.NO_USER, "no preferred_username claim");
  }

  @Test
  void anUnreachableProviderIsUnavailableAndCounted() throws Exception {
    int closed;
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
      closed = s.getLocalPort();
    }
    OidcSettings settings = new OidcSettings(URI.create("http://127.0.0.1:" + closed + "/school"), "c", "s",
        List.of("school.example"));
    OidcProvider provider = new OidcProvider(settings, new AdminMetrics(registry, holder), Clock.systemUTC(),
        Ticker.systemTicker());

    Answer<URI> answer = provider.authorizationUrl(new OidcFlows(Clock.systemUTC())
        .start(new OidcFlows.Purpose.Console("/"), URI.create("http://127.0.0.1/oidc/callback")).orElseThrow().flow(),
        URI.create("http://127.0.0.1/oidc/callback"));

    assertThat(answer).isInstanceOf(Answer.Unavailable.class);
    assertThat(((Answer.Unavailable<URI>) answer).message()).contains("cannot be reached").contains("127.0.0.1");
    assertThat(registry.get("schoolgate.oidc.provider.failures").tag("call", "discovery").counter().count())
        .isEqualTo(1.0);
  }

  private void assertRefused(Answer<OidcPerson> answer, OidcRefusal reason, String message) {
    assertThat(answer).isInstanceOf(Answer.Refused.class);
    Answer.Refused<OidcPerson> r = (Answer.Refused<OidcPerson>) answer;
    assertThat(r.reason()).isEqualTo(reason);
    assertThat(r.message()).contains(message);
    assertThat(refused(reason)).isEqualTo(1.0);
  }

}
