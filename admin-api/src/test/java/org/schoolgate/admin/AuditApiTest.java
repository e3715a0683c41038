package org.schoolgate.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.schoolgate.admin.AdminApi.Reply;
import org.schoolgate.store.Role;

class AuditApiTest {
  @RegisterExtension static final AdminApi api = AdminApi.smallPolicy();

  @Test
  void aPolicyReloadIsAuditedWithWhoAskedForIt() {
    Reply reload = api.as(Role.TECHNICIAN).post("/api/v1/policy/reload", "");
    assertThat(reload.status()).isEqualTo(200);

    List<JsonNode> records = records(api.as(Role.GOVERNOR).get("/api/v1/audit?type=policy.reloaded"));

    assertThat(records).isNotEmpty();
    JsonNode last = records.get(records.size() - 1);
    assertThat(last.get("actor").asText()).isEqualTo("technician");
    assertThat(last.get("address").asText()).isEqualTo("127.0.0.1");
    assertThat(last.get("target").asText()).isEqualTo("policy");
  }

  @Test
  void aRejectedReloadIsAuditedToo() throws IOException {
    String original = Files.readString(api.policyFile);
    try {
      Files.writeString(api.policyFile, original.replace("gambling: { default: unacceptable }",
          "gambling: { default: sometimes }"));
      assertThat(api.as(Role.TECHNICIAN).post("/api/v1/policy/reload", "").status()).isEqualTo(422);

      List<JsonNode> records = records(api.as(Role.DSL).get("/api/v1/audit?type=policy.reload_rejected&actor=technician"));

      assertThat(records).hasSize(1);
      assertThat(records.get(0).get("reason").asText()).isEqualTo("1 error; the previous policy stays in force");
    } finally {
      Files.writeString(api.policyFile, original);
      api.holder.reload();
    }
  }

  @Test
  void recordsFilterByActorAndTypeAndPageWithAfter() {
    api.clock.advance(Duration.ofMinutes(1));
    for (int i = 0; i < 3; i++) {
      api.login("senior-leader");
    }

    List<JsonNode> all = records(api.as(Role.ADMIN).get("/api/v1/audit?actor=senior-leader&type=login"));
    assertThat(all).hasSizeGreaterThanOrEqualTo(4)
        .allSatisfy(r -> {
          assertThat(r.get("actor").asText()).isEqualTo("senior-leader");
          assertThat(r.get("type").asText()).startsWith("login");
        });

    Reply firstPage = api.as(Role.ADMIN).get("/api/v1/audit?actor=senior-leader&type=login&limit=2");
    long next = firstPage.json().get("next").asLong();
    List<JsonNode> secondPage = records(api.as(Role.ADMIN).get("/api/v1/audit?actor=senior-leader&type=login&after=" + next));

    assertThat(seqs(records(firstPage))).isEqualTo(seqs(all.subList(0, 2)));
    assertThat(seqs(secondPage)).isEqualTo(seqs(all.subList(2, all.size())));
    assertThat(secondPage.get(0).get("seq").asLong()).isGreaterThan(next);
  }

  @Test
  void fromAndToSelectATimeWindow() {
    api.clock.advance(Duration.ofHours(2));
    String from = api.clock.instant().toString();
    api.login("governor");
    api.clock.advance(Duration.ofMinutes(5));
    String to = api.clock.instant().toString();
    api.login("governor");

    List<JsonNode> window = records(api.as(Role.GOVERNOR).get("/api/v1/audit?actor=governor&from=" + from + "&to=" + to));

    assertThat(window).hasSize(1);
    assertThat(window.get(0).get("at").asText()).isEqualTo(from);
  }

  @Test
  void badFiltersNameTheParameter() {
    Reply limit = api.as(Role.GOVERNOR).get("/api/v1/audit?limit=0");
    Reply from = api.as(Role.GOVERNOR).get("/api/v1/audit?from=yesterday");

    assertThat(limit.status()).isEqualTo(400);
    assertThat(limit.json().get("field").asText()).isEqualTo("limit");
    assertThat(limit.message()).isEqualTo("limit '0' is not a number from 1 to 10000");
    assertThat(from.json().get("field").asText()).isEqualTo("from");
    assertThat(from.message()).startsWith("from 'yesterday' is not a date and time");
  }

  @Test
  void theCsvIsADownloadWithAHeaderRowAndTheSameRecords() {
    api.login("dsl");

    Reply csv = api.as(Role.GOVERNOR).get("/api/v1/audit.csv?actor=dsl&type=login");

    assertThat(csv.status()).isEqualTo(200);
    assertThat(csv.header("Content-Type")).startsWith("text/csv");
    assertThat(csv.header("Content-Disposition")).isEqualTo("attachment; filename=\"schoolgate-audit.csv\"");
    String[] lines = csv.body().split("\r?\n");
    assertThat(lines[0]).startsWith("seq,").contains("actor");
    int expected = records(api.as(Role.GOVERNOR).get("/api/v1/audit?actor=dsl&type=login")).size();
    assertThat(lines).hasSize(expected + 1);
    assertThat(lines[1]).contains(",dsl,");
  }

  @Test
  void verifyWalksTheWholeChainAndReportsItsHead() {
    Reply verify = api.as(Role.GOVERNOR).get("/api/v1/audit/verify");

    assertThat(verify.status()).isEqualTo(200);
    JsonNode v = verify.json();
    assertThat(v.get("valid").asBoolean()).isTrue();
    List<JsonNode> all = records(api.as(Role.GOVERNOR).get("/api/v1/audit?limit=10000"));
    assertThat(v.get("records").asLong()).isEqualTo(all.size());
    assertThat(v.get("head").asText()).isEqualTo(all.get(all.size() - 1).get("hash").asText());
    assertThat(v.has("seq")).isFalse();
  }

  static List<JsonNode> records(Reply reply) {
    assertThat(reply.status()).as(reply.body()).isEqualTo(200);
    return StreamSupport.stream(reply.json().get("records").spliterator(), false).toList();
  }

  private static List<Long> seqs(List<JsonNode> records) {
    return records.stream().map(r -> r.get("seq").asLong()).toList();
  }
}
