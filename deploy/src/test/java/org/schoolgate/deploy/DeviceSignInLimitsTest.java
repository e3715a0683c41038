package org.schoolgate.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.schoolgate.admin.signin.GuessLimits;

/**
 * The device sign-in page's guess limits come from the runtime configuration ({@code
 * admin.device-sign-in-limits}): with two wrong tries per device in a 5-minute window, the third
 * attempt from that device waits (even with the right password) until the window ends.
 */
class DeviceSignInLimitsTest extends SignInPageSchool {
  @Override
  RuntimeConfig.AdminSettings adminSettings(RuntimeConfig.AdminSettings embedded) {
    return new RuntimeConfig.AdminSettings(embedded.listen(), embedded.publicUrl(), embedded.tls(),
        embedded.allowPlainHttp(), embedded.trustedProxies(), embedded.directoryRoles(), null,
        new GuessLimits(2, 100, Duration.ofMinutes(5)));
  }

  @Test
  void aConfiguredLimitOfTwoWrongTriesPerDeviceHoldsTheThirdUntilTheWindowEnds() throws Exception {
    String page = device.redirected(STAFF_PHONE, "/first");
    for (int i = 0; i < 2; i++) {
      assertThat(device.signIn(page, Map.of("code", "WRONG-CODE-000" + i)).statusCode()).isEqualTo(401);
    }

    HttpResponse<String> third = device.signIn(page, Map.of("username", "sam.jones", "password",
        "correct horse battery"));

    assertThat(third.statusCode()).as(third.body()).isEqualTo(429);
    assertThat(third.body()).contains("Try again after 08:05");
    clock.advance(Duration.ofMinutes(5));
    HttpResponse<String> later = device.signIn(page, Map.of("username", "sam.jones", "password",
        "correct horse battery"));
    assertThat(later.statusCode()).as(later.body()).isEqualTo(200);
  }
}
