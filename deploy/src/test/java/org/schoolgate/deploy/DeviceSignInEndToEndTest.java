package org.schoolgate.deploy;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import java.net.InetAddress;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.schoolgate.admin.identity.SessionSettings;
import org.schoolgate.identity.verify.VerifierSettings;
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

  @TempDir Path dataDir;
  private final MutableClock clock = new MutableClock(START);
  private WireMockServer origin;
  private Schoolgate schoolgate;
  private SchoolgateClient api;
  private DeviceSignInDriver device;

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
    device = new DeviceSignInDriver(api, origin.port());
  }

  @AfterEach
  void stop() {
    if (schoolgate != null) {
      schoolgate.close();
    }
    origin.stop();
  }





  @Test
  void aStaffMemberSignsInAPersonalDeviceWhichIsThenDecidedAsThemUntilTheBindingRunsOut() throws Exception {
    String page = device.redirected(STAFF_PHONE, "/first");
    assertThat(page).startsWith("http://127.0.0.1:" + schoolgate.admin().port() + "/device-sign-in?return=");
    assertThat(device.fetch(STAFF_PHONE, "video.test", "/before")).startsWith("HTTP/1.1 302");

    HttpResponse<String> wrong = device.signIn(page, Map.of("username", "sam.jones", "password", "not his password"));
    assertThat(wrong.statusCode()).isEqualTo(401);
    assertThat(wrong.body()).contains("The user name or password is wrong.");
    assertThat(device.fetch(STAFF_PHONE, "video.test", "/after-wrong")).startsWith("HTTP/1.1 302");

    HttpResponse<String> right = device.signIn(page, Map.of("username", "sam.jones", "password",
        "correct horse battery"));
    assertThat(right.statusCode()).as(right.body()).isEqualTo(200);
    assertThat(right.body()).contains("You are signed in").contains("as sam.jones until 17:00");

    assertThat(device.fetch(STAFF_PHONE, "video.test", "/signed-in"))
        .startsWith("HTTP/1.1 200").contains("from the origin");
    JsonNode signedIn = device.line("/signed-in");
    assertThat(signedIn.path("user").asText()).isEqualTo("sam.jones");
    assertThat(signedIn.path("auth").asText()).isEqualTo("portal");
    assertThat(signedIn.path("group").asText()).isEqualTo("staff");
    assertThat(device.fetch(GUEST_LAPTOP, "news.test", "/other-device")).as("only the signed-in address")
        .startsWith("HTTP/1.1 302");

    clock.advance(Duration.ofHours(9));
    assertThat(device.fetch(STAFF_PHONE, "video.test", "/evening")).as("the binding ran out by itself")
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

    String page = device.redirected(GUEST_LAPTOP, "/guest-first");
    assertThat(device.signIn(page, Map.of("code", "WRONG-CODE-1234")).statusCode()).isEqualTo(401);
    HttpResponse<String> in = device.signIn(page, Map.of("code", code.toLowerCase(java.util.Locale.ROOT)));
    assertThat(in.statusCode()).as(in.body()).isEqualTo(200);
    assertThat(in.body()).contains("as guest:Jane Smith until 17:00");

    assertThat(device.fetch(GUEST_LAPTOP, "news.test", "/guest-news")).startsWith("HTTP/1.1 200");
    String video = device.fetch(GUEST_LAPTOP, "video.test", "/guest-video");
    assertThat(video).startsWith("HTTP/1.1 403").contains("signed in as guest:Jane Smith in group guests");
    assertThat(device.line("/guest-news").path("auth").asText()).isEqualTo("portal");
    assertThat(device.line("/guest-news").path("group").asText()).isEqualTo("guests");

    clock.set(Instant.parse("2026-11-24T09:00:00Z"));
    String nextDay = device.redirected(GUEST_LAPTOP, "/next-day");
    HttpResponse<String> again = device.signIn(nextDay, Map.of("code", code));
    assertThat(again.statusCode()).as("the voucher was for yesterday").isEqualTo(401);
    assertThat(again.body()).contains("That guest code is not valid today");
  }
}
