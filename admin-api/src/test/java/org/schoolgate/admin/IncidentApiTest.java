package org.schoolgate.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.schoolgate.admin.AdminApi.Reply;
import org.schoolgate.store.Actor;
import org.schoolgate.store.Alert;
import org.schoolgate.store.AuditRecord;
import org.schoolgate.store.AuditTrail;
import org.schoolgate.store.NewAlert;
import org.schoolgate.store.Role;

/**
 * The incident inbox through the real server and a real SQLite store (fresh for each test):
 * alerts raised into the store open incidents; the DSL works them through the API; a teacher
 * assigned one may read it and add notes and actions, nothing else; every view and change is audited.
 */
class IncidentApiTest {
  @RegisterExtension final AdminApi api = AdminApi.samplePolicy();

  @Test
  void theDslListsFiltersAndReadsAnIncidentWithItsTimelineAndEachViewIsAudited() {
    long sam = raise("k1", "sam (ks3-4)", "illegal-category", Alert.Severity.CRITICAL);
    api.clock.advance(Duration.ofMinutes(5));
    raise("k2", "sam (ks3-4)", "illegal-category", Alert.Severity.CRITICAL);
    long alex = raise("k3", "alex (ks5)", "repeated-attempts", Alert.Severity.WARNING);

    Reply all = api.as(Role.DSL).get("/api/v1/incidents");
    Reply critical = api.as(Role.SENIOR_LEADER).get("/api/v1/incidents?severity=critical&state=new&who=sam"
        + "&since=2026-11-23T10:00:00Z&limit=10");
    Reply one = api.as(Role.DSL).get("/api/v1/incidents/" + sam);

    assertThat(all.status()).as(all.body()).isEqualTo(200);
    assertThat(ids(all.json().get("incidents"))).containsExactly(alex, sam);
    assertThat(ids(critical.json().get("incidents"))).containsExactly(sam);
    assertThat(one.status()).as(one.body()).isEqualTo(200);
    JsonNode incident = one.json().get("incident");
    assertThat(incident.get("state").asText()).isEqualTo("new");
    assertThat(incident.get("severity").asText()).isEqualTo("critical");
    assertThat(incident.get("who").asText()).isEqualTo("sam (ks3-4)");
    assertThat(incident.get("kind").asText()).isEqualTo("illegal-category");
    assertThat(incident.get("subject").asText()).isEqualTo("subject k1");
    assertThat(incident.get("hits").asInt()).isEqualTo(2);
    assertThat(incident.get("openedAt").asText()).isEqualTo("2026-11-23T10:00:00Z");
    assertThat(incident.get("lastHitAt").asText()).isEqualTo("2026-11-23T10:05:00Z");
    JsonNode timeline = one.json().get("timeline");
    assertThat(timeline).hasSize(2);
    assertThat(timeline.get(0).get("type").asText()).isEqualTo("hit");
    assertThat(timeline.get(0).get("actor").asText()).isEqualTo("system:alerts");
    assertThat(timeline.get(0).get("alert").isIntegralNumber()).isTrue();
    List<AuditRecord> views = audit("incident.");
    assertThat(views).filteredOn(r -> r.type().equals("incident.listed")).extracting(AuditRecord::actor)
        .containsExactly("dsl", "senior-leader");
    assertThat(views).filteredOn(r -> r.type().equals("incident.viewed")).singleElement().satisfies(r -> {
      assertThat(r.actor()).isEqualTo("dsl");
      assertThat(r.target()).isEqualTo("incident:" + sam);
      assertThat(r.address()).isEqualTo("127.0.0.1");
    });
  }

  @Test
  void theDslAssignsAcknowledgesEscalatesNotesActsAndClosesAndEveryStepIsAudited() {
    long id = raise("k1", "sam (ks3-4)", "illegal-category", Alert.Severity.CRITICAL);
    Reply assigned = api.as(Role.DSL).post(path(id, "assign"), "{\"owner\":\"teacher\"}");
    api.clock.advance(Duration.ofMinutes(3));
    Reply acknowledged = api.as(Role.DSL).post(path(id, "acknowledge"), "");
    Reply escalated = api.as(Role.SENIOR_LEADER).post(path(id, "escalate"), "{\"reason\":\"the head should know\"}");
    Reply noted = api.as(Role.DSL).post(path(id, "notes"), "{\"text\":\"sam was upset; spoke at lunch\"}");
    Reply acted = api.as(Role.DSL).post(path(id, "actions"), "{\"action\":\"parents-informed\",\"text\":\"phoned\"}");
    Reply closed = api.as(Role.DSL).post(path(id, "close"), "{\"outcome\":\"pastoral plan agreed with parents\"}");

    assertThat(assigned.status()).as(assigned.body()).isEqualTo(200);
    assertThat(assigned.json().get("owner").asText()).isEqualTo("teacher");
    assertThat(acknowledged.status()).as(acknowledged.body()).isEqualTo(200);
    assertThat(acknowledged.json().get("acknowledgedBy").asText()).isEqualTo("dsl");
    assertThat(acknowledged.json().get("acknowledgedAt").asText()).isEqualTo("2026-11-23T10:03:00Z");
    assertThat(escalated.json().get("state").asText()).isEqualTo("escalated");
    assertThat(escalated.json().get("escalationLevel").asInt()).isEqualTo(1);
    assertThat(noted.status()).as(noted.body()).isEqualTo(201);
    assertThat(acted.status()).as(acted.body()).isEqualTo(201);
    assertThat(closed.status()).as(closed.body()).isEqualTo(200);
    assertThat(closed.json().get("state").asText()).isEqualTo("closed");
    assertThat(closed.json().get("outcome").asText()).isEqualTo("pastoral plan agreed with parents");
    JsonNode timeline = api.as(Role.DSL).get("/api/v1/incidents/" + id).json().get("timeline");
    assertThat(texts(timeline, "type")).containsExactly("hit", "assigned", "state", "state", "note", "action",
        "state");
    assertThat(texts(timeline, "actor")).containsExactly("system:alerts", "dsl", "dsl", "senior-leader", "dsl", "dsl",
        "dsl");
    assertThat(timeline.get(5).get("action").asText()).isEqualTo("parents-informed");
    assertThat(audit("incident.").stream().map(AuditRecord::type).filter(t -> !t.equals("incident.viewed")))
        .containsExactly("incident.opened", "incident.assigned", "incident.acknowledged", "incident.escalated",
            "incident.note", "incident.action", "incident.closed");
    assertThat(api.store.alerts().list(new org.schoolgate.store.AlertStore.Query(null, false, 100)))
        .extracting(a -> a.content().kind()).contains("escalation-1");

    Reply again = api.as(Role.DSL).post(path(id, "acknowledge"), "");
    assertThat(again.status()).isEqualTo(409);
    assertThat(again.code()).isEqualTo("conflict");
    assertThat(again.message()).contains("a closed incident cannot be acknowledged");
  }

  @ParameterizedTest(name = "{0} {1} → {2} {3}")
  @CsvSource(delimiter = '|', value = {
      "close   | {}                                    | 400 | outcome",
      "close   | {\"outcome\":\"  \"}                   | 400 | outcome",
      "assign  | {\"owner\":\"nobody\"}                 | 400 | owner",
      "actions | {\"action\":\"shouted\"}              | 400 | action",
      "actions | {\"action\":\"other\"}                | 400 | text",
      "notes   | {\"text\":\"\"}                        | 400 | text",
  })
  void badInputIsRefusedNamingTheField(String verb, String body, int status, String field) {
    long id = raise("k1", "sam", "repeated-attempts", Alert.Severity.WARNING);

    Reply reply = api.as(Role.DSL).post(path(id, verb), body);

    assertThat(reply.status()).as(reply.body()).isEqualTo(status);
    assertThat(reply.code()).isEqualTo("invalid");
    assertThat(reply.json().get("field").asText()).isEqualTo(field);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"state=open,state", "severity=high,severity", "since=yesterday,since", "limit=0,limit"})
  void badFiltersAreRefusedNamingTheField(String query, String field) {
    Reply reply = api.as(Role.DSL).get("/api/v1/incidents?" + query);

    assertThat(reply.status()).as(reply.body()).isEqualTo(400);
    assertThat(reply.json().get("field").asText()).isEqualTo(field);
  }

  @Test
  void aTeacherAssignedAnIncidentMayReadItAndAddNotesAndActionsButNothingElse() {
    long mine = raise("k1", "sam", "repeated-attempts", Alert.Severity.WARNING);
    long other = raise("k2", "alex", "repeated-attempts", Alert.Severity.WARNING);
    assertThat(api.as(Role.DSL).post(path(mine, "assign"), "{\"owner\":\"teacher\"}").status()).isEqualTo(200);
    AdminApi.Client teacher = api.as(Role.TEACHER);

    assertThat(ids(teacher.get("/api/v1/incidents").json().get("incidents"))).containsExactly(mine);
    assertThat(teacher.get("/api/v1/incidents/" + mine).status()).isEqualTo(200);
    assertThat(teacher.post(path(mine, "notes"), "{\"text\":\"spoke to sam in form time\"}").status()).isEqualTo(201);
    assertThat(teacher.post(path(mine, "actions"), "{\"action\":\"spoke-to-pupil\"}").status()).isEqualTo(201);
    for (String verb : List.of("assign", "acknowledge", "escalate", "close")) {
      Reply refused = teacher.post(path(mine, verb), "{\"owner\":\"teacher\",\"outcome\":\"done\"}");
      assertThat(refused.status()).as(verb).isEqualTo(403);
      assertThat(refused.message()).isEqualTo("POST /api/v1/incidents/{id}/" + verb
          + " needs one of: dsl, senior-leader");
    }
    Reply hidden = teacher.get("/api/v1/incidents/" + other);
    assertThat(hidden.status()).isEqualTo(404);
    assertThat(hidden.message()).isEqualTo("incident " + other + " does not exist");
    assertThat(teacher.post(path(other, "notes"), "{\"text\":\"nosy\"}").status()).isEqualTo(404);
    assertThat(audit("incident.note")).extracting(AuditRecord::actor).containsExactly("teacher");
  }

  @Test
  void someoneNeverAssignedSeesNothingAndAnonymousIsUnauthenticated() {
    long id = raise("k1", "sam", "repeated-attempts", Alert.Severity.WARNING);

    for (Role role : List.of(Role.TECHNICIAN, Role.GOVERNOR, Role.ADMIN, Role.TEACHER)) {
      assertThat(api.as(role).get("/api/v1/incidents").json().get("incidents")).as(role.apiName()).isEmpty();
      assertThat(api.as(role).get("/api/v1/incidents/" + id).status()).as(role.apiName()).isEqualTo(404);
    }
    assertThat(api.anonymous().get("/api/v1/incidents").status()).isEqualTo(401);
  }

  private long raise(String key, String who, String kind, Alert.Severity severity) {
    Alert a = api.store.alerts().raise(new NewAlert(severity, kind, Alert.Audience.DSL, "subject " + key, "", who,
        null, key), Actor.system("alerts"));
    return Long.parseLong(a.content().link().substring("incident:".length()));
  }

  private static String path(long id, String verb) {
    return "/api/v1/incidents/" + id + "/" + verb;
  }

  private static List<Long> ids(JsonNode incidents) {
    List<Long> ids = new ArrayList<>();
    incidents.forEach(i -> ids.add(i.get("id").asLong()));
    return ids;
  }

  private static List<String> texts(JsonNode entries, String field) {
    List<String> out = new ArrayList<>();
    entries.forEach(e -> out.add(e.get(field).asText()));
    return out;
  }

  private List<AuditRecord> audit(String typePrefix) {
    return api.store.audit().query(AuditTrail.Query.all()).stream().filter(r -> r.type().startsWith(typePrefix))
        .collect(Collectors.toList());
  }
}
