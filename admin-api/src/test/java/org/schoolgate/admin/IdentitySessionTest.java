package org.schoolgate.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.schoolgate.admin.AdminApi.Reply;
import org.schoolgate.admin.identity.SessionSettings;
import org.schoolgate.identity.AddressBinding;
import org.schoolgate.identity.AuthMethod;
import org.schoolgate.identity.binding.UserNameRule;
import org.schoolgate.policy.model.Subnet;
import org.schoolgate.store.AuditRecord;
import org.schoolgate.store.AuditTrail;
import org.schoolgate.store.Role;

/** Logon sessions through the real API: who may report, validation, expiry, ending, the audit summary. */
class IdentitySessionTest {
  private static final String PATH = "/api/v1/identity/sessions";

  @RegisterExtension final AdminApi api = AdminApi.smallPolicy().sessions(new SessionSettings(
      new UserNameRule(Set.of("SCHOOL", "school.example"), true), Duration.ofHours(10), Duration.ofDays(1),
      List.of(Subnet.parse("127.0.0.0/8")), Duration.ofHours(1)));

  @Test
  void aMissingOrBadTokenIsRefused() throws Exception {
    Reply none = api.anonymous().post(PATH, "{\"user\":\"alice\",\"address\":\"10.0.0.5\"}");
    Reply bad = api.withToken("not-a-token").post(PATH, "{\"user\":\"alice\",\"address\":\"10.0.0.5\"}");

    assertThat(none.status()).isEqualTo(401);
    assertThat(none.code()).isEqualTo("unauthenticated");
    assertThat(bad.status()).isEqualTo(401);
    assertThat(bad.message()).isEqualTo(
        "the session or token has expired, was revoked, or its account is disabled; sign in again");
    assertThat(api.anonymous().delete(PATH + "?address=10.0.0.5").status()).isEqualTo(401);
    assertThat(binding("10.0.0.5")).isNull();
  }

  @Test
  void onlyAnIdentitySourceMayReportAndItMayDoNothingElse() {
    Reply technician = api.as(Role.TECHNICIAN).post(PATH, "{\"user\":\"alice\",\"address\":\"10.0.0.5\"}");
    assertThat(technician.status()).isEqualTo(403);
    assertThat(technician.message()).isEqualTo("POST /api/v1/identity/sessions needs one of: identity-source");

    AdminApi.Client script = api.as(Role.IDENTITY_SOURCE);
    assertThat(script.get("/api/v1/decide?client=10.0.0.5&url=http://example.com/").status()).isEqualTo(403);
    assertThat(script.get("/api/v1/audit").status()).isEqualTo(403);
    assertThat(script.get("/api/v1/unblocks").status()).isEqualTo(403);
    assertThat(script.post("/api/v1/policy/reload", "").status()).isEqualTo(403);
  }

  @Test
  void aSessionBindsTheAddressAndEndsByItselfOnTheClock() throws Exception {
    Reply r = api.as(Role.IDENTITY_SOURCE).post(PATH,
        "{\"user\":\"SCHOOL\\\\Alice\",\"address\":\"10.0.0.5\",\"minutes\":30}");

    assertThat(r.status()).as(r.body()).isEqualTo(201);
    assertThat(r.json().get("user").asText()).isEqualTo("alice");
    assertThat(r.json().get("until").asText()).isEqualTo("2026-11-23T10:30:00Z");
    AddressBinding bound = binding("10.0.0.5");
    assertThat(bound.user()).isEqualTo("alice");
    assertThat(bound.method()).isEqualTo(AuthMethod.SESSION);

    api.clock.advance(Duration.ofMinutes(30));
    assertThat(binding("10.0.0.5")).as("ended by itself, no sweep, no logoff").isNull();
  }

  @Test
  void deleteEndsTheSessionAtOnceButALateLogoffLeavesTheNextUser() throws Exception {
    AdminApi.Client script = api.as(Role.IDENTITY_SOURCE);
    script.post(PATH, "{\"user\":\"alice\",\"address\":\"10.0.0.5\"}");
    api.clock.advance(Duration.ofMinutes(1));
    script.post(PATH, "{\"user\":\"bob@school.example\",\"address\":\"10.0.0.5\"}");

    Reply late = script.delete(PATH + "?address=10.0.0.5&user=alice");
    assertThat(late.json().get("ended").asBoolean()).isFalse();
    assertThat(binding("10.0.0.5").user()).isEqualTo("bob");

    Reply logoff = script.delete(PATH + "?address=10.0.0.5&user=bob");
    assertThat(logoff.status()).isEqualTo(200);
    assertThat(logoff.json().get("ended").asBoolean()).isTrue();
    assertThat(binding("10.0.0.5")).isNull();
  }

  @Test
  void badReportsSayWhatIsWrong() {
    AdminApi.Client script = api.as(Role.IDENTITY_SOURCE);
    assertError(script.post(PATH, "{\"address\":\"10.0.0.5\"}"), "user",
        "user is required (expected: the user's sign-in name, e.g. alice, SCHOOL\\alice or alice@school.example)");
    assertError(script.post(PATH, "{\"user\":\"alice\",\"address\":\"10.0.0.0/24\"}"), "address",
        "address: '10.0.0.0/24' is a network, not one address (expected: the client's IP address, e.g. 10.20.4.17"
            + " (default: the caller's own))");
    assertError(script.post(PATH, "{\"user\":\"alice\",\"address\":\"pc01.school.example\"}"), "address", null);
    assertError(script.post(PATH, "{\"user\":\"alice\",\"until\":\"2026-11-23T09:00:00Z\"}"), "until",
        "until 2026-11-23T09:00:00Z is not in the future (now: 2026-11-23T10:00:00Z)");
    assertError(script.post(PATH, "{\"user\":\"alice\",\"minutes\":2000}"), "minutes",
        "minutes is more than 1 days away (expected: at most identity.sessions.max-length; the logoff script or the"
            + " next logon ends it sooner)");
    assertError(script.post(PATH, "{\"user\":\"alice\",\"minutes\":5,\"until\":\"2026-11-23T11:00:00Z\"}"), "until",
        "give until or minutes, not both");
    assertError(script.post(PATH, "{\"user\":\"SCHOOL\\\\\"}"), "user",
        "user: the user name 'SCHOOL\\' is only a realm (expected: a name before the @ or after the \\)");
  }

  @Test
  void reportsAreSummarisedInTheAuditTrailPerCaller() {
    AdminApi.Client script = api.as(Role.IDENTITY_SOURCE);
    script.post(PATH, "{\"user\":\"alice\",\"address\":\"10.0.0.5\"}");
    script.post(PATH, "{\"user\":\"bob\",\"address\":\"10.0.0.6\"}");
    script.delete(PATH + "?address=10.0.0.6");
    script.post(PATH, "{\"address\":\"10.0.0.7\"}");

    assertThat(api.server.sessionAudit().flush()).isEqualTo(1);
    List<AuditRecord> records = api.store.audit().query(new AuditTrail.Query(null, null, null,
        "identity.sessions", 0, 100));
    assertThat(records).hasSize(1);
    assertThat(records.get(0).actor()).isEqualTo("identity-source");
    assertThat(records.get(0).reason()).isEqualTo("2 started, 1 ended, 1 refused");
    assertThat(records.get(0).after()).contains("\"sample\":{\"user\":\"alice\",\"address\":\"10.0.0.5\"");
  }

  @Test
  void anIdentitySourceAccountHoldsNoOtherRole() {
    Reply r = api.as(Role.ADMIN).post("/api/v1/accounts", "{\"username\":\"logon\",\"displayName\":\"Logon script\","
        + "\"roles\":[\"identity-source\",\"teacher\"],\"password\":\"a-long-enough-password\"}");
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.message()).isEqualTo("identity-source is for logon scripts, Wi-Fi controllers and MDMs and cannot"
        + " be combined with other roles (create a separate account for the script)");
  }

  private static void assertError(Reply r, String field, String message) {
    assertThat(r.status()).as(r.body()).isEqualTo(400);
    assertThat(r.json().get("field").asText()).isEqualTo(field);
    if (message != null) {
      assertThat(r.message()).isEqualTo(message);
    }
  }

  private AddressBinding binding(String address) throws Exception {
    return api.bindings.find(InetAddress.getByName(address), api.clock.instant());
  }
}
