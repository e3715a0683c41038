package org.schoolgate.admin;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.schoolgate.admin.AdminApi.Reply;
import org.schoolgate.store.Role;

class AccountRoutesTest {
  @RegisterExtension static final AdminApi api = AdminApi.smallPolicy();

  @Test
  void anAdminCreatesAnAccountThatCanSignInWithItsRoles() {
    Reply created = api.as(Role.ADMIN).post("/api/v1/accounts", "{\"username\":\"h.new\",\"displayName\":\"H New\","
        + "\"password\":\"" + AdminApi.PASSWORD + "\",\"roles\":[\"teacher\",\"governor\"]}");

    assertThat(created.status()).isEqualTo(201);
    assertThat(created.json().get("roles").toString()).isEqualTo("[\"teacher\",\"governor\"]");
    Reply me = api.withToken(api.login("h.new")).get("/api/v1/me");
    assertThat(me.json().get("account").get("displayName").asText()).isEqualTo("H New");
    assertThat(api.as(Role.ADMIN).get("/api/v1/accounts").json().get("accounts").toString()).contains("\"h.new\"");
  }

  @Test
  void anUnknownRoleIsRefusedNamingTheRoles() {
    Reply reply = api.as(Role.ADMIN).post("/api/v1/accounts", "{\"username\":\"i.bad\",\"displayName\":\"I\","
        + "\"password\":\"" + AdminApi.PASSWORD + "\",\"roles\":[\"headteacher\"]}");

    assertThat(reply.status()).isEqualTo(400);
    assertThat(reply.json().get("field").asText()).isEqualTo("roles");
    assertThat(reply.message()).isEqualTo("roles holds 'headteacher', which is not a role (expected: one or more of "
        + "teacher, technician, dsl, senior-leader, governor, admin, identity-source)");
  }

  @Test
  void aTakenUsernameIsAConflict() {
    Reply reply = api.as(Role.ADMIN).post("/api/v1/accounts", "{\"username\":\"teacher\",\"displayName\":\"T\","
        + "\"password\":\"" + AdminApi.PASSWORD + "\",\"roles\":[\"teacher\"]}");

    assertThat(reply.status()).isEqualTo(409);
    assertThat(reply.code()).isEqualTo("username_taken");
  }

  @Test
  void changingRolesTakesEffectOnTheNextRequest() {
    long id = api.createAccount("j.promote", java.util.Set.of(Role.TEACHER)).id().value();
    String token = api.login("j.promote");
    assertThat(api.withToken(token).get("/api/v1/audit").status()).isEqualTo(403);

    Reply changed = api.as(Role.ADMIN).put("/api/v1/accounts/" + id + "/roles",
        "{\"roles\":[\"teacher\",\"technician\"],\"reason\":\"now runs the network\"}");

    assertThat(changed.status()).isEqualTo(200);
    assertThat(api.withToken(token).get("/api/v1/audit").status()).isEqualTo(200);
  }

  @Test
  void disablingAnAccountStopsItsSessionsAndEnablingLetsItSignInAgain() {
    long id = api.createAccount("k.leaver", java.util.Set.of(Role.TEACHER)).id().value();
    String token = api.login("k.leaver");

    assertThat(api.as(Role.ADMIN).post("/api/v1/accounts/" + id + "/disable", "{\"reason\":\"left\"}").json()
        .get("disabled").asBoolean()).isTrue();
    assertThat(api.withToken(token).get("/api/v1/me").status()).isEqualTo(401);
    assertThat(api.anonymous().post("/api/v1/login",
        "{\"username\":\"k.leaver\",\"password\":\"" + AdminApi.PASSWORD + "\"}").status()).isEqualTo(401);

    api.as(Role.ADMIN).post("/api/v1/accounts/" + id + "/enable", "{}");
    assertThat(api.login("k.leaver")).isNotBlank();
  }

  @Test
  void anAdminResetsAPassword() {
    long id = api.createAccount("l.forgot", java.util.Set.of(Role.TEACHER)).id().value();

    Reply reset = api.as(Role.ADMIN).post("/api/v1/accounts/" + id + "/password",
        "{\"password\":\"a brand new password\"}");

    assertThat(reset.status()).isEqualTo(204);
    assertThat(api.anonymous().post("/api/v1/login",
        "{\"username\":\"l.forgot\",\"password\":\"a brand new password\"}").status()).isEqualTo(200);
  }

  @Test
  void anAdminCannotDisableThemselvesOrDropTheirOwnAdminRole() {
    long self = api.accounts.get(Role.ADMIN).id().value();

    Reply disable = api.as(Role.ADMIN).post("/api/v1/accounts/" + self + "/disable", "{}");
    Reply demote = api.as(Role.ADMIN).put("/api/v1/accounts/" + self + "/roles", "{\"roles\":[\"teacher\"]}");

    assertThat(disable.status()).isEqualTo(409);
    assertThat(disable.code()).isEqualTo("own_account");
    assertThat(demote.status()).isEqualTo(409);
    assertThat(demote.message()).isEqualTo("you cannot remove the admin role from your own account; ask another admin");
  }

  @Test
  void anUnknownAccountIsNotFound() {
    Reply reply = api.as(Role.ADMIN).get("/api/v1/accounts/424242");

    assertThat(reply.status()).isEqualTo(404);
    assertThat(reply.message()).isEqualTo("there is no account 424242 (GET /api/v1/accounts lists them)");
  }
}
