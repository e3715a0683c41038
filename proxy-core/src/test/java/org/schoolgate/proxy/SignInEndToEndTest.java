package org.schoolgate.proxy;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.schoolgate.identity.FakeTicker;
import org.schoolgate.identity.IdentityService;
import org.schoolgate.identity.TestDirectory;
import org.schoolgate.identity.TestKdc;
import org.schoolgate.identity.binding.BindingTable;
import org.schoolgate.identity.binding.UserNameRule;
import org.schoolgate.identity.directory.LdapDirectory;
import org.schoolgate.identity.directory.LdapSettings;
import org.schoolgate.identity.kerberos.SpnegoAcceptor;
import org.schoolgate.identity.metrics.IdentityMetrics;
import org.schoolgate.identity.metrics.IdentityMetrics.Radius;
import org.schoolgate.identity.radius.AccountingServer;
import org.schoolgate.identity.radius.RadiusSettings;
import org.schoolgate.identity.verify.CredentialVerifier;
import org.schoolgate.identity.verify.VerifierSettings;
import org.schoolgate.policy.model.Subnet;
import org.schoolgate.policy.testing.Eventually;
import org.schoolgate.proxy.testing.ProxyClient;
import org.schoolgate.proxy.testing.ProxyClient.Response;
import org.schoolgate.proxy.testing.ProxyExtension;
import org.tinyradius.packet.AccountingRequest;
import org.tinyradius.util.RadiusClient;

/**
 * Who is behind a request, through the real proxy with real sources: an in-process LDAP directory
 * (UnboundID, pupils and staff in nested groups, LDAPS), a real KDC (Kerby) and the JDK's
 * Kerberos client, a RADIUS accounting server fed by a TinyRadius NAS, the credential verifier's
 * cache on a ticker the test moves. Client addresses are loopback ones the policy puts in
 * networks: 127.0.0.16/28 pupil PCs (sign-in optional), 127.0.0.32/28 staff PCs (sign-in
 * required, Negotiate then Basic), 127.0.0.48/28 Wi-Fi (RADIUS trusted). The directory outage
 * runs last: it stops the directory for good.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SignInEndToEndTest {
  private static final String PUPIL_PC = "127.0.0.17";
  private static final String STAFF_PC = "127.0.0.33";
  private static final String WIFI_TABLET = "127.0.0.49";
  private static final String RADIUS_SECRET = "wlc-secret-for-tests";
  private static final Duration CACHE_FOR = Duration.ofMinutes(5);
  private static final Duration CEILING = Duration.ofSeconds(20);

  private static final FakeTicker ticker = new FakeTicker();
  private static final IdentityMetrics identityMetrics = new IdentityMetrics(new SimpleMeterRegistry());
  private static final BindingTable bindings =
      BindingTable.inMemory(java.time.Clock.systemUTC(), identityMetrics);
  private static Path dir;
  private static TestDirectory directory;
  private static TestKdc kdc;
  private static CredentialVerifier verifier;
  private static LdapDirectory ldap;
  private static AccountingServer radius;

  @RegisterExtension
  static WireMockExtension origin = WireMockExtension.newInstance()
      .options(wireMockConfig().dynamicPort().bindAddress("127.0.0.1")).build();

  @RegisterExtension
  static ProxyExtension proxy = ProxyExtension.withPolicy("""
          timezone: Europe/London
          clients:
            allow: [127.0.0.0/24]
          groups:
            pupils: { subnets: [127.0.0.16/28] }
            staff:  { subnets: [127.0.0.32/28] }
            wifi:   { subnets: [127.0.0.48/28] }
          categories:
            gambling:     { domains: [bet.test] }
            video:        { domains: [video.test] }
            social-media: { domains: [social.test] }
          matrix:
            gambling:     { default: unacceptable }
            video:        { default: unacceptable, staff: acceptable }
            social-media:
              default: unacceptable
              staff: { nominated: { directory-groups: ["cn=Social Media Team,ou=Groups,dc=school,dc=example"] } }
          default: acceptable
          identification:
            networks:
              staff-pcs: { subnets: [127.0.0.32/28], proxy-auth: required, schemes: [negotiate, basic] }
              pupil-pcs: { subnets: [127.0.0.16/28], proxy-auth: optional, schemes: [basic] }
              wifi:      { subnets: [127.0.0.48/28] }
            directory-groups:
              - { directory-group: KS3, group: pupils }
              - { directory-group: "cn=Staff,ou=Groups,dc=school,dc=example", group: staff }
          """)
      .staticHost("video.test", "127.0.0.1")
      .staticHost("social.test", "127.0.0.1")
      .staticHost("news.test", "127.0.0.1")
      .identity(SignInEndToEndTest::startIdentity);

  /** The directory, KDC, verifier and RADIUS server, started when the proxy starts. */
  private static IdentityService startIdentity() {
    try {
      dir = Files.createTempDirectory("schoolgate-sign-in-test");
      directory = new TestDirectory(dir);
      kdc = new TestKdc(dir);
      ldap = new LdapDirectory(directory.settings(LdapSettings.Membership.MEMBER_OF), identityMetrics);
      verifier = new CredentialVerifier(new VerifierSettings(CACHE_FOR, 1000, 5, Duration.ofMinutes(30), 6, 4, 100,
          Duration.ofSeconds(30)), ldap, null, SpnegoAcceptor.fromKeytab(kdc.keytab, TestKdc.SERVICE),
          identityMetrics, ticker, java.time.Clock.systemUTC());
      radius = AccountingServer.start(new RadiusSettings(new InetSocketAddress("127.0.0.1", 0),
          List.of(new org.schoolgate.identity.radius.RadiusClient("wlc", Subnet.parse("127.0.0.1/32"),
              RADIUS_SECRET)),
          new UserNameRule(Set.of("school.example"), true), Duration.ofHours(8), Duration.ofSeconds(30)),
          bindings, identityMetrics, java.time.Clock.systemUTC());
      return new IdentityService(verifier, bindings, java.time.Clock.systemUTC());
    } catch (Exception e) {
      throw new IllegalStateException("identity sources did not start", e);
    }
  }

  @AfterAll
  static void stopIdentity() throws Exception {
    radius.close();
    verifier.close();
    ldap.close();
    kdc.close();
    directory.close();
  }

  @BeforeEach
  void stubOrigin() {
    origin.stubFor(get(urlPathMatching("/.*"))
        .willReturn(aResponse().withStatus(200).withBody("hello from the origin")));
  }

  private static String url(String host, String path) {
    return "http://" + host + ":" + origin.getPort() + path;
  }

  private static String basic(String user, String password) {
    return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  /** GET {@code url} from {@code from}, with a {@code Proxy-Authorization} header unless null. */
  private static Response fetch(String from, String url, String authorization) throws Exception {
    try (ProxyClient client = proxy.client(from)) {
      return request(client, url, authorization);
    }
  }

  private static Response request(ProxyClient client, String url, String authorization) throws Exception {
    String host = url.replaceFirst("^[a-z]+://", "").replaceFirst("/.*$", "");
    return client.send("GET " + url + " HTTP/1.1\r\nHost: " + host + "\r\n"
        + (authorization == null ? "" : "Proxy-Authorization: " + authorization + "\r\n") + "\r\n", false);
  }

  private static Map<String, Object> logLine(String path) throws Exception {
    List<Map<String, Object>> lines = proxy.accessLog();
    return lines.stream().filter(l -> path.equals(l.get("path"))).reduce((a, b) -> b)
        .orElseThrow(() -> new AssertionError("no access-log line for " + path + " in " + lines));
  }

  @Test
  @Order(1)
  void basicSignInGivesThePolicyOfThePersonsDirectoryGroupAndTheHeaderNeverGoesUpstream() throws Exception {
    assertThat(fetch(PUPIL_PC, url("video.test", "/nobody"), null).status())
        .as("a pupil PC without sign-in: the pupils' policy").isEqualTo(403);

    Response pupil = fetch(PUPIL_PC, url("video.test", "/alice"), basic("alice", "alice-pass-1"));
    assertThat(pupil.status()).as("alice: Year9 → KS3 → pupils").isEqualTo(403);
    assertThat(pupil.text()).contains("signed in as alice in group pupils");

    Response teacher = fetch(PUPIL_PC, url("video.test", "/carol"), basic("carol", "carol-pass-1"));
    assertThat(teacher.status()).as("carol: Teachers → Staff → staff, on a pupil PC").isEqualTo(200);
    assertThat(teacher.text()).isEqualTo("hello from the origin");

    origin.verify(getRequestedFor(urlPathEqualTo("/carol")).withHeader("Proxy-Authorization", absent()));
    assertThat(logLine("/nobody")).containsEntry("user", null).containsEntry("auth", "subnet")
        .containsEntry("group", "pupils");
    assertThat(logLine("/alice")).containsEntry("user", "alice").containsEntry("auth", "basic")
        .containsEntry("group", "pupils").containsEntry("action", "block");
    assertThat(logLine("/carol")).containsEntry("user", "carol").containsEntry("auth", "basic")
        .containsEntry("group", "staff").containsEntry("action", "allow");
  }

  @Test
  @Order(2)
  void aStaffComputerAsksForSignInAndAWrongPasswordIsAskedAgain() throws Exception {
    Response none = fetch(STAFF_PC, url("news.test", "/none"), null);
    assertThat(none.status()).isEqualTo(407);
    assertThat(none.header("Proxy-Authenticate")).as("the last of Negotiate, Basic")
        .isEqualTo("Basic realm=\"School web filter\", charset=\"UTF-8\"");

    Response wrong = fetch(STAFF_PC, url("news.test", "/wrong"), basic("carol", "not-her-password"));
    assertThat(wrong.status()).isEqualTo(407);
    assertThat(wrong.text()).contains("the user name or password is wrong");
    Response unknown = fetch(STAFF_PC, url("news.test", "/unknown"), basic("nobody-here", "whatever-1"));
    assertThat(unknown.text()).as("no user enumeration").contains("the user name or password is wrong");

    assertThat(fetch(STAFF_PC, url("news.test", "/right"), basic("carol", "carol-pass-1")).status())
        .isEqualTo(200);
    origin.verify(0, getRequestedFor(urlPathEqualTo("/wrong")));
    assertThat(logLine("/wrong")).containsEntry("action", "reject").containsEntry("rule", "sign-in-required")
        .containsEntry("status", 407L);
  }

  @Test
  @Order(3)
  void aNominatedStaffMemberGetsSocialMediaAnotherDoesNotUntilTheDirectorySaysSoAfterTheCachePeriod()
      throws Exception {
    Response carol = fetch(STAFF_PC, url("social.test", "/carol"), basic("carol", "carol-pass-1"));
    assertThat(carol.status()).as("carol is in the Social Media Team").isEqualTo(200);
    Response dave = fetch(STAFF_PC, url("social.test", "/dave"), basic("dave", "dave-pass-1"));
    assertThat(dave.status()).as("dave is staff but not nominated").isEqualTo(403);
    assertThat(dave.text()).contains("signed in as dave in group staff");

    directory.addToGroup("dave", "Social Media Team");
    assertThat(fetch(STAFF_PC, url("social.test", "/dave-cached"), basic("dave", "dave-pass-1")).status())
        .as("his groups are cached for the cache period").isEqualTo(403);

    ticker.advance(CACHE_FOR.plusSeconds(1));
    assertThat(fetch(STAFF_PC, url("social.test", "/dave-later"), basic("dave", "dave-pass-1")).status())
        .as("one cache period later, the directory's word").isEqualTo(200);
  }

  @Test
  @Order(4)
  void negotiateWithAKerberosTicketGetsThePersonsGroupForTheWholeConnectionAndABadTicketIsAskedAgain()
      throws Exception {
    Path carolKeytab = kdc.user("carol");
    String token = "Negotiate " + Base64.getEncoder().encodeToString(kdc.token("carol", carolKeytab,
        TestKdc.SERVICE));
    try (ProxyClient client = proxy.client(STAFF_PC)) {
      assertThat(request(client, url("video.test", "/kerberos"), token).status()).isEqualTo(200);
      assertThat(request(client, url("video.test", "/kerberos-again"), null).status())
          .as("one handshake per connection").isEqualTo(200);
    }
    assertThat(logLine("/kerberos")).containsEntry("user", "carol").containsEntry("auth", "negotiate")
        .containsEntry("group", "staff");
    assertThat(logLine("/kerberos-again")).containsEntry("user", "carol").containsEntry("auth", "negotiate");

    byte[] tampered = kdc.token("carol", carolKeytab, TestKdc.SERVICE);
    tampered[tampered.length - 5] ^= 0x5a;
    Response bad = fetch(STAFF_PC, url("video.test", "/bad-ticket"),
        "Negotiate " + Base64.getEncoder().encodeToString(tampered));
    assertThat(bad.status()).isEqualTo(407);
    try (ProxyClient client = proxy.client(STAFF_PC)) {
      assertThat(request(client, url("video.test", "/new-connection"), null).status())
          .as("a new connection signs in again").isEqualTo(407);
    }
  }

  @Test
  @Order(5)
  void radiusAccountingNamesTheWifiTabletsUserUntilStopAndAWrongSecretIsIgnored() throws Exception {
    assertThat(fetch(WIFI_TABLET, url("video.test", "/before"), null).status()).isEqualTo(403);

    RadiusClient impostor = nas("not-the-wlc-secret");
    impostor.setRetryCount(1);
    impostor.setSocketTimeout(300);
    try {
      impostor.account(accounting("carol@school.example", AccountingRequest.ACCT_STATUS_TYPE_START));
    } catch (Exception expected) {
      // no answer comes back to a wrong secret
    } finally {
      impostor.close();
    }
    Eventually.within(CEILING, () -> assertThat(identityMetrics.radiusCount(Radius.BAD_SECRET)).isEqualTo(1));
    assertThat(fetch(WIFI_TABLET, url("video.test", "/impostor"), null).status())
        .as("the forged Start bound nothing").isEqualTo(403);

    RadiusClient wlc = nas(RADIUS_SECRET);
    try {
      wlc.account(accounting("carol@school.example", AccountingRequest.ACCT_STATUS_TYPE_START));
      Eventually.within(CEILING, () ->
          assertThat(fetch(WIFI_TABLET, url("video.test", "/during"), null).status()).isEqualTo(200));
      assertThat(logLine("/during")).containsEntry("user", "carol").containsEntry("auth", "radius")
          .containsEntry("group", "staff");

      wlc.account(accounting("carol@school.example", AccountingRequest.ACCT_STATUS_TYPE_STOP));
      Eventually.within(CEILING, () ->
          assertThat(fetch(WIFI_TABLET, url("video.test", "/after"), null).status()).isEqualTo(403));
      assertThat(logLine("/after")).containsEntry("user", null).containsEntry("auth", "subnet")
          .containsEntry("group", "wifi");
    } finally {
      wlc.close();
    }
  }

  @Test
  @Order(6)
  void withTheDirectoryStoppedRecentlyVerifiedPeopleCarryOnAndOthersAreTurnedAwayFailClosed() throws Exception {
    assertThat(fetch(STAFF_PC, url("video.test", "/dave-before"), basic("dave", "dave-pass-1")).status())
        .isEqualTo(200);

    directory.server.shutDown(true);

    assertThat(fetch(STAFF_PC, url("video.test", "/dave-cached"), basic("dave", "dave-pass-1")).status())
        .as("dave was verified within the cache period").isEqualTo(200);
    Response newcomer = fetch(STAFF_PC, url("video.test", "/carol-new"), basic("carol", "carol-pass-1"));
    assertThat(newcomer.status()).as("carol's verification expired long ago (the ticker moved)").isEqualTo(503);
    assertThat(newcomer.text()).contains("cannot check who you are");
    Response pupil = fetch(PUPIL_PC, url("video.test", "/alice-new"), basic("alice", "alice-pass-1"));
    assertThat(pupil.status()).as("sign-in is optional on pupil PCs: the pupils' group, never wider")
        .isEqualTo(403);
    assertThat(logLine("/carol-new")).containsEntry("rule", "identity-unavailable").containsEntry("status", 503L);
  }

  private static RadiusClient nas(String secret) {
    RadiusClient nas = new RadiusClient("127.0.0.1", secret);
    nas.setAcctPort(radius.address().getPort());
    return nas;
  }

  private static AccountingRequest accounting(String user, int status) {
    AccountingRequest r = new AccountingRequest(user, status);
    r.addAttribute("Framed-IP-Address", WIFI_TABLET);
    r.addAttribute("Acct-Session-Id", "session-tablet-49");
    return r;
  }

}
