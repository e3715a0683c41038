package org.schoolgate.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.schoolgate.admin.AdminApi.Reply;
import org.schoolgate.policy.Decision;
import org.schoolgate.policy.GroupId;
import org.schoolgate.policy.RequestFacts;
import org.schoolgate.policy.Rule;
import org.schoolgate.store.AuditRecord;
import org.schoolgate.store.AuditTrail;
import org.schoolgate.store.Role;

/**
 * The school's own lists edited through the API and the console: who may, what the list file
 * holds afterwards, the policy in force at once, the audit records, and the refusals (a bad entry,
 * no reason, an illegal site on the allow list, a duplicate).
 */
class SchoolListsTest {
  @RegisterExtension final AdminApi api = AdminApi.samplePolicy();

  private Path blockedFile() {
    return api.policyFile.getParent().resolve("lists/school/blocked.txt");
  }

  private Path allowedFile() {
    return api.policyFile.getParent().resolve("lists/school/allowed.txt");
  }

  private static String body(String entry, String reason) {
    return "{\"entry\":\"" + entry + "\",\"reason\":\"" + reason + "\"}";
  }

  @Test
  void onlyTechniciansChangeTheListsAndTechniciansAndAdminsReadThem() {
    Map<Role, int[]> expected = Map.of(
        Role.TECHNICIAN, new int[] {200, 201, 200},
        Role.ADMIN, new int[] {200, 403, 403},
        Role.TEACHER, new int[] {403, 403, 403},
        Role.DSL, new int[] {403, 403, 403},
        Role.SENIOR_LEADER, new int[] {403, 403, 403},
        Role.GOVERNOR, new int[] {403, 403, 403},
        Role.IDENTITY_SOURCE, new int[] {403, 403, 403});
    for (Role role : Role.values()) {
      AdminApi.Client c = api.as(role);
      int[] want = expected.get(role);
      assertThat(c.get("/api/v1/lists/school").status()).as(role + " reads").isEqualTo(want[0]);
      assertThat(c.post("/api/v1/lists/school/school-blocked/entries", body("role-" + role.apiName() + ".example",
          "testing access")).status()).as(role + " adds").isEqualTo(want[1]);
      assertThat(c.post("/api/v1/lists/school/school-blocked/entries/remove", body("role-" + role.apiName()
          + ".example", "testing access")).status()).as(role + " removes").isEqualTo(want[2]);
    }
    assertThat(api.anonymous().get("/api/v1/lists/school").status()).isEqualTo(401);
  }

  @Test
  void anAddedEntryIsWrittenToTheFileInForceAtOnceAndAuditedThenRemoved() throws Exception {
    assertThat(decide("www.games.example", "/play/1").rule()).isNotEqualTo(Rule.SCHOOL_BLOCK_LIST);
    Reply added = api.as(Role.TECHNICIAN).post("/api/v1/lists/school/school-blocked/entries",
        body("HTTPS://WWW.Games.Example/play/", "pupils play during lessons"));
    assertThat(added.status()).as(added.body()).isEqualTo(201);
    assertThat(added.json().get("entry").asText()).isEqualTo("www.games.example/play/");
    assertThat(added.json().get("entriesAfter").asInt()).isEqualTo(2);

    assertThat(Files.readAllLines(blockedFile())).last().isEqualTo(
        "www.games.example/play/  # added 2026-11-23 by technician: pupils play during lessons");
    assertThat(decide("www.games.example", "/play/1").rule()).isEqualTo(Rule.SCHOOL_BLOCK_LIST);
    assertThat(decide("www.games.example", "/maths").rule()).isNotEqualTo(Rule.SCHOOL_BLOCK_LIST);
    AuditRecord audit = last("list.entry_added");
    assertThat(audit.actor()).isEqualTo("technician");
    assertThat(audit.target()).isEqualTo("list:school-blocked");
    assertThat(audit.reason()).isEqualTo("pupils play during lessons");
    assertThat(AdminApi.JSON.readTree(audit.before()).toString())
        .isEqualTo("{\"file\":\"lists/school/blocked.txt\",\"entries\":1}");
    assertThat(AdminApi.JSON.readTree(audit.after()).toString())
        .isEqualTo("{\"file\":\"lists/school/blocked.txt\",\"entries\":2,\"change\":\"+www.games.example/play/\"}");
    assertThat(last("policy.reloaded").actor()).isEqualTo("technician");

    JsonNode lists = api.as(Role.TECHNICIAN).get("/api/v1/lists/school").json().get("lists");
    assertThat(lists.get(0).get("list").asText()).isEqualTo("school-blocked");
    assertThat(lists.get(0).get("entries").findValuesAsText("entry"))
        .containsExactly("blocked.schoolgate.test", "www.games.example/play/");

    Reply removed = api.as(Role.TECHNICIAN).post("/api/v1/lists/school/school-blocked/entries/remove",
        body("www.games.example/play/", "the lesson moved on"));
    assertThat(removed.status()).as(removed.body()).isEqualTo(200);
    assertThat(Files.readString(blockedFile())).doesNotContain("games.example").contains("blocked.schoolgate.test");
    assertThat(decide("www.games.example", "/play/1").rule()).isNotEqualTo(Rule.SCHOOL_BLOCK_LIST);
    assertThat(last("list.entry_removed").reason()).isEqualTo("the lesson moved on");
    assertThat(Files.list(blockedFile().getParent())).as("no temporary file left")
        .allSatisfy(p -> assertThat(p.getFileName().toString()).endsWith(".txt"));
  }

  @Test
  void refusalsSayWhatIsWrongAndChangeNothing() throws Exception {
    String blocked = Files.readString(blockedFile());
    String allowed = Files.readString(allowedFile());
    AdminApi.Client tech = api.as(Role.TECHNICIAN);

    Reply spaces = tech.post("/api/v1/lists/school/school-blocked/entries", body("exa mple.com", "x"));
    assertThat(spaces.status()).isEqualTo(400);
    assertThat(spaces.json().get("field").asText()).isEqualTo("entry");
    assertThat(spaces.json().get("message").asText()).contains("expected: e.g. example.com");
    Reply at = tech.post("/api/v1/lists/school/school-blocked/entries", body("pupil@example.com", "x"));
    assertThat(at.status()).isEqualTo(400);
    assertThat(at.json().get("message").asText()).contains("has an '@'");
    Reply noReason = tech.post("/api/v1/lists/school/school-blocked/entries", "{\"entry\":\"example.com\"}");
    assertThat(noReason.status()).isEqualTo(400);
    assertThat(noReason.json().get("field").asText()).isEqualTo("reason");
    Reply twice = tech.post("/api/v1/lists/school/school-blocked/entries", body("Blocked.SchoolGate.test", "again"));
    assertThat(twice.status()).isEqualTo(409);
    assertThat(twice.json().get("message").asText()).contains("already on school-blocked").contains("line 5");
    Reply unknown = tech.post("/api/v1/lists/school/gambling/entries", body("example.com", "x"));
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.json().get("message").asText()).contains("school-blocked, school-allowed");

    Reply illegal = tech.post("/api/v1/lists/school/school-allowed/entries",
        body("child-grooming.schoolgate.test", "a teacher asked"));
    assertThat(illegal.status()).isEqualTo(422);
    assertThat(illegal.json().get("code").asText()).isEqualTo("illegal_category");
    assertThat(illegal.json().get("message").asText()).contains("child-grooming").contains("unacceptable and illegal");
    Reply missing = tech.post("/api/v1/lists/school/school-allowed/entries/remove", body("not-there.example", "x"));
    assertThat(missing.status()).isEqualTo(404);

    assertThat(Files.readString(blockedFile())).isEqualTo(blocked);
    assertThat(Files.readString(allowedFile())).isEqualTo(allowed);
    assertThat(api.store.audit().query(new AuditTrail.Query(null, null, null, "list.", 0, 10))).isEmpty();
  }

  @Test
  void theConsolePageShowsTheListsAndATechnicianAddsAndRemovesThroughIt() throws Exception {
    Document page = Jsoup.parse(api.page(Role.TECHNICIAN, "/lists/school").body());
    assertThat(page.select("#list-school-allowed tr[data-entry]").eachAttr("data-entry"))
        .contains("ttrockstars.com", "internetmatters.org");
    String csrf = page.select("#add-school-blocked input[name=csrf]").attr("value");
    Reply add = api.form(Role.TECHNICIAN, "/lists/school/school-blocked/add", "csrf=" + enc(csrf)
        + "&entry=" + enc("poki.com") + "&reason=" + enc("distracting in lessons"));
    assertThat(add.status()).isEqualTo(303);
    assertThat(Files.readString(blockedFile())).contains("poki.com  # added 2026-11-23 by technician");
    Reply bad = api.form(Role.TECHNICIAN, "/lists/school/school-blocked/add", "csrf=" + enc(csrf)
        + "&entry=" + enc("poki .com") + "&reason=" + enc("x"));
    assertThat(bad.status()).isEqualTo(303);
    assertThat(bad.header("Set-Cookie")).as("the refusal, shown on the next page").startsWith("schoolgate_flash=e");
    Reply remove = api.form(Role.TECHNICIAN, "/lists/school/school-blocked/remove", "csrf=" + enc(csrf)
        + "&entry=" + enc("poki.com") + "&reason=" + enc("changed our mind"));
    assertThat(remove.status()).isEqualTo(303);
    assertThat(Files.readString(blockedFile())).doesNotContain("poki.com");
    Reply noCsrf = api.form(Role.TECHNICIAN, "/lists/school/school-blocked/add", "entry=" + enc("evil.example")
        + "&reason=x");
    assertThat(noCsrf.status()).isEqualTo(403);
    assertThat(Files.readString(blockedFile())).doesNotContain("evil.example");

    Document asAdmin = Jsoup.parse(api.page(Role.ADMIN, "/lists/school").body());
    assertThat(asAdmin.select("#list-school-blocked tr[data-entry]")).isNotEmpty();
    assertThat(asAdmin.select("form[action^=/lists/school]")).as("admins read, technicians change").isEmpty();
    assertThat(api.page(Role.TEACHER, "/lists/school").status()).isEqualTo(403);
    assertThat(api.form(Role.ADMIN, "/lists/school/school-blocked/add", "csrf=" + enc(csrf) + "&entry=x.example"
        + "&reason=x").status()).isEqualTo(403);
  }

  private Decision decide(String host, String path) {
    return api.holder.current().decide(new RequestFacts(new GroupId("ks3-4"), null, host, path,
        ZonedDateTime.of(2026, 11, 23, 10, 0, 0, 0, ZoneId.of("Europe/London")).toInstant()));
  }

  private AuditRecord last(String type) {
    List<AuditRecord> records = api.store.audit().query(new AuditTrail.Query(null, null, null, type, 0, 100));
    assertThat(records).as(type).isNotEmpty();
    return records.get(records.size() - 1);
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
