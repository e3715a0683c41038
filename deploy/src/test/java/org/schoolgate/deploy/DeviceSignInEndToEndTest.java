package org.schoolgate.deploy;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The whole Schoolgate with a BYOD network whose sign-in page is required: a personal device's
 * plain request is sent to {@code /device-sign-in} on the admin port (with the proxy's ticket for
 * its address), the person signs in there with a school account (a local proxy account here) or
 * a guest voucher a teacher issued through the API, and the proxy then decides the device as that
 * person ({@code auth: portal}); a voucher works for its day only, and the binding runs out on the
 * clock.
 */
class DeviceSignInEndToEndTest extends SignInPageSchool {
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
