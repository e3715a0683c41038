package org.schoolgate.deploy;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The device sign-in page's safeguards through the whole Schoolgate: wrong codes and passwords are
 * throttled per device (the page says when to try again, on the injected clock, and the metric
 * counts it), a withdrawn guest voucher signs its devices out at once (its issuer or an admin may
 * withdraw it; nobody else), and the network's {@code bind-for} sets how long a sign-in lasts.
 */
class DeviceSignInGapsTest extends SignInPageSchool {
  @Override
  String byodSettings() {
    return ", bind-for: 45m";
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
  void aVoucherWithdrawnFromTheShellSignsItsDeviceOutOfTheRunningServer() throws Exception {
    String teacher = api.login("ms.khan", "a-long-teacher-password");
    JsonNode voucher = api.call("POST", "/api/v1/guest-vouchers", teacher, Map.of("name", "Jo Visitor"), 201);
    assertThat(device.signIn(device.redirected(GUEST_LAPTOP, "/shell-1"), Map.of("code", voucher.path("code")
        .asText())).statusCode()).isEqualTo(200);
    assertThat(device.fetch(GUEST_LAPTOP, "news.test", "/shell-valid")).startsWith("HTTP/1.1 200");
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
    clock.advance(Duration.ofMinutes(1)); // the shell's change is later than the sign-in, as in life

    int status = AccountsCommand.run(List.of("voucher-remove", voucher.path("id").asText(), "--data-dir",
        dataDir.toString()), java.io.InputStream.nullInputStream(), new java.io.PrintStream(out, true),
        new java.io.PrintStream(err, true), clock);

    assertThat(status).as(err.toString()).isZero();
    assertThat(out.toString()).isEqualTo("withdrew voucher " + voucher.path("id").asText() + "; signed out 1 device\n");
    // the server reads the end from the shared table within identity.sync-every (200 ms here)
    org.schoolgate.policy.testing.Eventually.within(Duration.ofSeconds(20), () -> assertThat(
        device.fetch(GUEST_LAPTOP, "news.test", "/shell-after")).startsWith("HTTP/1.1 302"));
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
