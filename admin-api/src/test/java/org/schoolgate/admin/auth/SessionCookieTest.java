package org.schoolgate.admin.auth;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SessionCookieTest {

  @Test
  void theCookieIsSecureOnlyWhenTheRequestCameOverTls() {
    assertThat(AuthRoutes.cookie("abc", 60, true))
        .isEqualTo("schoolgate_session=abc; Path=/; Max-Age=60; HttpOnly; SameSite=Strict; Secure");
    assertThat(AuthRoutes.cookie("abc", 60, false))
        .isEqualTo("schoolgate_session=abc; Path=/; Max-Age=60; HttpOnly; SameSite=Strict");
  }
}
