package org.schoolgate.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.schoolgate.admin.AdminApi.Reply;
import org.schoolgate.policy.GroupId;
import org.schoolgate.policy.RequestFacts;
import org.schoolgate.store.AuditRecord;
import org.schoolgate.store.AuditTrail;
import org.schoolgate.store.Role;

/**
 * A matrix cell changed through the API and the console: who may (sensitive rows only the DSL and
 * senior leaders, illegal rows nobody), the policy file rewritten at that cell only (comments
 * kept), in force at once, audited with before/after, refusals that change nothing.
 */
class MatrixEditsTest {
  @RegisterExtension final AdminApi api = AdminApi.samplePolicy();

  private static final Instant TEN_AM = Instant.parse("2026-11-23T10:00:00Z");

  private static String level(String level, String reason) {
    return "{\"level\":\"" + level + "\",\"reason\":\"" + reason + "\"}";
  }

  @Test
  void whoMayChangeACellByRoleAndRow() {
    Map<Role, Integer> gambling = Map.of(Role.TECHNICIAN, 200, Role.DSL, 200, Role.SENIOR_LEADER, 200,
        Role.TEACHER, 403, Role.GOVERNOR, 403, Role.ADMIN, 403, Role.IDENTITY_SOURCE, 403);
    for (Role role : Role.values()) {
      assertThat(api.as(role).put("/api/v1/policy/matrix/gambling/staff", level(role == Role.DSL ? "unacceptable"
          : "acceptable", "staff training on odds")).status()).as(role.apiName()).isEqualTo(gambling.get(role));
    }
    Reply sensitive = api.as(Role.TECHNICIAN).put("/api/v1/policy/matrix/violence/staff",
        level("acceptable", "history lessons"));
    assertThat(sensitive.status()).isEqualTo(403);
    assertThat(sensitive.json().get("code").asText()).isEqualTo("sensitive_needs_dsl");
    assertThat(api.as(Role.DSL).put("/api/v1/policy/matrix/violence/staff", level("acceptable", "history lessons"))
        .status()).isEqualTo(200);
    for (Role role : List.of(Role.TECHNICIAN, Role.DSL, Role.SENIOR_LEADER)) {
      Reply illegal = api.as(role).put("/api/v1/policy/matrix/child-grooming/staff", level("unacceptable", "x"));
      assertThat(illegal.status()).as(role.apiName()).isEqualTo(403);
      assertThat(illegal.json().get("message").asText()).contains("unacceptable and illegal").contains("nobody");
    }
    Reply toIllegal = api.as(Role.DSL).put("/api/v1/policy/matrix/gambling/ks2", level("illegal", "x"));
    assertThat(toIllegal.status()).isEqualTo(422);
    assertThat(toIllegal.json().get("code").asText()).isEqualTo("illegal_is_a_row");
  }

  @Test
  void theFileChangesAtThatCellOnlyTheChangeIsInForceAndAudited() throws Exception {
    String before = Files.readString(api.policyFile);
    assertThat(blocked("ks3-4", "www.youtube.com")).isTrue();

    Reply r = api.as(Role.TECHNICIAN).put("/api/v1/policy/matrix/video-broadcasting/ks3-4",
        "{\"level\":\"at-times\",\"schedules\":[\"before-school\",\"lunch\"],\"reason\":\"Year 10 media studies\"}");
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    assertThat(r.json().get("before").asText()).isEqualTo("acceptable-at-certain-times at lunch, after-school");
    assertThat(Files.readString(api.policyFile)).isEqualTo(before.replace(
        "    staff: { at-times: [before-school, lunch, after-school] }\n",
        "    staff: { at-times: [before-school, lunch, after-school] }\n    ks3-4: { at-times: [before-school, lunch] }\n"));

    Reply open = api.as(Role.TECHNICIAN).put("/api/v1/policy/matrix/video-broadcasting/ks3-4",
        level("acceptable", "media studies all day"));
    assertThat(open.status()).as(open.body()).isEqualTo(200);
    assertThat(Files.readString(api.policyFile)).contains("    ks3-4: acceptable\n")
        .contains("# Seed row \"Use of video broadcasting e.g. Youtube\": Acceptable at certain times.");
    assertThat(blocked("ks3-4", "www.youtube.com")).isFalse();
    assertThat(blocked("ks2", "www.youtube.com")).isTrue();

    List<AuditRecord> records = api.store.audit().query(new AuditTrail.Query(null, null, null,
        "policy.matrix_changed", 0, 10));
    assertThat(records).hasSize(2);
    AuditRecord last = records.get(1);
    assertThat(last.actor()).isEqualTo("technician");
    assertThat(last.target()).isEqualTo("matrix:video-broadcasting/ks3-4");
    assertThat(last.reason()).isEqualTo("media studies all day");
    JsonNode after = AdminApi.JSON.readTree(last.after());
    assertThat(after.get("cell").asText()).isEqualTo("acceptable");
    assertThat(AdminApi.JSON.readTree(last.before()).get("cell").asText())
        .isEqualTo("acceptable-at-certain-times at before-school, lunch");
  }

  @Test
  void refusalsChangeNothing() throws Exception {
    String before = Files.readString(api.policyFile);
    AdminApi.Client tech = api.as(Role.TECHNICIAN);
    assertThat(tech.put("/api/v1/policy/matrix/gambling/staff", "{\"level\":\"acceptable\"}").json()
        .get("field").asText()).isEqualTo("reason");
    assertThat(tech.put("/api/v1/policy/matrix/gambling/staff", "{\"level\":\"at-times\",\"reason\":\"x\"}").json()
        .get("message").asText()).contains("lunch");
    assertThat(tech.put("/api/v1/policy/matrix/gambling/staff",
        "{\"level\":\"at-times\",\"schedules\":[\"break\"],\"reason\":\"x\"}").status()).isEqualTo(400);
    assertThat(tech.put("/api/v1/policy/matrix/gambling/staff", level("sometimes", "x")).status()).isEqualTo(400);
    assertThat(tech.put("/api/v1/policy/matrix/gambling/year7", level("acceptable", "x")).status()).isEqualTo(404);
    assertThat(tech.put("/api/v1/policy/matrix/school-blocked/staff", level("acceptable", "x")).status())
        .isEqualTo(404);
    assertThat(Files.readString(api.policyFile)).isEqualTo(before);
    assertThat(api.store.audit().query(new AuditTrail.Query(null, null, null, "policy.", 0, 10))).isEmpty();
  }

  @Test
  void theConsoleOffersOnlyWhatTheViewerMayChangeAndSavesWithAReason() throws Exception {
    Document asTech = Jsoup.parse(api.page(Role.TECHNICIAN, "/policy/matrix").body());
    assertThat(asTech.select("#row-gambling a[href^=/policy/matrix/edit]")).isNotEmpty();
    assertThat(asTech.select("#row-violence a[href^=/policy/matrix/edit]")).as("sensitive: DSL").isEmpty();
    assertThat(asTech.select("#row-child-grooming a[href^=/policy/matrix/edit]")).as("illegal: nobody").isEmpty();
    assertThat(Jsoup.parse(api.page(Role.DSL, "/policy/matrix").body())
        .select("#row-violence a[href^=/policy/matrix/edit]")).isNotEmpty();
    assertThat(Jsoup.parse(api.page(Role.GOVERNOR, "/policy/matrix").body())
        .select("a[href^=/policy/matrix/edit]")).isEmpty();

    Document form = Jsoup.parse(api.page(Role.TECHNICIAN, "/policy/matrix/edit?category=gambling&group=staff").body());
    assertThat(form.select("input[name=level]").eachAttr("value"))
        .containsExactly("acceptable", "at-times", "nominated", "unacceptable");
    assertThat(form.select("#dry-run-cell")).isNotEmpty();
    Document illegal = Jsoup.parse(api.page(Role.DSL, "/policy/matrix/edit?category=child-grooming&group=staff")
        .body());
    assertThat(illegal.select("#cell-form")).isEmpty();
    assertThat(illegal.select("#refusal").text()).contains("unacceptable and illegal");

    String csrf = form.select("#cell-form input[name=csrf]").attr("value");
    Reply saved = api.form(Role.TECHNICIAN, "/policy/matrix/edit", "csrf=" + enc(csrf)
        + "&category=gambling&group=staff&level=nominated&users=" + enc("j.smith, a.khan") + "&reason="
        + enc("finance office checks the lottery"));
    assertThat(saved.status()).isEqualTo(303);
    assertThat(Files.readString(api.policyFile))
        .as("names written sorted, whatever order the form gave")
        .contains("gambling: { default: unacceptable, staff: { nominated: { users: [a.khan, j.smith] } } }");
    Reply dryRun = api.form(Role.TECHNICIAN, "/policy/matrix/dry-run", "csrf=" + enc(csrf)
        + "&category=gambling&group=ks2&level=acceptable&reason=x");
    assertThat(dryRun.status()).isEqualTo(303);
    assertThat(dryRun.header("Location")).startsWith("/policy/dry-run/");
    assertThat(Files.readString(api.policyFile)).as("a dry run changes nothing").contains("gambling: { default:"
        + " unacceptable, staff:");
  }

  @Test
  void aCellNominatesDirectoryGroupsWrittenSortedAndQuotedAndInForce() throws Exception {
    String before = Files.readString(api.policyFile);
    String finance = "CN=Finance Office,OU=Staff,DC=school,DC=example";
    assertThat(gamblingBlockedFor("b.jones", finance)).as("blocked before").isTrue();
    Reply bad = api.as(Role.TECHNICIAN).put("/api/v1/policy/matrix/gambling/staff", "{\"level\":\"nominated\","
        + "\"directoryGroups\":[\"CN=Year10,OU\"],\"reason\":\"x\"}");
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.json().get("field").asText()).isEqualTo("directoryGroups");
    assertThat(bad.json().get("message").asText()).contains("CN=Year10,OU");
    assertThat(Files.readString(api.policyFile)).isEqualTo(before);

    Reply r = api.as(Role.TECHNICIAN).put("/api/v1/policy/matrix/gambling/staff", "{\"level\":\"nominated\","
        + "\"users\":[\"j.smith\"],\"directoryGroups\":[\"media-club\",\"" + finance + "\"],"
        + "\"reason\":\"finance office checks the lottery\"}");

    assertThat(r.status()).as(r.body()).isEqualTo(200);
    assertThat(r.json().get("after").asText()).contains("directory group media-club")
        .contains("directory group " + finance);
    assertThat(Files.readString(api.policyFile)).as("sorted, quoted, that row only, comments kept")
        .isEqualTo(before.replace("  gambling: { default: unacceptable }\n", "  gambling: { default: unacceptable,"
            + " staff: { nominated: { users: [j.smith], directory-groups: [\"" + finance + "\", \"media-club\"] } } }\n"));
    assertThat(gamblingBlockedFor("b.jones", finance)).as("a member of the directory group").isFalse();
    assertThat(gamblingBlockedFor("b.jones", "CN=Kitchen,OU=Staff,DC=school,DC=example")).as("not a member").isTrue();

    Document form = Jsoup.parse(api.page(Role.TECHNICIAN, "/policy/matrix/edit?category=gambling&group=ks3-4")
        .body());
    assertThat(form.select("textarea#directoryGroups")).hasSize(1);
    Reply saved = api.form(Role.TECHNICIAN, "/policy/matrix/edit", "csrf=" + enc(form.select("#cell-form"
        + " input[name=csrf]").attr("value")) + "&category=gambling&group=ks3-4&level=nominated&directoryGroups="
        + enc("Year11\r\nCN=Maths \"Set 1\",OU=Pupils,DC=school,DC=example\r\n") + "&reason=" + enc("probability"));
    assertThat(saved.status()).isEqualTo(303);
    assertThat(Files.readString(api.policyFile)).contains("ks3-4: { nominated: { directory-groups:"
        + " [\"CN=Maths \\\"Set 1\\\",OU=Pupils,DC=school,DC=example\", \"Year11\"] } }");
    assertThat(api.holder.compiled().config().matrix().stream().filter(row -> row.category().value()
        .equals("gambling")).findFirst().orElseThrow().cellFor(new GroupId("ks3-4")).nominatedDirectoryGroups())
        .as("read back as written").containsExactlyInAnyOrder("Year11", "CN=Maths \"Set 1\",OU=Pupils,DC=school,DC=example");

    // the form opens with what the cell holds, so saving another reason or level keeps the nominees
    Document staffForm = Jsoup.parse(api.page(Role.TECHNICIAN, "/policy/matrix/edit?category=gambling&group=staff")
        .body());
    assertThat(staffForm.select("input#level-nominated").hasAttr("checked")).isTrue();
    assertThat(staffForm.select("input#users").attr("value")).isEqualTo("j.smith");
    assertThat(staffForm.select("textarea#directoryGroups").first().wholeText()).isEqualTo(finance + "\nmedia-club");
    assertThat(staffForm.select("input[name=groups][checked]")).isEmpty();
    Reply again = api.form(Role.TECHNICIAN, "/policy/matrix/edit", "csrf=" + enc(staffForm.select("#cell-form"
        + " input[name=csrf]").attr("value")) + "&category=gambling&group=staff&level=nominated&users="
        + enc(staffForm.select("input#users").attr("value")) + "&directoryGroups="
        + enc(staffForm.select("textarea#directoryGroups").first().wholeText()) + "&reason=" + enc("same people"));
    assertThat(again.status()).isEqualTo(303);
    assertThat(gamblingBlockedFor("b.jones", finance)).as("the resubmitted form kept the directory group").isFalse();
  }

  /** True when the proxy would block a staff member in {@code directoryGroup} from a gambling site. */
  private boolean gamblingBlockedFor(String user, String directoryGroup) throws Exception {
    java.net.InetAddress client = java.net.InetAddress.getByName("10.30.0.9");
    org.schoolgate.policy.Identification.Identified who = (org.schoolgate.policy.Identification.Identified)
        api.holder.current().identify(client, user, List.of(directoryGroup));
    return api.holder.current().decide(new RequestFacts(who.group(), who.user(), "www.bet365.com", "/", TEN_AM,
        client, who.person())).blocked();
  }

  private boolean blocked(String group, String host) {
    return api.holder.current().decide(new RequestFacts(new GroupId(group), null, host, "/", TEN_AM)).blocked();
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
