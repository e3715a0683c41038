package org.schoolgate.deploy;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import java.net.CookieManager;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.schoolgate.admin.identity.SessionSettings;
import org.schoolgate.admin.oidc.OidcSettings;
import org.schoolgate.policy.testing.MutableClock;

/**
 * The whole Schoolgate with a BYOD network whose sign-in page is required and a real OpenID
 * Connect provider on loopback (NAV's mock-oauth2-server): a personal device's plain request is
 * sent to the sign-in page, the person presses "Sign in with your school account", the provider
 * sends the browser back with a code, Schoolgate exchanges it, checks the ID token and binds the
 * device's address ({@code portal}) with the groups of the token's {@code groups} claim, and the
 * proxy then decides the device as that person: a staff member gets video, a pupil does not. A
 * sign-in page that ran out before the button was pressed gets its own page; a person of another
 * domain is not signed in.
 */
class OidcDeviceSignInEndToEndTest {
  private static final Instant START = Instant.parse("2026-11-23T08:00:00Z");
  private static final String STAFF_PHONE = "127.0.0.11";
  private static final String PUPIL_LAPTOP = "127.0.0.12";
  private static final String CLIENT_ID = "schoolgate-e2e";

  @TempDir Path dataDir;
  private final MutableClock clock = new MutableClock(START);
  private WireMockServer origin;
  private MockOAuth2Server provider;
  private Schoolgate schoolgate;
  private SchoolgateClient api;
  private DeviceSignInDriver device;

  @BeforeEach
  void start() throws Exception {
    origin = new WireMockServer(options().bindAddress("127.0.0.1").port(0));
    origin.start();
    origin.stubFor(get(urlPathMatching("/.*")).willReturn(aResponse().withStatus(200).withBody("from the origin")));
    provider = new MockOAuth2Server();
    provider.start(InetAddress.getByName("127.0.0.1"), 0);
    provider.issueToken("school", "warm-up"); // the provider makes its keys on first use: not inside a sign-in
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
    OidcSettings oidc = new OidcSettings(provider.issuerUrl("school").uri(), CLIENT_ID, "e2e-client-secret", null,
        null, OidcSettings.GroupSource.CLAIM, "groups", List.of("school.example"), null, null, Duration.ofSeconds(30),
        null);
    RuntimeConfig embedded = RuntimeConfig.embedded(dataDir, policy);
    RuntimeConfig config = new RuntimeConfig(embedded.proxy(), embedded.admin(), policy, embedded.accessLogDir(),
        new RuntimeConfig.DnsSettings(List.of(), Map.of("video.test", InetAddress.getByName("127.0.0.1"),
            "news.test", InetAddress.getByName("127.0.0.1"))),
        embedded.database(), embedded.maxUnblock(), SafeguardingSettings.DEFAULTS, null,
        new IdentitySettings(SessionSettings.DEFAULTS, null, Duration.ofMillis(200), null))
        .withProxyPort(0).withAdminPort(0).withOidc(oidc);
    schoolgate = Schoolgate.start(config, clock);
    api = new SchoolgateClient(schoolgate);
    device = new DeviceSignInDriver(api, origin.port());
  }

  @AfterEach
  void stop() {
    if (schoolgate != null) {
      schoolgate.close();
    }
    provider.shutdown();
    origin.stop();
  }



  /** The sign-in page the proxy sent {@code from} to. */
  private URI signInPage(String from, String path) throws Exception {
    return URI.create(device.redirected(from, path));
  }

  private static HttpResponse<String> open(HttpClient browser, URI uri) throws Exception {
    return browser.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
  }

  /** Opens the sign-in page, presses the school-account button and follows each hop: the callback's answer. */
  private HttpResponse<String> signInWithSchoolAccount(URI page, String user, List<String> groups) throws Exception {
    HttpClient browser = HttpClient.newBuilder().cookieHandler(new CookieManager())
        .followRedirects(HttpClient.Redirect.NEVER).build();
    HttpResponse<String> form = open(browser, page);
    assertThat(form.statusCode()).isEqualTo(200);
    Matcher button = Pattern.compile("id=\"oidc-sign-in\"|href=\"(/oidc/start[^\"]+)\"").matcher(form.body());
    Matcher href = Pattern.compile("href=\"(/oidc/start\\?[^\"]+)\"").matcher(form.body());
    assertThat(button.find() && href.find()).as(form.body()).isTrue();
    String start = href.group(1).replace("&amp;", "&");
    HttpResponse<String> toProvider = open(browser, page.resolve(start));
    if (toProvider.statusCode() != 303) {
      return toProvider;
    }
    provider.enqueueCallback(new DefaultOAuth2TokenCallback("school", "sub-" + user, "JWT", List.of(CLIENT_ID),
        Map.of("preferred_username", user, "groups", groups), 3600));
    HttpResponse<String> atProvider = open(browser, URI.create(toProvider.headers().firstValue("Location").orElseThrow()));
    assertThat(atProvider.statusCode()).as(atProvider.body()).isEqualTo(302);
    return open(browser, URI.create(atProvider.headers().firstValue("Location").orElseThrow()));
  }

  @Test
  void aStaffMemberAndAPupilSignInWithTheirSchoolAccountsAndAreDecidedByTheirGroups() throws Exception {
    HttpResponse<String> staff = signInWithSchoolAccount(signInPage(STAFF_PHONE, "/staff-first"),
        "S.Jones@school.example", List.of("Staff"));
    assertThat(staff.statusCode()).as(staff.body()).isEqualTo(200);
    assertThat(staff.body()).contains("You are signed in").contains("as s.jones@school.example until 17:00");

    HttpResponse<String> pupil = signInWithSchoolAccount(signInPage(PUPIL_LAPTOP, "/pupil-first"),
        "p.smith@school.example", List.of("Pupils"));
    assertThat(pupil.statusCode()).as(pupil.body()).isEqualTo(200);

    assertThat(device.fetch(STAFF_PHONE, "video.test", "/staff-video"))
        .startsWith("HTTP/1.1 200").contains("from the origin");
    JsonNode staffLine = device.line("/staff-video");
    assertThat(staffLine.path("user").asText()).isEqualTo("s.jones@school.example");
    assertThat(staffLine.path("auth").asText()).isEqualTo("portal");
    assertThat(staffLine.path("group").asText()).isEqualTo("staff");
    assertThat(device.fetch(PUPIL_LAPTOP, "video.test", "/pupil-video")).startsWith("HTTP/1.1 403")
        .contains("signed in as p.smith@school.example in group pupils");
    assertThat(device.fetch(PUPIL_LAPTOP, "news.test", "/pupil-news")).startsWith("HTTP/1.1 200");
    assertThat(device.line("/pupil-news").path("group").asText()).isEqualTo("pupils");

    clock.advance(Duration.ofHours(9));
    assertThat(device.fetch(STAFF_PHONE, "video.test", "/evening")).as("the binding ran out by itself")
        .startsWith("HTTP/1.1 302");
  }

  @Test
  void aSignInPageThatRanOutBeforeTheButtonWasPressedGetsItsOwnPageAndBindsNothing() throws Exception {
    URI page = signInPage(STAFF_PHONE, "/stale");
    clock.advance(Duration.ofMinutes(16));

    HttpResponse<String> stale = signInWithSchoolAccount(page, "s.jones@school.example", List.of("Staff"));

    assertThat(stale.statusCode()).isEqualTo(400);
    assertThat(stale.body()).contains("This sign-in page has run out");
    assertThat(device.fetch(STAFF_PHONE, "video.test", "/still-not")).startsWith("HTTP/1.1 302");
  }

  @Test
  void aPersonOfAnotherDomainIsNotSignedIn() throws Exception {
    HttpResponse<String> other = signInWithSchoolAccount(signInPage(STAFF_PHONE, "/other"), "someone@other.example",
        List.of("Staff"));

    assertThat(other.statusCode()).isEqualTo(403);
    assertThat(other.body()).contains("someone@other.example is not an account of school.example");
    assertThat(device.fetch(STAFF_PHONE, "video.test", "/not-staff")).startsWith("HTTP/1.1 302");
  }
}
