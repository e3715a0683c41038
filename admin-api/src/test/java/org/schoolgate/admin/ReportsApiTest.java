package org.schoolgate.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.LocalDate;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.schoolgate.admin.AdminApi.Reply;
import org.schoolgate.policy.accesslog.AccessLogFiles;
import org.schoolgate.store.Role;

/**
 * The reports over HTTP with real accounts: who may open what (a governor sees aggregates with
 * small counts suppressed, a teacher no pupil's timeline), every timeline audited and its record
 * redacted for other readers of the audit trail, the evidence pack as printable HTML and CSV, and
 * a candidate policy's errors with file:line.
 */
class ReportsApiTest {
  @RegisterExtension final AdminApi api = AdminApi.samplePolicy();

  static final Instant MORNING = Instant.parse("2026-11-23T09:00:00Z");
  static final String MONDAY = "from=2026-11-23&to=2026-11-23";

  @BeforeEach
  void writeLog() throws IOException {
    StringBuilder lines = new StringBuilder();
    for (int i = 0; i < 6; i++) {
      lines.append(line(MORNING.plusSeconds(i), "sam", "https", "www.bet365.com", "/", "gambling"));
    }
    for (int i = 0; i < 2; i++) {
      lines.append(line(MORNING.plusSeconds(60 + i), "ali", "http", "adult.example", "/", "pornography"));
    }
    Files.writeString(api.logs.resolve(AccessLogFiles.jsonLines(LocalDate.of(2026, 11, 23))), lines,
        StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
  }

  static String line(Instant t, String user, String scheme, String host, String path, String category) {
    ObjectNode n = AdminApi.JSON.createObjectNode();
    n.put("time", t.toString()).put("client", "10.20.0.5").put("user", user).put("group", "ks3-4")
        .put("method", "GET").put("scheme", scheme).put("host", host).put("path", path).putNull("query");
    n.putArray("categories").add(category);
    n.put("action", "block").put("level", "unacceptable").put("rule", "matrix:" + category + "/ks3-4")
        .putNull("unblock").put("status", 403).put("bytesIn", 100).put("bytesOut", 2000).put("durationMs", 3);
    return n + "\n";
  }

  @Test
  void governorsSeeAggregatesWithSmallCountsSuppressedAndTeachersNone() {
    Reply dsl = api.as(Role.DSL).get("/api/v1/reports/blocked?" + MONDAY);
    assertThat(dsl.status()).as(dsl.body()).isEqualTo(200);
    assertThat(dsl.json().get("total").asLong()).isEqualTo(8);

    Reply governor = api.as(Role.GOVERNOR).get("/api/v1/reports/blocked?" + MONDAY);
    assertThat(governor.status()).isEqualTo(200);
    JsonNode byCategory = governor.json().get("byCategory");
    assertThat(byCategory.get(0).get("label").asText()).isEqualTo("gambling");
    assertThat(byCategory.get(0).get("count").asLong()).isEqualTo(6);
    assertThat(byCategory.get(1).get("count").asText()).isEqualTo("fewer than 5");
    assertThat(governor.body()).doesNotContain("sam").doesNotContain("10.20.0.5");

    Reply teacher = api.as(Role.TEACHER).get("/api/v1/reports/blocked?" + MONDAY);
    assertThat(teacher.status()).isEqualTo(403);

    Reply bad = api.as(Role.DSL).get("/api/v1/reports/blocked?from=2026-11-23");
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.json().get("field").asText()).isEqualTo("to");
  }

  @Test
  void aTimelineIsAuditedAndTheRecordHidesWhoseItWasFromOtherRoles() {
    Reply teacher = api.as(Role.TEACHER).get("/api/v1/reports/timeline?user=sam&from=2026-11-23T08:30"
        + "&to=2026-11-23T09:30");
    assertThat(teacher.status()).isEqualTo(403);
    assertThat(teacher.code()).isEqualTo("forbidden");

    Reply dsl = api.as(Role.DSL).get("/api/v1/reports/timeline?user=sam&from=2026-11-23T08:30&to=2026-11-23T09:30");
    assertThat(dsl.status()).as(dsl.body()).isEqualTo(200);
    assertThat(dsl.json().get("lines").get(0).get("url").asText()).isEqualTo("https://www.bet365.com/");
    assertThat(dsl.json().get("requests").asInt()).isEqualTo(6);

    JsonNode forDsl = api.as(Role.DSL).get("/api/v1/audit?type=history.").json().get("records");
    assertThat(forDsl).hasSize(1);
    assertThat(forDsl.get(0).get("actor").asText()).isEqualTo("dsl");
    assertThat(forDsl.get(0).get("reason").asText()).contains("sam");

    Reply forTechnician = api.as(Role.TECHNICIAN).get("/api/v1/audit?type=history.");
    JsonNode record = forTechnician.json().get("records").get(0);
    assertThat(record.get("type").asText()).isEqualTo("history.viewed");
    assertThat(record.get("actor").asText()).isEqualTo("dsl");
    assertThat(record.get("redacted").asBoolean()).isTrue();
    assertThat(forTechnician.body()).doesNotContain("sam");
    Reply csv = api.as(Role.GOVERNOR).get("/api/v1/audit.csv?type=history.");
    assertThat(csv.body()).contains("history.viewed").doesNotContain("sam");
  }

  @Test
  void theEvidencePackIsPrintableAndDownloadable() {
    Reply html = api.as(Role.GOVERNOR).get("/api/v1/reports/evidence.html?" + MONDAY);
    assertThat(html.status()).as(html.body()).isEqualTo(200);
    assertThat(html.header("Content-Type")).startsWith("text/html");
    assertThat(html.body()).contains("@media print").contains("gambling");
    assertThat(html.header("Content-Security-Policy")).contains("default-src 'none'");

    Reply csv = api.as(Role.GOVERNOR).get("/api/v1/reports/evidence.csv?" + MONDAY);
    assertThat(csv.status()).isEqualTo(200);
    assertThat(csv.header("Content-Disposition"))
        .isEqualTo("attachment; filename=\"schoolgate-evidence-2026-11-23-to-2026-11-23.csv\"");

    Reply json = api.as(Role.SENIOR_LEADER).get("/api/v1/reports/evidence?" + MONDAY);
    assertThat(json.status()).isEqualTo(200);
    assertThat(json.json().get("policy")).isNotNull();
    assertThat(api.as(Role.TECHNICIAN).get("/api/v1/reports/evidence").status()).isEqualTo(403);
  }

  @Test
  void aCandidatePolicyWithErrorsIsRefusedWithFileAndLine() {
    ObjectNode body = AdminApi.JSON.createObjectNode().put("policy", "version: 1\nmatrix: [\n").put("days", 7);
    Reply reply = api.as(Role.TECHNICIAN).post("/api/v1/reports/dry-runs", body.toString());

    assertThat(reply.status()).as(reply.body()).isEqualTo(400);
    assertThat(reply.json().get("field").asText()).isEqualTo("policy");
    assertThat(reply.json().get("details").get(0).asText()).startsWith("candidate.yaml:");
    assertThat(api.as(Role.GOVERNOR).post("/api/v1/reports/dry-runs", body.toString()).status()).isEqualTo(403);
  }

  @Test
  void theWeeklyDigestIsDataForTheDslOnly() {
    Reply dsl = api.as(Role.DSL).get("/api/v1/reports/digest?week=2026-11-18");
    assertThat(dsl.status()).as(dsl.body()).isEqualTo(200);
    assertThat(api.as(Role.GOVERNOR).get("/api/v1/reports/digest").status()).isEqualTo(403);
    Reply bad = api.as(Role.DSL).get("/api/v1/reports/digest?week=last");
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.message()).contains("YYYY-MM-DD");
  }
}
