package org.schoolgate.admin;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.schoolgate.admin.AdminApi.Reply;

/** First run: no accounts yet, and a setup token. Each test gets a fresh database. */
class SetupTest {
  @RegisterExtension final AdminApi api = AdminApi.smallPolicy().withoutAccounts();

  @Test
  void theSetupTokenCreatesTheFirstAdminOnceAndOnlyOnce() {
    Reply first = api.anonymous().post("/api/v1/setup", setup(AdminApi.SETUP_TOKEN, "head.admin"));

    assertThat(first.status()).isEqualTo(201);
    assertThat(first.json().get("username").asText()).isEqualTo("head.admin");
    assertThat(first.json().get("roles").toString()).isEqualTo("[\"admin\"]");
    // the first admin needs a second factor: the API sends it to the console to enrol first
    Reply login = api.anonymous().post("/api/v1/login",
        "{\"username\":\"head.admin\",\"password\":\"" + AdminApi.PASSWORD + "\"}");
    assertThat(login.status()).isEqualTo(403);
    assertThat(login.code()).isEqualTo("second_factor_enrolment_required");

    Reply again = api.anonymous().post("/api/v1/setup", setup(AdminApi.SETUP_TOKEN, "second.admin"));
    assertThat(again.status()).isEqualTo(409);
    assertThat(again.code()).isEqualTo("already_set_up");
    assertThat(api.store.accounts().count()).isEqualTo(1);
  }

  @Test
  void aWrongSetupTokenCreatesNothing() {
    Reply reply = api.anonymous().post("/api/v1/setup", setup("first-run-setup-token-0123456780", "mallory"));

    assertThat(reply.status()).isEqualTo(403);
    assertThat(reply.code()).isEqualTo("invalid_setup_token");
    assertThat(api.store.accounts().count()).isZero();
  }

  @Test
  void setupSaysWhichFieldIsMissing() {
    Reply reply = api.anonymous().post("/api/v1/setup",
        "{\"token\":\"" + AdminApi.SETUP_TOKEN + "\",\"username\":\"a\",\"password\":\"long enough password\"}");

    assertThat(reply.status()).isEqualTo(400);
    assertThat(reply.json().get("field").asText()).isEqualTo("displayName");
  }

  @Test
  void aShortPasswordIsRefusedByTheStoreWithItsReason() {
    Reply reply = api.anonymous().post("/api/v1/setup",
        "{\"token\":\"" + AdminApi.SETUP_TOKEN + "\",\"username\":\"a\",\"displayName\":\"A\",\"password\":\"short\"}");

    assertThat(reply.status()).isEqualTo(400);
    assertThat(reply.json().get("field").asText()).isEqualTo("password");
    assertThat(api.store.accounts().count()).isZero();
  }

  private static String setup(String token, String username) {
    return "{\"token\":\"" + token + "\",\"username\":\"" + username
        + "\",\"displayName\":\"Head Admin\",\"password\":\"" + AdminApi.PASSWORD + "\"}";
  }
}
