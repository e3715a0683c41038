package org.schoolgate.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.schoolgate.admin.AdminApi.Reply;
import org.schoolgate.store.Actor;
import org.schoolgate.store.Alert;
import org.schoolgate.store.NewAlert;
import org.schoolgate.store.Role;

/**
 * Issue 11: governors and technicians may read the audit trail but not alerts and incidents, so
 * the trail must not hand them a pupil's search term or the DSL's notes. Every role reads it after
 * a search alert and a private note, as JSON, as CSV and filtered to incidents; only the DSL and
 * senior leaders see the details, and the chain verifies for everyone.
 */
class AuditRedactionTest {
  @RegisterExtension static final AdminApi api = AdminApi.samplePolicy();
  private static final String TERM = "how to kill myself";
  private static final String NOTE = "Spoke to Sam's mother; CAMHS referral agreed, see paper file";

  @BeforeAll
  static void anAlertAndANote() {
    Alert alert = api.store.alerts().raise(new NewAlert(Alert.Severity.CRITICAL, "search-self-harm",
        Alert.Audience.DSL, "Search about self-harm by sam (ks3-4) at 10:00: \"" + TERM + "\"",
        "who: sam (ks3-4)\nterm: " + TERM, "sam (ks3-4)", null, "search-self-harm:1"), Actor.system("alerts"));
    String incident = alert.content().link().substring("incident:".length());
    Reply noted = api.as(Role.DSL).post("/api/v1/incidents/" + incident + "/notes",
        "{\"text\":\"" + NOTE + "\"}");
    assertThat(noted.status()).as(noted.body()).isEqualTo(201);
  }

  @ParameterizedTest
  @EnumSource(value = Role.class, names = {"DSL", "SENIOR_LEADER"})
  void theDslAndSeniorLeadersSeeTheDetails(Role role) {
    Reply json = api.as(role).get("/api/v1/audit?limit=1000");
    Reply incidents = api.as(role).get("/api/v1/audit?type=incident.");
    Reply csv = api.as(role).get("/api/v1/audit.csv");

    assertThat(json.body()).contains(TERM, NOTE);
    assertThat(incidents.body()).contains(TERM, NOTE);
    assertThat(csv.body()).contains(TERM, NOTE);
    assertThat(json.json().get("records")).allSatisfy(r -> assertThat(r.get("redacted").asBoolean()).isFalse());
    assertVerifies(role);
  }

  @ParameterizedTest
  @EnumSource(value = Role.class, names = {"TECHNICIAN", "GOVERNOR", "ADMIN"})
  void everyoneElseSeesThatTheRecordsExistButNotWhatTheySay(Role role) {
    Reply json = api.as(role).get("/api/v1/audit?limit=1000");
    Reply incidents = api.as(role).get("/api/v1/audit?type=incident.");
    Reply csv = api.as(role).get("/api/v1/audit.csv");

    for (Reply r : new Reply[] {json, incidents, csv}) {
      assertThat(r.status()).as(r.body()).isEqualTo(200);
      assertThat(r.body()).doesNotContain(TERM).doesNotContain(NOTE).doesNotContain("CAMHS")
          .doesNotContain("sam (ks3-4)");
    }
    JsonNode note = record(incidents, "incident.note");
    assertThat(note.get("redacted").asBoolean()).isTrue();
    assertThat(note.get("reason").asText()).isEqualTo("(safeguarding details: shown to the DSL and senior leaders only)");
    assertThat(note.get("target").asText()).startsWith("incident:");
    assertThat(note.get("actor").asText()).isEqualTo("dsl");
    assertThat(note.get("after").isNull()).isTrue();
    assertThat(record(json, "alert.raised").get("after").isNull()).isTrue();
    assertThat(csv.body()).contains("incident.note", "(safeguarding details: shown to the DSL and senior leaders only)");
    JsonNode login = record(json, "login");
    assertThat(login.get("redacted").asBoolean()).as("other records are shown whole").isFalse();
    assertVerifies(role);
  }

  @Test
  void teachersStillCannotReadTheTrailAtAll() {
    assertThat(api.as(Role.TEACHER).get("/api/v1/audit").status()).isEqualTo(403);
    assertThat(api.as(Role.TEACHER).get("/api/v1/audit.csv").status()).isEqualTo(403);
  }

  private static void assertVerifies(Role role) {
    Reply verify = api.as(role).get("/api/v1/audit/verify");
    assertThat(verify.status()).isEqualTo(200);
    assertThat(verify.json().get("valid").asBoolean()).isTrue();
  }

  private static JsonNode record(Reply page, String type) {
    for (JsonNode r : page.json().get("records")) {
      if (r.get("type").asText().equals(type)) {
        return r;
      }
    }
    throw new AssertionError("no " + type + " record in " + page.body());
  }
}
