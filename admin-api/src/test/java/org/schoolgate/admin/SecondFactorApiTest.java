package org.schoolgate.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.schoolgate.admin.AdminApi.Reply;
import org.schoolgate.admin.secondfactor.SecondFactor;
import org.schoolgate.store.AuditTrail;
import org.schoolgate.store.Role;

/**
 * {@code POST /api/v1/login} for accounts that need a second factor (admin, dsl, senior-leader):
 * no code, a wrong code, a replayed code, a recovery code spent once, the lock-out, and an account
 * that has not enrolled yet. Each test gets a fresh database and clock.
 */
class SecondFactorApiTest {
  @RegisterExtension final AdminApi api = AdminApi.samplePolicy();

  @Test
  void aDslNeedsTheCodeAndEachCodeWorksOnce() {
    api.createAccount("ms.dsl", Set.of(Role.DSL));
    api.clock.advance(Duration.ofMinutes(5));
    String code = SecondFactor.currentCode(AdminApi.SECRET, api.clock.instant());

    Reply none = api.anonymous().post("/api/v1/login", login("ms.dsl", null));
    Reply wrong = api.anonymous().post("/api/v1/login", login("ms.dsl", code.equals("000000") ? "111111" : "000000"));
    Reply right = api.anonymous().post("/api/v1/login", login("ms.dsl", code));
    Reply replay = api.anonymous().post("/api/v1/login", login("ms.dsl", code));

    assertThat(none.status()).isEqualTo(401);
    assertThat(none.code()).isEqualTo("second_factor_required");
    assertThat(none.json().get("field").asText()).isEqualTo("code");
    assertThat(wrong.status()).isEqualTo(401);
    assertThat(wrong.code()).isEqualTo("second_factor_failed");
    assertThat(right.status()).as(right.body()).isEqualTo(200);
    assertThat(right.json().get("token").asText()).isNotBlank();
    assertThat(replay.status()).isEqualTo(401);
    assertThat(replay.code()).isEqualTo("second_factor_failed");
    assertThat(api.store.audit().query(AuditTrail.Query.all()).stream().map(e -> e.type()))
        .contains("account.second_factor_enrolled", "login.second_factor", "login.second_factor_failed");
    assertThat(api.store.audit().query(AuditTrail.Query.all()).toString()).doesNotContain(AdminApi.SECRET);
  }

  @Test
  void aTeacherNeedsNoCode() {
    api.createAccount("mr.form", Set.of(Role.TEACHER));

    assertThat(api.anonymous().post("/api/v1/login", login("mr.form", null)).status()).isEqualTo(200);
  }

  @Test
  void anAccountWithoutASecondFactorIsSentToTheConsoleToEnrol() {
    api.store.accounts().create("new.head", "New head", AdminApi.PASSWORD.toCharArray(),
        Set.of(Role.SENIOR_LEADER), org.schoolgate.store.Actor.system("test"));

    Reply reply = api.anonymous().post("/api/v1/login", login("new.head", "123456"));

    assertThat(reply.status()).isEqualTo(403);
    assertThat(reply.code()).isEqualTo("second_factor_enrolment_required");
    assertThat(reply.message()).contains("senior-leader").contains("/sign-in");
  }

  @Test
  void aRecoveryCodeWorksOnceAndWrongCodesLockTheSecondFactorWithRetryAfter() {
    api.createAccount("dep.head", Set.of(Role.SENIOR_LEADER));
    assertThat(api.login("dep.head")).as("signed in with a recovery code").isNotBlank();

    Reply last = null;
    for (int i = 0; i < 5; i++) {
      last = api.anonymous().post("/api/v1/login", login("dep.head", "00000" + i));
    }

    assertThat(last.status()).isEqualTo(429);
    assertThat(last.code()).isEqualTo("locked_out");
    assertThat(Long.parseLong(last.header("Retry-After"))).isBetween(1L, 60L);
    String now = SecondFactor.currentCode(AdminApi.SECRET, api.clock.instant().plusSeconds(30));
    assertThat(api.anonymous().post("/api/v1/login", login("dep.head", now)).status()).isEqualTo(429);
    api.clock.advance(Duration.ofMinutes(2));
    String later = SecondFactor.currentCode(AdminApi.SECRET, api.clock.instant());
    assertThat(api.anonymous().post("/api/v1/login", login("dep.head", later)).status()).isEqualTo(200);
  }

  @Test
  void anAdminResetsALostSecondFactorAndTheAccountMustEnrolAgain() {
    api.createAccount("head.it", Set.of(Role.ADMIN));
    org.schoolgate.store.Account dsl = api.createAccount("ms.dsl", Set.of(Role.DSL));
    String admin = api.login("head.it");

    Reply own = api.withToken(admin).post("/api/v1/accounts/" + api.store.accounts().byUsername("head.it")
        .orElseThrow().id().value() + "/second-factor/reset", "{\"reason\":\"testing\"}");
    Reply noReason = api.withToken(admin).post("/api/v1/accounts/" + dsl.id().value() + "/second-factor/reset", "{}");
    Reply reset = api.withToken(admin).post("/api/v1/accounts/" + dsl.id().value() + "/second-factor/reset",
        "{\"reason\":\"lost phone, checked in person\"}");
    Reply again = api.withToken(admin).post("/api/v1/accounts/" + dsl.id().value() + "/second-factor/reset",
        "{\"reason\":\"twice\"}");

    assertThat(own.status()).isEqualTo(409);
    assertThat(noReason.status()).isEqualTo(400);
    assertThat(reset.status()).isEqualTo(204);
    assertThat(again.status()).isEqualTo(409);
    assertThat(again.code()).isEqualTo("not_enrolled");
    assertThat(api.anonymous().post("/api/v1/login", login("ms.dsl", "123456")).code())
        .isEqualTo("second_factor_enrolment_required");
    assertThat(api.store.audit().query(AuditTrail.Query.all())).anySatisfy(r -> {
      assertThat(r.type()).isEqualTo("account.second_factor_reset");
      assertThat(r.actor()).isEqualTo("head.it");
    });
  }

  private static String login(String username, String code) {
    return "{\"username\":\"" + username + "\",\"password\":\"" + AdminApi.PASSWORD + "\""
        + (code == null ? "" : ",\"code\":\"" + code + "\"") + "}";
  }
}
