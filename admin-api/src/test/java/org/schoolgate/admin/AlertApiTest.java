package org.schoolgate.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.schoolgate.admin.AdminApi.Reply;
import org.schoolgate.store.Actor;
import org.schoolgate.store.Alert;
import org.schoolgate.store.NewAlert;
import org.schoolgate.store.Role;

/**
 * Alerts for the DSL through the real server and a real SQLite store (fresh for each test): a
 * senior leader approves a filter bypass, the DSL sees the alert with who, for whom, until when
 * and why, acknowledges it, and it leaves the open list.
 */
class AlertApiTest {
  @RegisterExtension final AdminApi api = AdminApi.samplePolicy();
  private static final String REASON = "Exam board software update needs unfiltered access";

  @Test
  void aBypassApprovedByASeniorLeaderReachesTheDslWhoAcknowledgesIt() {
    long unblock = askBypass("\"users\":[\"j.smith\"],\"groups\":[\"staff\"]");
    api.clock.advance(Duration.ofMinutes(2));
    Reply approved = api.as(Role.SENIOR_LEADER).post("/api/v1/unblocks/" + unblock + "/approve",
        "{\"note\":\"agreed with the DSL this morning\"}");
    assertThat(approved.status()).as(approved.body()).isEqualTo(200);

    Reply open = api.as(Role.DSL).get("/api/v1/alerts?unacknowledged=true");

    assertThat(open.status()).as(open.body()).isEqualTo(200);
    JsonNode alerts = open.json().get("alerts");
    assertThat(alerts).hasSize(1);
    JsonNode alert = alerts.get(0);
    long id = alert.get("id").asLong();
    assertThat(alert.get("kind").asText()).isEqualTo("filter-bypass");
    assertThat(alert.get("severity").asText()).isEqualTo("warning");
    assertThat(alert.get("audience").asText()).isEqualTo("dsl");
    assertThat(alert.get("raisedAt").asText()).isEqualTo("2026-11-23T10:02:00Z");
    assertThat(alert.get("subject").asText()).isEqualTo("Filter bypass " + unblock + " approved by senior-leader"
        + " for groups staff; users j.smith until 2026-11-23T10:32:00Z (asked by technician)");
    assertThat(alert.get("who").asText()).isEqualTo("groups staff; users j.smith");
    assertThat(alert.get("link").asText()).isEqualTo("unblock:" + unblock);
    assertThat(alert.get("acknowledged").asBoolean()).isFalse();
    JsonNode details = json(alert.get("details").asText());
    assertThat(details.get("approvedBy").asText()).isEqualTo("senior-leader");
    assertThat(details.get("note").asText()).isEqualTo("agreed with the DSL this morning");
    assertThat(details.get("requestedBy").asText()).isEqualTo("technician");
    assertThat(details.get("reason").asText()).isEqualTo(REASON);
    assertThat(details.get("scope").asText()).isEqualTo("groups staff; users j.smith");
    assertThat(details.get("until").asText()).as("30 minutes from the approval").isEqualTo("2026-11-23T10:32:00Z");
    assertThat(api.as(Role.SENIOR_LEADER).get("/api/v1/alerts").json().get("alerts")).hasSize(1);

    api.clock.advance(Duration.ofMinutes(5));
    Reply ack = api.as(Role.DSL).post("/api/v1/alerts/" + id + "/acknowledge", "{}");

    assertThat(ack.status()).as(ack.body()).isEqualTo(200);
    assertThat(ack.json().get("acknowledged").asBoolean()).isTrue();
    assertThat(ack.json().get("acknowledgedBy").asText()).isEqualTo("dsl");
    assertThat(ack.json().get("acknowledgedAt").asText()).isEqualTo("2026-11-23T10:07:00Z");
    assertThat(api.as(Role.DSL).get("/api/v1/alerts?unacknowledged=true").json().get("alerts")).isEmpty();
    JsonNode all = api.as(Role.DSL).get("/api/v1/alerts").json().get("alerts");
    assertThat(all).hasSize(1);
    assertThat(all.get(0).get("acknowledgedBy").asText()).isEqualTo("dsl");

    Reply again = api.as(Role.SENIOR_LEADER).post("/api/v1/alerts/" + id + "/acknowledge", "{}");
    assertThat(again.status()).isEqualTo(409);
    assertThat(again.code()).isEqualTo("conflict");
    assertThat(again.message()).isEqualTo("alert " + id + " was already acknowledged by dsl at 2026-11-23T10:07:00Z");

    assertThat(auditTypes()).containsSubsequence("bypass.approved", "alert.raised", "alert.acknowledged");
    JsonNode verify = api.as(Role.GOVERNOR).get("/api/v1/audit/verify").json();
    assertThat(verify.get("valid").asBoolean()).as(verify.toString()).isTrue();
  }

  @Test
  void anOrdinaryApprovalOrADeniedBypassRaisesNoAlert() {
    long ordinary = UnblockWorkflowTest.askWith(api, Role.TEACHER, "{\"target\":{\"type\":\"domain\",\"value\":"
        + "\"fortnite.com\"},\"groups\":[\"ks3-4\"],\"durationMinutes\":30,\"reason\":\"" + REASON + "\"}");
    long bypass = askBypass("\"users\":[\"j.smith\"]");

    assertThat(api.as(Role.TECHNICIAN).post("/api/v1/unblocks/" + ordinary + "/approve", "{}").status())
        .isEqualTo(200);
    assertThat(api.as(Role.SENIOR_LEADER).post("/api/v1/unblocks/" + bypass + "/deny", "{}").status())
        .isEqualTo(200);

    assertThat(api.as(Role.DSL).get("/api/v1/alerts").json().get("alerts")).isEmpty();
    assertThat(auditTypes()).doesNotContain("alert.raised");
  }

  @Test
  void aBypassThatIsNotApprovedBecauseTheApproverMayNotRaisesNoAlert() {
    long bypass = askBypass("\"users\":[\"j.smith\"]");

    assertThat(api.as(Role.DSL).post("/api/v1/unblocks/" + bypass + "/approve", "{}").status()).isEqualTo(403);

    assertThat(api.as(Role.DSL).get("/api/v1/alerts").json().get("alerts")).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(value = Role.class, names = {"TEACHER", "TECHNICIAN", "GOVERNOR", "ADMIN"})
  void onlyTheDslAndSeniorLeadersMayReadOrAcknowledgeAlerts(Role role) {
    Alert alert = api.store.alerts().raise(dslAlert("k1"), Actor.system("test"));

    Reply list = api.as(role).get("/api/v1/alerts");
    Reply ack = api.as(role).post("/api/v1/alerts/" + alert.id() + "/acknowledge", "{}");

    assertThat(list.status()).isEqualTo(403);
    assertThat(list.message()).isEqualTo("GET /api/v1/alerts needs one of: dsl, senior-leader");
    assertThat(ack.status()).isEqualTo(403);
    assertThat(ack.message()).isEqualTo("POST /api/v1/alerts/{id}/acknowledge needs one of: dsl, senior-leader");
    assertThat(api.store.alerts().get(alert.id()).orElseThrow().acknowledged()).isFalse();
  }

  @Test
  void listIsNewestFirstAndHonoursTheLimit() {
    List<Long> ids = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      ids.add(api.store.alerts().raise(dslAlert("k" + i), Actor.system("test")).id().value());
    }

    JsonNode two = api.as(Role.DSL).get("/api/v1/alerts?limit=2").json().get("alerts");

    assertThat(two).hasSize(2);
    assertThat(two.get(0).get("id").asLong()).isEqualTo(ids.get(2));
    assertThat(two.get(1).get("id").asLong()).isEqualTo(ids.get(1));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
    "unacknowledged=yes | unacknowledged | unacknowledged 'yes' is not true or false (expected: unacknowledged=true for open alerts only)",
    "limit=0            | limit          | limit '0' is not a number from 1 to 1000",
    "limit=many         | limit          | limit 'many' is not a number from 1 to 1000",
  })
  void badQueryParametersAreRefusedNamingTheField(String query, String field, String message) {
    Reply reply = api.as(Role.DSL).get("/api/v1/alerts?" + query);

    assertThat(reply.status()).isEqualTo(400);
    assertThat(reply.json().get("field").asText()).isEqualTo(field);
    assertThat(reply.message()).isEqualTo(message);
  }

  @Test
  void alertsForTechniciansAreNeitherListedNorAcknowledgeableHere() {
    Alert forTechnicians = api.store.alerts().raise(new NewAlert(Alert.Severity.WARNING, "circumvention",
        Alert.Audience.TECHNICIANS, "VPN attempts from 10.20.4.7", "", "device 10.20.4.7", null, "vpn:1"),
        Actor.system("test"));

    Reply ack = api.as(Role.DSL).post("/api/v1/alerts/" + forTechnicians.id() + "/acknowledge", "{}");

    assertThat(api.as(Role.DSL).get("/api/v1/alerts").json().get("alerts")).isEmpty();
    assertThat(ack.status()).isEqualTo(404);
    assertThat(ack.message()).isEqualTo("there is no alert " + forTechnicians.id()
        + " for the DSL (GET /api/v1/alerts lists them)");
    assertThat(api.store.alerts().get(forTechnicians.id()).orElseThrow().acknowledged()).isFalse();
  }

  @Test
  void acknowledgingAnAlertThatDoesNotExistIsNotFound() {
    Reply reply = api.as(Role.SENIOR_LEADER).post("/api/v1/alerts/424242/acknowledge", "{}");

    assertThat(reply.status()).isEqualTo(404);
    assertThat(reply.code()).isEqualTo("not_found");
  }

  private long askBypass(String scope) {
    return UnblockWorkflowTest.askWith(api, Role.TECHNICIAN, "{\"target\":{\"type\":\"everything\"}," + scope
        + ",\"durationMinutes\":30,\"reason\":\"" + REASON + "\"}");
  }

  private static NewAlert dslAlert(String key) {
    return new NewAlert(Alert.Severity.CRITICAL, "test-alert", Alert.Audience.DSL, "Something for the DSL " + key,
        "", "user pupil1", null, key);
  }

  private List<String> auditTypes() {
    List<String> types = new ArrayList<>();
    api.as(Role.GOVERNOR).get("/api/v1/audit?limit=10000").json().get("records")
        .forEach(r -> types.add(r.get("type").asText()));
    return types;
  }

  private static JsonNode json(String text) {
    try {
      return AdminApi.JSON.readTree(text);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
