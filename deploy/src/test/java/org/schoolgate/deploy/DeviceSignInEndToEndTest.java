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
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.schoolgate.admin.identity.SessionSettings;
import org.schoolgate.identity.verify.VerifierSettings;
import org.schoolgate.policy.testing.Eventually;
import org.schoolgate.policy.testing.MutableClock;
import org.schoolgate.store.Actor;
import org.schoolgate.store.Role;

/**
 * The whole Schoolgate with a BYOD network whose sign-in page is required: a personal device's
 * plain request is sent to {@code /device-sign-in} on the admin port (with the proxy's ticket for
 * its address), the person signs in there with a school account (a local proxy account here) or
 * a guest voucher a teacher issued through the API, and the proxy then decides the device as that
 * person ({@code auth: portal}); a voucher works for its day only, and the binding runs out on the
 * clock.
 */
class DeviceSignInEndToEndTest {
  private static final Instant START = Instant.parse("2026-11-23T08:00:00Z");
  private static final String STAFF_PHONE = "127.0.0.9";
  private static final String GUEST_LAPTOP = "127.0.0.10";
  private static final Pattern CSRF = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");

  @TempDir Path dataDir;
  private final MutableClock clock = new MutableClock(START);
  private WireMockServer origin;
  private Schoolgate schoolgate;
  private SchoolgateClient api;

  @BeforeEach
  void start() throws Exception {
    origin = new WireMockServer(options().bindAddress("127.0.0.1").port(0));
    origin.start();
    origin.stubFor(get(urlPathMatching("/.*")).willReturn(aResponse().withStatus(200).withBody("from the origin")));
    Path policy = dataDir.resolve("policy.yaml");
    Files.writeString(policy, """
        timezone: Europe/London
        clients:
          allow: [127.0.0.0/8]
        groups:
          visitors: { subnets: [127.0.0.0/8] }
          guests:   { subnets: [10.255.255.0/24] }
          staff:    { subnets: [10.255.254.0/24] }
        categories:
          video: { domains: [video.test] }
        matrix:
          video: { default: unacceptable, staff: acceptable }
        default: acceptable
        identification:
          networks:
            # no 'device: personal' here: every test origin is on the proxy's own loopback host, which a
            # personal device may not reach (PersonalDeviceProxyTest)
            byod: { subnets: [127.0.0.0/8], sign-in-page: required }
          directory-groups:
            - { directory-group: Staff, group: staff }
            - { directory-group: guests, group: guests }
        """);
    VerifierSettings verifier = new VerifierSettings(Duration.ofMinutes(5), 1000, 0, Duration.ofMinutes(30), 20, 2,
        100, Duration.ofSeconds(30));
    IdentitySettings identity = new IdentitySettings(SessionSettings.DEFAULTS, null, Duration.ofMillis(200),
        new SignInSettings(null, null, null, null, true, verifier));
    RuntimeConfig embedded = RuntimeConfig.embedded(dataDir, policy);
    RuntimeConfig config = new RuntimeConfig(embedded.proxy(), embedded.admin(), policy, embedded.accessLogDir(),
        new RuntimeConfig.DnsSettings(List.of(), Map.of("video.test", InetAddress.getByName("127.0.0.1"),
            "news.test", InetAddress.getByName("127.0.0.1"))),
        embedded.database(), embedded.maxUnblock(), SafeguardingSettings.DEFAULTS, null, identity)
        .withProxyPort(0).withAdminPort(0);
    schoolgate = Schoolgate.start(config, clock);
    schoolgate.store().proxyAccounts().create("sam.jones", "correct horse battery".toCharArray(), List.of("Staff"),
        Actor.system("test-setup"));
    schoolgate.store().accounts().create("ms.khan", "Ms Khan", "a-long-teacher-password".toCharArray(),
        EnumSet.of(Role.TEACHER), Actor.system("test-setup"));
    api = new SchoolgateClient(schoolgate);
  }

  @AfterEach
  void stop() {
    if (schoolgate != null) {
      schoolgate.close();
    }
    origin.stop();
  }

  private String fetch(String from, String host, String path) throws Exception {
    return api.fetch(from, "http://" + host + ":" + origin.port() + path);
  }

  private JsonNode line(String path) throws Exception {
    JsonNode[] found = new JsonNode[1];
    Eventually.within(Duration.ofSeconds(10), () -> {
      found[0] = api.accessLog().stream().filter(l -> path.equals(l.path("path").asText())).reduce((a, b) -> b)
          .orElseThrow(() -> new AssertionError("no access-log line for " + path));
    });
    return found[0];
  }

  /** The sign-in page the proxy sent {@code from} to: its Location header. */
  private String redirected(String from, String path) throws Exception {
    String answer = fetch(from, "news.test", path);
    assertThat(answer).startsWith("HTTP/1.1 302");
    Matcher m = Pattern.compile("(?im)^location: (\\S+)$").matcher(answer);
    assertThat(m.find()).as(answer).isTrue();
    return m.group(1);
  }

  /** Opens {@code page} (its host is the admin server's public address) and posts the form with {@code fields}. */
  private HttpResponse<String> signIn(String page, Map<String, String> fields) throws Exception {
    HttpClient browser = HttpClient.newBuilder().cookieHandler(new CookieManager()).build();
    HttpResponse<String> form = browser.send(HttpRequest.newBuilder(URI.create(page)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(form.statusCode()).isEqualTo(200);
    Matcher csrf = CSRF.matcher(form.body());
    assertThat(csrf.find()).as(form.body()).isTrue();
    URI uri = URI.create(page);
    Map<String, String> all = new java.util.LinkedHashMap<>(fields);
    all.put("csrf", csrf.group(1));
    for (String pair : uri.getRawQuery().split("&")) {
      String[] kv = pair.split("=", 2);
      all.put(kv[0], java.net.URLDecoder.decode(kv[1], StandardCharsets.UTF_8));
    }
    String body = all.entrySet().stream().map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(),
        StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
    return browser.send(HttpRequest.newBuilder(uri.resolve("/device-sign-in"))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void aStaffMemberSignsInAPersonalDeviceWhichIsThenDecidedAsThemUntilTheBindingRunsOut() throws Exception {
    String page = redirected(STAFF_PHONE, "/first");
    assertThat(page).startsWith("http://127.0.0.1:" + schoolgate.admin().port() + "/device-sign-in?return=");
    assertThat(fetch(STAFF_PHONE, "video.test", "/before")).startsWith("HTTP/1.1 302");

    HttpResponse<String> wrong = signIn(page, Map.of("username", "sam.jones", "password", "not his password"));
    assertThat(wrong.statusCode()).isEqualTo(401);
    assertThat(wrong.body()).contains("The user name or password is wrong.");
    assertThat(fetch(STAFF_PHONE, "video.test", "/after-wrong")).startsWith("HTTP/1.1 302");

    HttpResponse<String> right = signIn(page, Map.of("username", "sam.jones", "password", "correct horse battery"));
    assertThat(right.statusCode()).as(right.body()).isEqualTo(200);
    assertThat(right.body()).contains("You are signed in").contains("as sam.jones until 17:00");

    assertThat(fetch(STAFF_PHONE, "video.test", "/signed-in")).startsWith("HTTP/1.1 200").contains("from the origin");
    JsonNode signedIn = line("/signed-in");
    assertThat(signedIn.path("user").asText()).isEqualTo("sam.jones");
    assertThat(signedIn.path("auth").asText()).isEqualTo("portal");
    assertThat(signedIn.path("group").asText()).isEqualTo("staff");
    assertThat(fetch(GUEST_LAPTOP, "news.test", "/other-device")).as("only the signed-in address")
        .startsWith("HTTP/1.1 302");

    clock.advance(Duration.ofHours(9));
    assertThat(fetch(STAFF_PHONE, "video.test", "/evening")).as("the binding ran out by itself")
        .startsWith("HTTP/1.1 302");
  }

  @Test
  void aGuestVoucherATeacherIssuedSignsInADeviceAsTheGuestForItsDayOnly() throws Exception {
    String teacher = api.login("ms.khan", "a-long-teacher-password");
    api.call("POST", "/api/v1/guest-vouchers", teacher, Map.of("name", "<b>"), 400);
    JsonNode voucher = api.call("POST", "/api/v1/guest-vouchers", teacher, Map.of("name", "Jane Smith"), 201);
    assertThat(voucher.path("user").asText()).isEqualTo("guest:Jane Smith");
    assertThat(voucher.path("validUntil").asText()).isEqualTo("2026-11-24T00:00:00Z");
    String code = voucher.path("code").asText();
    assertThat(api.call("GET", "/api/v1/guest-vouchers", teacher, null, 200).get(0).has("code")).isFalse();

    String page = redirected(GUEST_LAPTOP, "/guest-first");
    assertThat(signIn(page, Map.of("code", "WRONG-CODE-1234")).statusCode()).isEqualTo(401);
    HttpResponse<String> in = signIn(page, Map.of("code", code.toLowerCase(java.util.Locale.ROOT)));
    assertThat(in.statusCode()).as(in.body()).isEqualTo(200);
    assertThat(in.body()).contains("as guest:Jane Smith until 17:00");

    assertThat(fetch(GUEST_LAPTOP, "news.test", "/guest-news")).startsWith("HTTP/1.1 200");
    String video = fetch(GUEST_LAPTOP, "video.test", "/guest-video");
    assertThat(video).startsWith("HTTP/1.1 403").contains("signed in as guest:Jane Smith in group guests");
    assertThat(line("/guest-news").path("auth").asText()).isEqualTo("portal");
    assertThat(line("/guest-news").path("group").asText()).isEqualTo("guests");

    clock.set(Instant.parse("2026-11-24T09:00:00Z"));
    String nextDay = redirected(GUEST_LAPTOP, "/next-day");
    HttpResponse<String> again = signIn(nextDay, Map.of("code", code));
    assertThat(again.statusCode()).as("the voucher was for yesterday").isEqualTo(401);
    assertThat(again.body()).contains("That guest code is not valid today");
  }
}
