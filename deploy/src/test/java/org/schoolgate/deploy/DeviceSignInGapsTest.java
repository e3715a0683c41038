package org.schoolgate.deploy;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
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
 * The device sign-in page's safeguards through the whole Schoolgate: wrong codes and passwords are
 * throttled per device (the page says when to try again, on the injected clock, and the metric
 * counts it), a withdrawn guest voucher signs its devices out at once (its issuer or an admin may
 * withdraw it; nobody else), and the network's {@code bind-for} sets how long a sign-in lasts.
 */
class DeviceSignInGapsTest {
  private static final Instant START = Instant.parse("2026-11-23T08:00:00Z");
  private static final String STAFF_PHONE = "127.0.0.9";
  private static final String GUEST_LAPTOP = "127.0.0.10";
  private static final String GUEST_TABLET = "127.0.0.11";

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
            byod: { subnets: [127.0.0.0/8], sign-in-page: required, bind-for: 45m }
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
    schoolgate.store().accounts().create("mr.patel", "Mr Patel", "another-teacher-password".toCharArray(),
        EnumSet.of(Role.TEACHER), Actor.system("test-setup"));
    schoolgate.store().accounts().create("head.it", "Head of IT", "the admin's long password".toCharArray(),
        EnumSet.of(Role.ADMIN), Actor.system("test-setup"));
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





  /** {@code schoolgate.identity.device_sign_ins{outcome}} as the admin API's public /metrics says it. */
  private double signIns(String outcome) throws Exception {
    HttpResponse<String> metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + schoolgate.admin().port() + "/metrics")).build(),
        HttpResponse.BodyHandlers.ofString());
    String prefix = "schoolgate_identity_device_sign_ins_total{outcome=\"" + outcome + "\"";
    for (String line : metrics.body().split("\n")) {
      if (line.startsWith(prefix)) {
        return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    throw new AssertionError("no " + prefix + " in /metrics");
  }

  @Test
  void wrongCodesAndPasswordsFromOneDeviceAreThrottledAndThePageSaysWhenToTryAgain() throws Exception {
    String page = device.redirected(STAFF_PHONE, "/first");
    for (int i = 0; i < 3; i++) {
      assertThat(device.signIn(page, Map.of("code", "WRONG-CODE-000" + i)).statusCode()).isEqualTo(401);
    }
    for (int i = 0; i < 2; i++) {
      assertThat(device.signIn(page, Map.of("username", "sam.jones", "password", "guess " + i))
          .statusCode()).isEqualTo(401);
    }
    clock.advance(Duration.ofMinutes(3));

    HttpResponse<String> sixth = device.signIn(page, Map.of("username", "sam.jones", "password",
        "correct horse battery"));
    assertThat(sixth.statusCode()).as("even the right password waits: the page reveals nothing").isEqualTo(429);
    assertThat(sixth.body()).contains("Too many wrong codes or passwords have been tried from this device.")
        .contains("Try again after 08:10");
    assertThat(sixth.headers().firstValue("Retry-After")).contains("420");
    assertThat(signIns("throttled")).isEqualTo(1.0);
    HttpResponse<String> otherDevice = device.signIn(device.redirected(GUEST_LAPTOP, "/other"),
        Map.of("username", "sam.jones", "password", "correct horse battery"));
    assertThat(otherDevice.statusCode()).as("another device is not held up").isEqualTo(200);

    clock.advance(Duration.ofMinutes(7));
    HttpResponse<String> later = device.signIn(page, Map.of("username", "sam.jones", "password",
        "correct horse battery"));
    assertThat(later.statusCode()).as(later.body()).isEqualTo(200);
  }

  @Test
  void aWithdrawnVoucherSignsItsDevicesOutAndOnlyItsIssuerOrAnAdminMayWithdrawIt() throws Exception {
    String teacher = api.login("ms.khan", "a-long-teacher-password");
    JsonNode voucher = api.call("POST", "/api/v1/guest-vouchers", teacher, Map.of("name", "Jane Smith"), 201);
    long id = voucher.path("id").asLong();
    String code = voucher.path("code").asText();
    assertThat(device.signIn(device.redirected(GUEST_LAPTOP, "/g1"), Map.of("code", code)).statusCode()).isEqualTo(200);
    assertThat(device.signIn(device.redirected(GUEST_TABLET, "/g2"), Map.of("code", code)).statusCode()).isEqualTo(200);
    assertThat(device.fetch(GUEST_LAPTOP, "news.test", "/while-valid")).startsWith("HTTP/1.1 200");

    String other = api.login("mr.patel", "another-teacher-password");
    JsonNode notYours = api.call("DELETE", "/api/v1/guest-vouchers/" + id, other, null, 403);
    assertThat(notYours.toString()).contains("was issued by ms.khan; only they or an admin can withdraw it");
    api.call("DELETE", "/api/v1/guest-vouchers/nine", teacher, null, 400);
    api.call("DELETE", "/api/v1/guest-vouchers/" + (id + 100), teacher, null, 404);

    JsonNode revoked = api.call("DELETE", "/api/v1/guest-vouchers/" + id, teacher, null, 200);
    assertThat(revoked.path("revoked").asBoolean()).isTrue();
    assertThat(revoked.path("devicesSignedOut").asInt()).isEqualTo(2);
    assertThat(device.fetch(GUEST_LAPTOP, "news.test", "/after-withdrawal")).as("sent to the sign-in page again")
        .startsWith("HTTP/1.1 302");
    assertThat(device.fetch(GUEST_TABLET, "news.test", "/after-withdrawal-2")).startsWith("HTTP/1.1 302");
    assertThat(device.signIn(device.redirected(GUEST_LAPTOP, "/again"), Map.of("code", code))
        .statusCode()).isEqualTo(401);
    api.call("DELETE", "/api/v1/guest-vouchers/" + id, teacher, null, 409);
    assertThat(schoolgate.store().audit().query(new org.schoolgate.store.AuditTrail.Query(null, null, null,
        "guest-voucher.revoked", 0, 10))).singleElement()
        .satisfies(r -> assertThat(r.target()).isEqualTo("guest-voucher:" + id));

    JsonNode second = api.call("POST", "/api/v1/guest-vouchers", other, Map.of("name", "Sam Guest"), 201);
    String admin = api.login("head.it", "the admin's long password",
        TestAccounts.enrolSecondFactor(schoolgate, "head.it", clock).get(0));
    assertThat(api.call("DELETE", "/api/v1/guest-vouchers/" + second.path("id").asLong(), admin, null, 200)
        .path("revoked").asBoolean()).as("an admin withdraws anyone's").isTrue();
  }

  @Test
  void theNetworksBindForSetsHowLongASignInLasts() throws Exception {
    HttpResponse<String> in = device.signIn(device.redirected(STAFF_PHONE, "/short"),
        Map.of("username", "sam.jones", "password", "correct horse battery"));
    assertThat(in.body()).contains("as sam.jones until 08:45");
    clock.advance(Duration.ofMinutes(44));
    assertThat(device.fetch(STAFF_PHONE, "video.test", "/at-44")).startsWith("HTTP/1.1 200");
    clock.advance(Duration.ofMinutes(2));
    assertThat(device.fetch(STAFF_PHONE, "video.test", "/at-46")).startsWith("HTTP/1.1 302");
  }
}
