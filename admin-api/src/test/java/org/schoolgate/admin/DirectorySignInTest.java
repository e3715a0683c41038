package org.schoolgate.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.schoolgate.admin.AdminApi.Reply;
import org.schoolgate.admin.secondfactor.SecondFactor;
import org.schoolgate.store.Account;
import org.schoolgate.store.Actor;
import org.schoolgate.store.Role;

/**
 * Admin sign-in with directory credentials against a real in-process LDAP directory: roles come
 * from (nested) directory groups, people in no mapped group get nothing, local accounts keep
 * working, and a directory that is down refuses new people with 503 while the verifier's cache
 * keeps people who signed in lately working.
 */
class DirectorySignInTest {
  private final StaffDirectory staff = new StaffDirectory();

  @RegisterExtension final AdminApi api = AdminApi.smallPolicy().directory(staff::start);

  @AfterEach
  void stopDirectory() {
    staff.stop();
  }

  @Test
  void theDslSignsInWithHerDirectoryPasswordAndGetsTheRoleOfHerNestedGroupAndGivesHerSecondFactor() {
    Reply first = login("A.Khan", "aisha-pass-1", null);

    assertThat(first.status()).as(first.body()).isEqualTo(403);
    assertThat(first.code()).isEqualTo("second_factor_enrolment_required");
    Account account = api.store.accounts().byUsername("a.khan").orElseThrow();
    assertThat(account.directory()).isTrue();
    assertThat(account.roles()).containsExactly(Role.DSL);
    new SecondFactor(api.store.secondFactors(), api.clock, "Schoolgate").enrol(account, AdminApi.SECRET,
        SecondFactor.currentCode(AdminApi.SECRET, api.clock.instant()), Actor.system("test"));
    api.clock.advance(java.time.Duration.ofMinutes(1));
    assertThat(login("a.khan", "aisha-pass-1", null).code()).isEqualTo("second_factor_required");

    Reply login = login("a.khan", "aisha-pass-1", SecondFactor.currentCode(AdminApi.SECRET, api.clock.instant()));

    assertThat(login.status()).as(login.body()).isEqualTo(200);
    assertThat(login.json().path("account").path("username").asText()).isEqualTo("a.khan");
    assertThat(login.json().path("account").path("roles").toString()).isEqualTo("[\"dsl\"]");
    String token = login.json().path("token").asText();
    assertThat(api.withToken(token).get("/api/v1/alerts").status()).isEqualTo(200);

    Reply teacher = login("t.jones", "tom-pass-1");
    assertThat(teacher.status()).as("a teacher needs no second factor").isEqualTo(200);
    assertThat(api.withToken(teacher.json().path("token").asText()).get("/api/v1/alerts").status()).isEqualTo(403);
  }

  @Test
  void aPupilAWrongPasswordAndAnUnknownNameAllGetTheSameRefusalAndNoAccount() {
    for (Reply r : List.of(login("p.smith", "pat-pass-1"), login("a.khan", "not-her-password"),
        login("nobody", "whatever-1"), login("*)(uid=*", "whatever-1"))) {
      assertThat(r.status()).as(r.body()).isEqualTo(401);
      assertThat(r.code()).isEqualTo("login_failed");
    }
    assertThat(api.store.accounts().byUsername("p.smith")).isEmpty();
    assertThat(api.store.accounts().byUsername("a.khan")).isEmpty();
  }

  @Test
  void localAccountsKeepTheirOwnPasswordsAndAreNeverTakenOverByTheDirectory() {
    api.createAccount("t.jones", Set.of(Role.ADMIN));

    assertThat(login("t.jones", "tom-pass-1").status()).isEqualTo(401);
    // a local admin also gives its second factor (a recovery code here)
    Reply local = api.anonymous().post("/api/v1/login", "{\"username\":\"t.jones\",\"password\":\""
        + AdminApi.PASSWORD + "\",\"code\":\"" + api.nextRecoveryCode("t.jones") + "\"}");
    assertThat(local.status()).as(local.body()).isEqualTo(200);
    assertThat(local.json().path("account").path("roles").toString()).isEqualTo("[\"admin\"]");
  }

  @Test
  void aDirectoryOutageKeepsRecentSignInsWorkingAndRefusesOthersWith503() {
    assertThat(login("t.jones", "tom-pass-1").status()).isEqualTo(200);
    staff.ldap.shutDown(true);

    assertThat(login("t.jones", "tom-pass-1").status()).isEqualTo(200);
    Reply dsl = login("a.khan", "aisha-pass-1");
    assertThat(dsl.status()).as(dsl.body()).isEqualTo(503);
    assertThat(dsl.code()).isEqualTo("directory_unavailable");
  }

  private Reply login(String username, String password) {
    return login(username, password, null);
  }

  private Reply login(String username, String password, String code) {
    return api.anonymous().post("/api/v1/login", "{\"username\":\"" + username.replace("\"", "\\\"")
        + "\",\"password\":\"" + password + "\"" + (code == null ? "" : ",\"code\":\"" + code + "\"") + "}");
  }
}
