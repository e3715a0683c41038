package org.schoolgate.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.schoolgate.admin.AdminApi.Reply;
import org.schoolgate.admin.secondfactor.SecondFactor;
import org.schoolgate.store.Account;
import org.schoolgate.store.AccountStore.LoginOutcome;
import org.schoolgate.store.AuditRecord;
import org.schoolgate.store.AuditTrail;
import org.schoolgate.store.Role;

/**
 * "My account" through the console's pages and {@code /api/v1/me/...}: changing one's own
 * password (current one required and throttled like sign-in, this session kept, the others ended,
 * audited without the password), a new authenticator app proved by its code, new recovery codes
 * that retire the old ones, recent sign-ins from the audit trail, and a directory account that has
 * no password here. Each test gets a fresh database.
 */
class MyAccountTest {
  @RegisterExtension final AdminApi api = AdminApi.samplePolicy();
  private static final String NEW_PASSWORD = "a much newer passphrase";

  @Test
  void aTeacherChangesTheirPasswordStaysSignedInHereAndIsSignedOutElsewhere() {
    String elsewhere = api.login("teacher");
    Document page = Jsoup.parse(api.page(Role.TEACHER, "/").body());
    assertThat(page.select("#my-account-link").attr("href")).isEqualTo("/account");
    String csrf = csrfOf(api.page(Role.TEACHER, "/account"));

    Reply wrong = api.form(Role.TEACHER, "/account/password", "csrf=" + enc(csrf) + "&currentPassword=" + enc("guess"
        + " guess guess") + "&newPassword=" + enc(NEW_PASSWORD) + "&confirmPassword=" + enc(NEW_PASSWORD));
    Reply mismatch = api.form(Role.TEACHER, "/account/password", "csrf=" + enc(csrf) + "&currentPassword="
        + enc(AdminApi.PASSWORD) + "&newPassword=" + enc(NEW_PASSWORD) + "&confirmPassword=" + enc("something else!!"));
    Reply tooShort = api.form(Role.TEACHER, "/account/password", "csrf=" + enc(csrf) + "&currentPassword="
        + enc(AdminApi.PASSWORD) + "&newPassword=short&confirmPassword=short");

    assertThat(wrong.status()).isEqualTo(403);
    assertThat(Jsoup.parse(wrong.body()).select("#account-error").text()).contains("current password is wrong");
    assertThat(Jsoup.parse(wrong.body()).select("#account-error").attr("href")).isEqualTo("#current-password");
    assertThat(mismatch.status()).isEqualTo(400);
    assertThat(Jsoup.parse(mismatch.body()).select("#account-error").attr("href")).isEqualTo("#confirm-password");
    assertThat(tooShort.status()).isEqualTo(400);
    assertThat(Jsoup.parse(tooShort.body()).select("#account-error").text()).contains("at least 12 characters");
    assertThat(api.withToken(elsewhere).get("/api/v1/me").status()).as("nothing changed yet").isEqualTo(200);
    assertThat(api.store.audit().query(new AuditTrail.Query(null, null, "teacher", "login.failed", 0, 10)))
        .as("checking the current password is not a sign-in").isEmpty();

    Reply changed = api.form(Role.TEACHER, "/account/password", "csrf=" + enc(csrf) + "&currentPassword="
        + enc(AdminApi.PASSWORD) + "&newPassword=" + enc(NEW_PASSWORD) + "&confirmPassword=" + enc(NEW_PASSWORD));

    assertThat(changed.status()).as(changed.body()).isEqualTo(303);
    assertThat(changed.header("Location")).isEqualTo("/account");
    assertThat(api.page(Role.TEACHER, "/account").status()).as("this session stays").isEqualTo(200);
    assertThat(api.withToken(elsewhere).get("/api/v1/me").status()).as("the other session ended").isEqualTo(401);
    assertThat(api.anonymous().post("/api/v1/login", login("teacher", AdminApi.PASSWORD)).status()).isEqualTo(401);
    assertThat(api.anonymous().post("/api/v1/login", login("teacher", NEW_PASSWORD)).status()).isEqualTo(200);
    List<AuditRecord> audited = api.store.audit().query(new AuditTrail.Query(null, null, null,
        "account.password_changed", 0, 10));
    assertThat(audited).singleElement().satisfies(r -> {
      assertThat(r.actor()).isEqualTo("teacher");
      assertThat(r.toString()).doesNotContain(NEW_PASSWORD).doesNotContain(AdminApi.PASSWORD);
    });
  }

  @Test
  void wrongCurrentPasswordsAreThrottledLikeSignInFromThatAddress() {
    Reply last = null;
    for (int i = 0; i < 6; i++) {
      last = api.as(Role.TEACHER).post("/api/v1/me/password", "{\"currentPassword\":\"guess number " + i
          + "\",\"newPassword\":\"" + NEW_PASSWORD + "\"}");
      if (last.status() == 429) {
        break;
      }
      assertThat(last.status()).isEqualTo(403);
      assertThat(last.code()).isEqualTo("wrong_password");
      assertThat(last.json().get("field").asText()).isEqualTo("currentPassword");
    }

    assertThat(last.status()).as(last.body()).isEqualTo(429);
    assertThat(last.code()).isEqualTo("locked_out");
    assertThat(last.header("Retry-After")).isNotBlank();
    Reply right = api.as(Role.TEACHER).post("/api/v1/me/password", "{\"currentPassword\":\"" + AdminApi.PASSWORD
        + "\",\"newPassword\":\"" + NEW_PASSWORD + "\"}");
    assertThat(right.status()).as("locked: not even the right password is checked").isEqualTo(429);
    assertThat(api.anonymous().post("/api/v1/login", login("teacher", AdminApi.PASSWORD)).status())
        .as("the sign-in from this address is locked too: one throttle").isEqualTo(429);
    api.clock.advance(Duration.ofHours(2));
    assertThat(api.as(Role.TEACHER).post("/api/v1/me/password", "{\"currentPassword\":\"" + AdminApi.PASSWORD
        + "\",\"newPassword\":\"" + NEW_PASSWORD + "\"}").status()).isEqualTo(204);
  }

  @Test
  void aDslMovesToANewAuthenticatorAppOnceItsCodeProvesIt() {
    Reply offer = api.as(Role.DSL).post("/api/v1/me/second-factor/offer", "");
    assertThat(offer.status()).as(offer.body()).isEqualTo(200);
    String secret = offer.json().get("secret").asText();
    assertThat(offer.json().get("uri").asText()).startsWith("otpauth://totp/").contains(secret);
    assertThat(api.as(Role.DSL).post("/api/v1/me/second-factor/offer", "").json().get("secret").asText())
        .as("the same key until it is used or 15 minutes pass").isEqualTo(secret);
    api.clock.advance(Duration.ofMinutes(1));
    String oldCode = SecondFactor.currentCode(AdminApi.SECRET, api.clock.instant());

    Reply notFromNew = api.as(Role.DSL).post("/api/v1/me/second-factor", "{\"currentPassword\":\""
        + AdminApi.PASSWORD + "\",\"code\":\"" + oldCode + "\"}");
    Reply wrongPassword = api.as(Role.DSL).post("/api/v1/me/second-factor", "{\"currentPassword\":\"guess guess"
        + " guess\",\"code\":\"" + SecondFactor.currentCode(secret, api.clock.instant()) + "\"}");
    assertThat(notFromNew.status()).isEqualTo(422);
    assertThat(notFromNew.code()).isEqualTo("code_mismatch");
    assertThat(wrongPassword.status()).isEqualTo(403);
    assertThat(api.store.secondFactors().enrolment(api.accounts.get(Role.DSL).id()).orElseThrow().secret())
        .isEqualTo(AdminApi.SECRET);

    Reply moved = api.as(Role.DSL).post("/api/v1/me/second-factor", "{\"currentPassword\":\"" + AdminApi.PASSWORD
        + "\",\"code\":\"" + SecondFactor.currentCode(secret, api.clock.instant()) + "\"}");

    assertThat(moved.status()).as(moved.body()).isEqualTo(204);
    api.clock.advance(Duration.ofMinutes(1));
    assertThat(api.anonymous().post("/api/v1/login", login("dsl", AdminApi.PASSWORD, SecondFactor.currentCode(
        AdminApi.SECRET, api.clock.instant()))).status()).as("the old app's code").isEqualTo(401);
    assertThat(api.anonymous().post("/api/v1/login", login("dsl", AdminApi.PASSWORD, SecondFactor.currentCode(
        secret, api.clock.instant()))).status()).as("the new app's code").isEqualTo(200);
    assertThat(api.store.audit().query(new AuditTrail.Query(null, null, "dsl", "account.second_factor_replaced", 0,
        10))).hasSize(1).allSatisfy(r -> assertThat(r.toString()).doesNotContain(secret));
    assertThat(api.as(Role.DSL).post("/api/v1/me/second-factor", "{\"currentPassword\":\"" + AdminApi.PASSWORD
        + "\",\"code\":\"123456\"}").code()).as("the offer was used").isEqualTo("no_offer");
  }

  @Test
  void newRecoveryCodesAreShownOnceAndTheOldOnesStopWorking() {
    String old = api.nextRecoveryCode("dsl");
    String csrf = csrfOf(api.page(Role.DSL, "/account"));
    assertThat(Jsoup.parse(api.page(Role.DSL, "/account").body()).select("#my-second-factor").text())
        .contains("recovery code");

    Reply none = api.form(Role.DSL, "/account/recovery-codes", "csrf=" + enc(csrf));
    assertThat(none.status()).isEqualTo(400);
    assertThat(Jsoup.parse(none.body()).select("#account-error").attr("href")).isEqualTo("#recovery-password");
    Reply shown = api.form(Role.DSL, "/account/recovery-codes", "csrf=" + enc(csrf) + "&currentPassword="
        + enc(AdminApi.PASSWORD));

    assertThat(shown.status()).as(shown.body()).isEqualTo(200);
    List<String> codes = Jsoup.parse(shown.body()).select("#recovery-codes li").eachText();
    assertThat(codes).hasSize(10);
    assertThat(api.anonymous().post("/api/v1/login", login("dsl", AdminApi.PASSWORD, old)).status())
        .as("an old, unused code").isEqualTo(401);
    assertThat(api.anonymous().post("/api/v1/login", login("dsl", AdminApi.PASSWORD, codes.get(0))).status())
        .isEqualTo(200);

    api.clock.advance(Duration.ofMinutes(1));
    Reply byCode = api.as(Role.DSL).post("/api/v1/me/recovery-codes", "{\"currentCode\":\""
        + SecondFactor.currentCode(AdminApi.SECRET, api.clock.instant()) + "\"}");
    assertThat(byCode.status()).as(byCode.body()).isEqualTo(200);
    assertThat(byCode.json().get("recoveryCodes")).hasSize(10);
    assertThat(api.store.audit().query(new AuditTrail.Query(null, null, "dsl", "account.recovery_codes_replaced", 0,
        10))).hasSize(2);
    assertThat(api.as(Role.TEACHER).post("/api/v1/me/recovery-codes", "{\"currentPassword\":\"" + AdminApi.PASSWORD
        + "\"}").code()).as("a teacher has no second factor").isEqualTo("not_enrolled");
  }

  @Test
  void recentSignInsComeFromTheAuditTrailNewestFirst() {
    api.clock.advance(Duration.ofMinutes(1));
    api.anonymous().post("/api/v1/login", login("teacher", "not my password at all"));
    api.clock.advance(Duration.ofMinutes(1));
    api.login("teacher");

    Reply reply = api.as(Role.TEACHER).get("/api/v1/me/sign-ins");

    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.json().get("signIns")).hasSize(3);
    assertThat(reply.json().get("signIns").get(0).get("outcome").asText()).isEqualTo("signed in");
    assertThat(reply.json().get("signIns").get(1).get("outcome").asText()).isEqualTo("refused: wrong password");
    assertThat(reply.json().get("signIns").get(1).get("method").asText()).isEqualTo("password");
    assertThat(reply.json().get("signIns").get(1).get("address").asText()).isEqualTo("127.0.0.1");
    Document page = Jsoup.parse(api.page(Role.TEACHER, "/account").body());
    assertThat(page.select("#my-sign-ins tbody tr")).hasSize(3);
    assertThat(page.select("#my-sign-ins tbody tr").get(1).text()).contains("127.0.0.1").contains("wrong password");
    assertThat(page.select("#my-second-factor").text()).contains("does not use a second factor");
    assertThat(page.select("#move-second-factor")).isEmpty();
    for (int i = 0; i < 18; i++) {
      api.login("teacher");
    }
    assertThat(api.as(Role.TEACHER).get("/api/v1/me/sign-ins").json().get("signIns")).hasSize(20);
  }

  @Test
  void aDirectoryAccountIsToldToChangeItsPasswordTheSchoolsWay() {
    Account dir = ((LoginOutcome.Success) api.store.accounts().directorySignIn("d.khan", "D Khan",
        Set.of(Role.TEACHER), "127.0.0.1")).account();
    String token = api.store.sessions().createSession(dir.id(), Duration.ofHours(1)).token();

    Reply change = api.withToken(token).post("/api/v1/me/password", "{}");
    Reply summary = api.withToken(token).get("/api/v1/me/account");
    Reply page = api.send(HttpRequest.newBuilder(api.uri("/account")).header("Cookie", "schoolgate_session=" + token));

    assertThat(change.status()).isEqualTo(409);
    assertThat(change.code()).isEqualTo("directory_account");
    assertThat(change.message()).contains("school's usual way");
    assertThat(summary.json().get("passwordChangeable").asBoolean()).isFalse();
    assertThat(summary.json().get("directory").asBoolean()).isTrue();
    Document doc = Jsoup.parse(page.body());
    assertThat(doc.select("#directory-password").text()).contains("school's usual way");
    assertThat(doc.select("#change-password")).isEmpty();
  }

  @Test
  void aFormWithoutItsCsrfTokenChangesNoPassword() {
    Reply forged = api.form(Role.TEACHER, "/account/password", "currentPassword=" + enc(AdminApi.PASSWORD)
        + "&newPassword=" + enc(NEW_PASSWORD) + "&confirmPassword=" + enc(NEW_PASSWORD));

    assertThat(forged.status()).isEqualTo(403);
    assertThat(api.store.accounts().passwordMatches(api.accounts.get(Role.TEACHER).id(),
        AdminApi.PASSWORD.toCharArray())).isTrue();
  }

  static String login(String username, String password) {
    return "{\"username\":\"" + username + "\",\"password\":\"" + password + "\"}";
  }

  static String login(String username, String password, String code) {
    return "{\"username\":\"" + username + "\",\"password\":\"" + password + "\",\"code\":\"" + code + "\"}";
  }

  static String csrfOf(Reply page) {
    String token = Jsoup.parse(page.body()).select("input[name=csrf]").attr("value");
    assertThat(token).as("a CSRF field on the page").isNotBlank();
    return token;
  }

  static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
