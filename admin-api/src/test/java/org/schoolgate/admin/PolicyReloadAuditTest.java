package org.schoolgate.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.schoolgate.admin.AdminApi.Reply;
import org.schoolgate.store.AuditRecord;
import org.schoolgate.store.AuditTrail;
import org.schoolgate.store.Role;

/** Issue 11: a policy reload's audit record says what changed, in a short, bounded diff. */
class PolicyReloadAuditTest {
  @RegisterExtension final AdminApi api = AdminApi.smallPolicy();

  @Test
  void aReloadRecordsTheLinesAddedAndRemovedAndTheListCountsBeforeAndAfter() throws Exception {
    String original = Files.readString(api.policyFile);
    Files.writeString(api.policyFile, original
        .replace("gambling: { domains: [bet.example, casino.example] }",
            "gambling: { domains: [bet.example, casino.example, poker.example] }")
        .replace("default: acceptable", "default: acceptable\n# reviewed by the e-safety group, November"));

    Reply reload = api.as(Role.TECHNICIAN).post("/api/v1/policy/reload", "");

    assertThat(reload.status()).as(reload.body()).isEqualTo(200);
    AuditRecord r = last("policy.reloaded");
    assertThat(r.actor()).isEqualTo("technician");
    assertThat(r.reason()).isEqualTo("+2 -1 lines in policy.yaml; list entries 3 → 4");
    JsonNode after = AdminApi.JSON.readTree(r.after());
    assertThat(after.get("source").asText()).isEqualTo(api.policyFile.toString());
    assertThat(after.get("entries").toString()).isEqualTo("{\"before\":3,\"after\":4}");
    assertThat(after.get("lists").toString()).isEqualTo("{\"gambling\":{\"before\":2,\"after\":3}}");
    assertThat(after.get("diff")).extracting(JsonNode::asText).containsExactly(
        "-12:   gambling: { domains: [bet.example, casino.example] }",
        "+12:   gambling: { domains: [bet.example, casino.example, poker.example] }",
        "+18: # reviewed by the e-safety group, November");
    assertThat(after.get("moreLines").asInt()).isZero();
  }

  @Test
  void aLargeChangeIsCutToFortyLinesAndSaysHowManyMore() throws Exception {
    StringBuilder comments = new StringBuilder();
    for (int i = 1; i <= 100; i++) {
      comments.append("# note ").append(i).append(" ").append("x".repeat(300)).append('\n');
    }
    Files.writeString(api.policyFile, comments + Files.readString(api.policyFile));

    assertThat(api.as(Role.TECHNICIAN).post("/api/v1/policy/reload", "").status()).isEqualTo(200);

    AuditRecord r = last("policy.reloaded");
    assertThat(r.reason()).isEqualTo("+100 -0 lines in policy.yaml; list entries 3 → 3");
    JsonNode after = AdminApi.JSON.readTree(r.after());
    assertThat(after.get("diff")).hasSize(40).allSatisfy(l -> assertThat(l.asText()).hasSizeLessThanOrEqualTo(160));
    assertThat(after.get("moreLines").asInt()).isEqualTo(60);
    assertThat(after.get("lists").size()).isZero();
  }

  @Test
  void aRejectedReloadRecordsItsErrorsAndTheNextDiffIsAgainstThePolicyStillInForce() throws Exception {
    String original = Files.readString(api.policyFile);
    Files.writeString(api.policyFile, original.replace("gambling: { default: unacceptable }",
        "gambling: { default: sometimes }"));
    assertThat(api.as(Role.TECHNICIAN).post("/api/v1/policy/reload", "").status()).isEqualTo(422);
    AuditRecord rejected = last("policy.reload_rejected");
    assertThat(rejected.after()).contains("sometimes");

    Files.writeString(api.policyFile, original.replace("games: { domains: [games.example] }",
        "games: { domains: [games.example, more-games.example] }"));
    assertThat(api.as(Role.TECHNICIAN).post("/api/v1/policy/reload", "").status()).isEqualTo(200);

    assertThat(last("policy.reloaded").reason()).isEqualTo("+1 -1 lines in policy.yaml; list entries 3 → 4");
  }

  private AuditRecord last(String type) {
    List<AuditRecord> records = api.store.audit().query(new AuditTrail.Query(null, null, null, type, 0, 100));
    assertThat(records).as(type).isNotEmpty();
    return records.get(records.size() - 1);
  }
}
