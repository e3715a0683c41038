package org.schoolgate.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.schoolgate.admin.AdminApi.Reply;
import org.schoolgate.store.Role;

class AuthTest {
  @RegisterExtension static final AdminApi api = AdminApi.samplePolicy();

  @Test
  void loginSetsAStrictHttpOnlySessionCookieAndReturnsTheAccount() {
    api.createAccount("c.jones", Set.of(Role.TEACHER, Role.DSL));

    java.time.Instant now = api.clock.instant();

    // a dsl needs its second factor: AdminApi enrolled it, and this is the code of the current step + 1
    String code = org.schoolgate.admin.secondfactor.SecondFactor.currentCode(AdminApi.SECRET, now.plusSeconds(30));
    Reply reply = api.anonymous().post("/api/v1/login", login("c.jones", AdminApi.PASSWORD).replace("}",
        ",\"code\":\"" + code + "\"}"));

    assertThat(reply.status()).as(reply.body()).isEqualTo(200);
    String token = reply.json().get("token").asText();
    assertThat(token).isNotBlank();
    assertThat(reply.json().get("expiresAt").asText()).isEqualTo(now.plus(Duration.ofHours(12)).toString());
    assertThat(reply.json().get("account").get("username").asText()).isEqualTo("c.jones");
    assertThat(reply.json().get("account").get("roles").toString()).isEqualTo("[\"teacher\",\"dsl\"]");
    assertThat(reply.json().get("account").has("password")).isFalse();
    assertThat(reply.header("Set-Cookie"))
        .isEqualTo("schoolgate_session=" + token + "; Path=/; Max-Age=43200; HttpOnly; SameSite=Strict");
  }

  @Test
  void theSessionCookieSignsRequestsIn() {
    api.createAccount("cookie.user", Set.of(Role.GOVERNOR));
    String token = api.login("cookie.user");

    Reply me = api.send(HttpRequest.newBuilder(api.uri("/api/v1/me"))
        .header("Cookie", "schoolgate_session=" + token).GET());

    assertThat(me.status()).isEqualTo(200);
    assertThat(me.json().get("account").get("username").asText()).isEqualTo("cookie.user");
    assertThat(me.json().get("authenticatedBy").asText()).isEqualTo("session");
  }

  @Test
  void aWrongPasswordAndAnUnknownUserGetTheSameGenericAnswer() {
    api.createAccount("d.patel", Set.of(Role.TEACHER));

    Reply wrongPassword = api.anonymous().post("/api/v1/login", login("d.patel", "not the password at all"));
    Reply unknownUser = api.anonymous().post("/api/v1/login", login("nobody.here", "not the password at all"));

    assertThat(wrongPassword.status()).isEqualTo(401);
    assertThat(unknownUser.status()).isEqualTo(401);
    assertThat(wrongPassword.body()).isEqualTo(unknownUser.body());
    assertThat(wrongPassword.code()).isEqualTo("login_failed");
    assertThat(wrongPassword.message()).isEqualTo("the username or password is wrong");
    assertThat(wrongPassword.header("Set-Cookie")).isNull();
  }

  @Test
  void fiveFailuresLockTheAccountForThisAddressAndEvenTheRightPasswordGets429WithRetryAfter() {
    api.createAccount("e.lock", Set.of(Role.TEACHER));
    for (int i = 0; i < 5; i++) {
      assertThat(api.anonymous().post("/api/v1/login", login("e.lock", "wrong password " + i)).status())
          .isIn(401, 429);
    }

    Reply locked = api.anonymous().post("/api/v1/login", login("e.lock", AdminApi.PASSWORD));

    assertThat(locked.status()).isEqualTo(429);
    assertThat(locked.code()).isEqualTo("locked_out");
    long retryAfter = Long.parseLong(locked.header("Retry-After"));
    assertThat(retryAfter).isBetween(1L, 60L);
    assertThat(locked.message()).isEqualTo(
        "too many failed sign-ins for this account from your address; try again in " + retryAfter + " seconds");

    api.clock.advance(Duration.ofSeconds(retryAfter));
    assertThat(api.anonymous().post("/api/v1/login", login("e.lock", AdminApi.PASSWORD)).status()).isEqualTo(200);
  }

  @Test
  void loginNeedsAUsernameAndAPassword() {
    Reply reply = api.anonymous().post("/api/v1/login", "{\"username\":\"x\"}");

    assertThat(reply.status()).isEqualTo(400);
    assertThat(reply.json().get("field").asText()).isEqualTo("password");
    assertThat(reply.message()).isEqualTo("password is required (expected: your password)");
  }

  @Test
  void aBodyThatIsNotJsonIsRefusedSayingSo() {
    Reply reply = api.anonymous().post("/api/v1/login", "username=x&password=y");

    assertThat(reply.status()).isEqualTo(400);
    assertThat(reply.code()).isEqualTo("invalid_json");
  }

  @Test
  void aBodyThatIsNotTypedAsJsonIsRefusedSoOtherSitesCannotPostForms() {
    Reply reply = api.send(HttpRequest.newBuilder(api.uri("/api/v1/login"))
        .header("Content-Type", "text/plain")
        .POST(HttpRequest.BodyPublishers.ofString(login("teacher", AdminApi.PASSWORD))));

    assertThat(reply.status()).isEqualTo(415);
    assertThat(reply.code()).isEqualTo("unsupported_media_type");
    assertThat(reply.message()).isEqualTo("the request body is 'text/plain' (expected: Content-Type: application/json)");
  }

  @Test
  void anUnauthenticatedAnswerAsksForABearerToken() {
    Reply reply = api.anonymous().get("/api/v1/me");

    assertThat(reply.status()).isEqualTo(401);
    assertThat(reply.header("WWW-Authenticate")).isEqualTo("Bearer realm=\"schoolgate\"");
  }

  @Test
  void logoutEndsTheSessionAndClearsTheCookie() {
    api.createAccount("f.out", Set.of(Role.TEACHER));
    String token = api.login("f.out");

    Reply out = api.withToken(token).post("/api/v1/logout", "");

    assertThat(out.status()).isEqualTo(204);
    assertThat(out.header("Set-Cookie")).startsWith("schoolgate_session=; Path=/; Max-Age=0;");
    assertThat(api.withToken(token).get("/api/v1/me").status()).isEqualTo(401);
  }

  @Test
  void anApiTokenIsShownOnceListedWithoutItsValueUsableAndRevocableByItsOwner() {
    api.createAccount("g.script", Set.of(Role.GOVERNOR));
    String session = api.login("g.script");

    java.time.Instant now = api.clock.instant();
    Reply created = api.withToken(session).post("/api/v1/tokens", "{\"name\":\"nightly-report\"}");
    assertThat(created.status()).isEqualTo(201);
    String apiToken = created.json().get("token").asText();
    long id = created.json().get("id").asLong();
    assertThat(created.json().get("expiresAt").asText()).isEqualTo(now.plus(Duration.ofDays(90)).toString());

    Reply listed = api.withToken(session).get("/api/v1/tokens");
    assertThat(listed.json().get("tokens")).hasSize(1);
    assertThat(listed.json().get("tokens").get(0).get("name").asText()).isEqualTo("nightly-report");
    assertThat(listed.body()).doesNotContain(apiToken);

    Reply me = api.withToken(apiToken).get("/api/v1/me");
    assertThat(me.json().get("authenticatedBy").asText()).isEqualTo("api-token");
    assertThat(api.withToken(apiToken).get("/api/v1/audit/verify").status()).isEqualTo(200);

    Reply someoneElse = api.as(Role.ADMIN).delete("/api/v1/tokens/" + id);
    assertThat(someoneElse.status()).isEqualTo(404);
    assertThat(api.withToken(apiToken).get("/api/v1/me").status()).isEqualTo(200);

    assertThat(api.withToken(session).delete("/api/v1/tokens/" + id).status()).isEqualTo(204);
    assertThat(api.withToken(apiToken).get("/api/v1/me").status()).isEqualTo(401);
    assertThat(api.withToken(session).get("/api/v1/tokens").json().get("tokens")).isEmpty();
  }

  @Test
  void anApiTokenCannotOutliveAYear() {
    Reply reply = api.as(Role.TECHNICIAN).post("/api/v1/tokens",
        "{\"name\":\"forever\",\"expiresAt\":\"2030-01-01T00:00:00Z\"}");

    assertThat(reply.status()).isEqualTo(400);
    assertThat(reply.json().get("field").asText()).isEqualTo("expiresAt");
    assertThat(reply.message()).startsWith("expiresAt 2030-01-01T00:00:00Z is more than a year away");
  }

  private static String login(String username, String password) {
    return "{\"username\":\"" + username + "\",\"password\":\"" + password + "\"}";
  }
}
