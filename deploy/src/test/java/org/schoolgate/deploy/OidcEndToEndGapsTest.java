package org.schoolgate.deploy;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.unboundid.ldap.listener.InMemoryDirectoryServer;
import com.unboundid.ldap.listener.InMemoryDirectoryServerConfig;
import com.unboundid.ldap.listener.InMemoryListenerConfig;
import com.unboundid.ldap.sdk.Entry;
import java.net.CookieManager;
import java.net.InetAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.OAuth2Config;
import no.nav.security.mock.oauth2.http.NettyWrapper;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.schoolgate.admin.identity.SessionSettings;
import org.schoolgate.admin.oidc.OidcSettings;
import org.schoolgate.admin.secondfactor.SecondFactor;
import org.schoolgate.identity.directory.LdapSettings;
import org.schoolgate.identity.verify.VerifierSettings;
import org.schoolgate.policy.testing.MutableClock;
import org.schoolgate.store.Account;
import org.schoolgate.store.Actor;
import org.schoolgate.store.Role;

/**
 * OpenID Connect through the whole Schoolgate, for what the module tests check one level down: a
 * device signed in with the school account whose groups come from the school's directory (a real
 * in-process LDAP server, looked up by the user name) is then decided by the proxy as that group;
 * the console's second factor after the provider is skipped with {@code console-second-factor:
 * provider} and asked with {@code required}; and a provider lost between the redirect to it and
 * the callback's token call gets the "cannot be reached" page, binds nothing, is counted, and a
 * later sign-in works once a provider answers on the same address again.
 */
class OidcEndToEndGapsTest {
  private static final Instant START = Instant.parse("2026-11-23T08:00:00Z");
  private static final String STAFF_PHONE = "127.0.0.21";
  private static final String PUPIL_LAPTOP = "127.0.0.22";
  private static final String CLIENT_ID = "schoolgate-gaps";
  private static final String TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";
  private static final Pattern HREF = Pattern.compile("href=\"(/oidc/start\\?[^\"]+)\"");
  private static final Pattern CONTINUE = Pattern.compile("id=\"continue\"[^>]*href=\"([^\"]+)\"|href=\"([^\"]+)\"[^>]*id=\"continue\"");
  private static final Pattern CSRF = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");

  @TempDir Path dataDir;
  private final MutableClock clock = new MutableClock(START);
  private WireMockServer origin;
  private InMemoryDirectoryServer ldap;
  private MockOAuth2Server provider;
  private int providerPort;
  private Schoolgate schoolgate;
  private SchoolgateClient api;
  private DeviceSignInDriver device;

  @BeforeEach
  void startServers() throws Exception {
    origin = new WireMockServer(options().bindAddress("127.0.0.1").port(0));
    origin.start();
    origin.stubFor(get(urlPathMatching("/.*")).willReturn(aResponse().withStatus(200).withBody("from the origin")));
    InMemoryDirectoryServerConfig config = new InMemoryDirectoryServerConfig("dc=school,dc=example");
    config.setSchema(null);
    config.setListenerConfigs(InMemoryListenerConfig.createLDAPConfig("ldap", InetAddress.getLoopbackAddress(), 0,
        null));
    ldap = new InMemoryDirectoryServer(config);
    ldap.add(new Entry("dn: dc=school,dc=example", "objectClass: domain", "dc: school"));
    ldap.add(new Entry("dn: cn=schoolgate,dc=school,dc=example", "objectClass: person", "cn: schoolgate",
        "userPassword: service-secret-1"));
    ldap.add(new Entry("dn: uid=s.jones,dc=school,dc=example", "objectClass: person", "uid: s.jones",
        "mail: s.jones@school.example", "memberOf: cn=Staff,dc=school,dc=example"));
    ldap.add(new Entry("dn: uid=p.smith,dc=school,dc=example", "objectClass: person", "uid: p.smith",
        "mail: p.smith@school.example", "memberOf: cn=Pupils,dc=school,dc=example"));
    ldap.startListening();
    provider = nettyProvider();
    provider.start(InetAddress.getByName("127.0.0.1"), 0);
    providerPort = provider.baseUrl().port();
    provider.issueToken("school", "warm-up"); // the provider makes its keys on first use: not inside a sign-in
  }

  /** Schoolgate with OIDC sign-in ({@code groups}, {@code secondFactor}) and the directory above. */
  private void startSchoolgate(OidcSettings.GroupSource groups, OidcSettings.SecondFactor secondFactor)
      throws Exception {
    Path policy = dataDir.resolve("policy.yaml");
    Files.writeString(policy, """
        timezone: Europe/London
        clients:
          allow: [127.0.0.0/8]
        groups:
          visitors: { subnets: [127.0.0.0/8] }
          pupils:   { subnets: [10.255.253.0/24] }
          staff:    { subnets: [10.255.254.0/24] }
        categories:
          video: { domains: [video.test] }
        matrix:
          video: { default: unacceptable, staff: acceptable }
        default: acceptable
        identification:
          networks:
            byod: { subnets: [127.0.0.0/8], sign-in-page: required }
          directory-groups:
            - { directory-group: Staff, group: staff }
            - { directory-group: Pupils, group: pupils }
        """);
    // plain LDAP on loopback: LDAPS and StartTLS are the identity module's tests
    LdapSettings directory = new LdapSettings(List.of(URI.create("ldap://127.0.0.1:" + ldap.getListenPort())), false,
        true, null, "cn=schoolgate,dc=school,dc=example", "service-secret-1".toCharArray(), "dc=school,dc=example",
        "mail", "(objectClass=person)", null, LdapSettings.Membership.MEMBER_OF, 10, Duration.ofSeconds(2),
        Duration.ofSeconds(5), 2);
    IdentitySettings identity = new IdentitySettings(SessionSettings.DEFAULTS, null, Duration.ofMillis(200),
        new SignInSettings(directory, null, null, null, false, VerifierSettings.DEFAULTS));
    OidcSettings oidc = new OidcSettings(provider.issuerUrl("school").uri(), CLIENT_ID, "gaps-client-secret", null,
        null, groups, groups == OidcSettings.GroupSource.CLAIM ? "groups" : null, List.of("school.example"),
        secondFactor, null, Duration.ofSeconds(30), null);
    RuntimeConfig embedded = RuntimeConfig.embedded(dataDir, policy);
    RuntimeConfig config = new RuntimeConfig(embedded.proxy(), embedded.admin(), policy, embedded.accessLogDir(),
        new RuntimeConfig.DnsSettings(List.of(), Map.of("video.test", InetAddress.getByName("127.0.0.1"),
            "news.test", InetAddress.getByName("127.0.0.1"))),
        embedded.database(), embedded.maxUnblock(), SafeguardingSettings.DEFAULTS, null, identity)
        .withProxyPort(0).withAdminPort(0).withOidc(oidc);
    schoolgate = Schoolgate.start(config, clock);
    api = new SchoolgateClient(schoolgate);
    device = new DeviceSignInDriver(api, origin.port());
  }

  @AfterEach
  void stop() {
    try {
      if (schoolgate != null) {
        schoolgate.close();
      }
    } finally {
      provider.shutdown();
      ldap.shutDown(true);
      origin.stop();
    }
  }

  /**
   * The provider on Netty: its listening socket may take the port of one just stopped (the default
   * MockWebServer turns SO_REUSEADDR off, so connections still in TIME_WAIT would hold the port).
   */
  private static MockOAuth2Server nettyProvider() {
    OAuth2Config defaults = new OAuth2Config();
    return new MockOAuth2Server(new OAuth2Config(defaults.getInteractiveLogin(), defaults.getLoginPagePath(),
        defaults.getStaticAssetsPath(), defaults.getRotateRefreshToken(), defaults.getTokenProvider(),
        defaults.getTokenCallbacks(), new NettyWrapper()));
  }

  private static HttpClient browser() {
    return HttpClient.newBuilder().cookieHandler(new CookieManager()).followRedirects(HttpClient.Redirect.NEVER)
        .build();
  }

  private static HttpResponse<String> open(HttpClient browser, URI uri) throws Exception {
    return browser.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static String location(HttpResponse<?> r) {
    return r.headers().firstValue("Location").orElseThrow(() -> new AssertionError("no Location: " + r.statusCode()));
  }

  /** A sign-in at the provider as {@code user} with these claims is queued. */
  private void atProviderNext(String user, Map<String, Object> more) {
    Map<String, Object> claims = new java.util.HashMap<>(more);
    claims.put("preferred_username", user);
    provider.enqueueCallback(new DefaultOAuth2TokenCallback("school", "sub-" + user, "JWT", List.of(CLIENT_ID), claims,
        3600));
  }

  /**
   * From a page with the school-account button ({@code page}) to the provider and back: the
   * callback URL the provider sent the browser to (not yet opened).
   */
  private URI toProviderAndBack(HttpClient browser, URI page) throws Exception {
    HttpResponse<String> form = open(browser, page);
    assertThat(form.statusCode()).as(form.body()).isEqualTo(200);
    Matcher href = HREF.matcher(form.body());
    assertThat(href.find()).as(form.body()).isTrue();
    HttpResponse<String> toProvider = open(browser, page.resolve(href.group(1).replace("&amp;", "&")));
    assertThat(toProvider.statusCode()).as(toProvider.body()).isEqualTo(303);
    HttpResponse<String> atProvider = open(browser, URI.create(location(toProvider)));
    assertThat(atProvider.statusCode()).as(atProvider.body()).isEqualTo(302);
    URI callback = URI.create(location(atProvider));
    assertThat(callback.getPath()).isEqualTo("/oidc/callback");
    return callback;
  }

  private URI adminUri(String pathAndQuery) {
    return URI.create("http://127.0.0.1:" + schoolgate.admin().port() + pathAndQuery);
  }

  @Test
  void aDeviceSignedInWithTheSchoolAccountGetsItsGroupsFromTheDirectoryByUserName() throws Exception {
    startSchoolgate(OidcSettings.GroupSource.DIRECTORY, null);
    atProviderNext("s.jones@school.example", Map.of());
    HttpClient staffBrowser = browser();
    HttpResponse<String> staff = open(staffBrowser, toProviderAndBack(staffBrowser,
        URI.create(device.redirected(STAFF_PHONE, "/staff-first"))));
    assertThat(staff.statusCode()).as(staff.body()).isEqualTo(200);
    assertThat(staff.body()).contains("You are signed in");
    // the token claims Staff, the directory says Pupils: with groups: directory the directory decides
    atProviderNext("p.smith@school.example", Map.of("groups", List.of("Staff")));
    HttpClient pupilBrowser = browser();
    HttpResponse<String> pupil = open(pupilBrowser, toProviderAndBack(pupilBrowser,
        URI.create(device.redirected(PUPIL_LAPTOP, "/pupil-first"))));
    assertThat(pupil.statusCode()).as(pupil.body()).isEqualTo(200);

    assertThat(device.fetch(STAFF_PHONE, "video.test", "/staff-video")).startsWith("HTTP/1.1 200")
        .contains("from the origin");
    assertThat(device.line("/staff-video").path("group").asText()).isEqualTo("staff");
    assertThat(device.line("/staff-video").path("auth").asText()).isEqualTo("portal");
    assertThat(device.fetch(PUPIL_LAPTOP, "video.test", "/pupil-video")).startsWith("HTTP/1.1 403")
        .contains("signed in as p.smith@school.example in group pupils");
    assertThat(device.line("/pupil-video").path("group").asText()).isEqualTo("pupils");

    atProviderNext("new.starter@school.example", Map.of("groups", List.of("Staff")));
    HttpClient strangerBrowser = browser();
    HttpResponse<String> stranger = open(strangerBrowser, toProviderAndBack(strangerBrowser,
        URI.create(device.redirected("127.0.0.23", "/stranger"))));
    assertThat(stranger.body()).contains("(new.starter@school.example) is not in the school");
    assertThat(device.fetch("127.0.0.23", "video.test", "/stranger-video")).startsWith("HTTP/1.1 302");
  }

  @Test
  void withProviderSecondFactorAnAdminSignedInWithTheSchoolAccountIsNotAskedForACode() throws Exception {
    startSchoolgate(OidcSettings.GroupSource.NONE, OidcSettings.SecondFactor.PROVIDER);
    enrolledAdmin();
    atProviderNext("head.it@school.example", Map.of());
    HttpClient browser = browser();

    HttpResponse<String> done = open(browser, toProviderAndBack(browser,
        adminUri("/sign-in?next=" + URLEncoder.encode("/accounts", StandardCharsets.UTF_8))));

    assertThat(done.statusCode()).as(done.body()).isEqualTo(200);
    assertThat(continueTo(done)).isEqualTo("/accounts");
    HttpResponse<String> accounts = open(browser, adminUri("/accounts"));
    assertThat(accounts.statusCode()).isEqualTo(200);
    assertThat(accounts.body()).contains("head.it");
  }

  @Test
  void withRequiredSecondFactorAnAdminSignedInWithTheSchoolAccountGivesTheCodeBeforeASession() throws Exception {
    startSchoolgate(OidcSettings.GroupSource.NONE, OidcSettings.SecondFactor.REQUIRED);
    enrolledAdmin();
    atProviderNext("head.it@school.example", Map.of());
    HttpClient browser = browser();

    HttpResponse<String> done = open(browser, toProviderAndBack(browser,
        adminUri("/sign-in?next=" + URLEncoder.encode("/accounts", StandardCharsets.UTF_8))));

    assertThat(done.statusCode()).as(done.body()).isEqualTo(200);
    assertThat(continueTo(done)).isEqualTo("/sign-in/code");
    assertThat(open(browser, adminUri("/accounts")).statusCode()).as("no session yet").isEqualTo(303);
    clock.advance(Duration.ofMinutes(1)); // the enrolment used this step's code
    HttpResponse<String> codePage = open(browser, adminUri("/sign-in/code"));
    assertThat(codePage.statusCode()).isEqualTo(200);
    Matcher csrf = CSRF.matcher(codePage.body());
    assertThat(csrf.find()).as(codePage.body()).isTrue();
    HttpResponse<String> passed = browser.send(HttpRequest.newBuilder(adminUri("/sign-in/code"))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString("csrf=" + URLEncoder.encode(csrf.group(1), StandardCharsets.UTF_8)
            + "&code=" + SecondFactor.currentCode(TOTP_SECRET, clock.instant()))).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(passed.statusCode()).as(passed.body()).isEqualTo(303);
    assertThat(location(passed)).isEqualTo("/accounts");
    assertThat(open(browser, adminUri("/accounts")).statusCode()).isEqualTo(200);
  }

  @Test
  void aProviderLostBetweenTheRedirectAndTheTokenCallBindsNothingIsCountedAndALaterSignInWorks() throws Exception {
    startSchoolgate(OidcSettings.GroupSource.CLAIM, null);
    atProviderNext("s.jones@school.example", Map.of("groups", List.of("Staff")));
    HttpClient browser = browser();
    URI callback = toProviderAndBack(browser, URI.create(device.redirected(STAFF_PHONE, "/before-outage")));
    double tokenFailures = metric("schoolgate_oidc_provider_failures_total", "call=\"token\"");
    double unavailable = metric("schoolgate_oidc_sign_ins_total", "outcome=\"unavailable\"", "purpose=\"device\"");
    provider.shutdown();

    HttpResponse<String> lost = open(browser, callback);

    assertThat(lost.statusCode()).as(lost.body()).isEqualTo(503);
    assertThat(lost.body()).contains("sign-in service cannot be reached", "guest code");
    assertThat(device.fetch(STAFF_PHONE, "video.test", "/during-outage")).as("nothing was bound")
        .startsWith("HTTP/1.1 302");
    assertThat(metric("schoolgate_oidc_provider_failures_total", "call=\"token\"")).isEqualTo(tokenFailures + 1);
    assertThat(metric("schoolgate_oidc_sign_ins_total", "outcome=\"unavailable\"", "purpose=\"device\""))
        .isEqualTo(unavailable + 1);

    provider = nettyProvider();
    provider.start(InetAddress.getByName("127.0.0.1"), providerPort);
    atProviderNext("s.jones@school.example", Map.of("groups", List.of("Staff")));
    HttpClient again = browser();
    HttpResponse<String> back = open(again, toProviderAndBack(again,
        URI.create(device.redirected(STAFF_PHONE, "/after-outage"))));
    assertThat(back.statusCode()).as(back.body()).isEqualTo(200);
    assertThat(device.fetch(STAFF_PHONE, "video.test", "/staff-video")).startsWith("HTTP/1.1 200");
    assertThat(device.line("/staff-video").path("group").asText()).isEqualTo("staff");
  }

  /** The admin {@code head.it}, with the second factor set up on {@link #TOTP_SECRET}. */
  private void enrolledAdmin() {
    Account admin = schoolgate.store().accounts().create("head.it", "Head of IT",
        "the admin's long password".toCharArray(), EnumSet.of(Role.ADMIN), Actor.system("test-setup"));
    new SecondFactor(schoolgate.store().secondFactors(), clock, "Schoolgate").enrol(admin, TOTP_SECRET,
        SecondFactor.currentCode(TOTP_SECRET, clock.instant()), Actor.system("test-setup")).orElseThrow();
  }

  /** Where the "signed in" page that moves on by itself sends the browser. */
  private static String continueTo(HttpResponse<String> page) {
    Matcher m = CONTINUE.matcher(page.body());
    assertThat(m.find()).as(page.body()).isTrue();
    return m.group(1) != null ? m.group(1) : m.group(2);
  }

  /** The sum of the admin server's /metrics samples {@code name} whose labels include every one of {@code labels}. */
  private double metric(String name, String... labels) throws Exception {
    String text = open(HttpClient.newHttpClient(), adminUri("/metrics")).body();
    return text.lines().filter(l -> l.startsWith(name + "{") && java.util.Arrays.stream(labels).allMatch(l::contains))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
  }
}
