package org.schoolgate.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.schoolgate.admin.MyAccountTest.csrfOf;
import static org.schoolgate.admin.MyAccountTest.enc;

import java.net.http.HttpRequest;
import java.util.List;
import java.util.Set;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.schoolgate.admin.AdminApi.Reply;
import org.schoolgate.store.Account;
import org.schoolgate.store.AuditRecord;
import org.schoolgate.store.AuditTrail;
import org.schoolgate.store.Role;

/**
 * "Why is this blocked?" for the groups a teacher teaches: an admin sets them (API and accounts
 * page, checked against the policy, audited with before and after), a teacher's explain (API and
 * page) answers for those groups only and refuses others with 403, a teacher with none set is told
 * to ask an admin, and a technician still asks about any group. Each test gets a fresh database.
 */
class TaughtGroupsTest {
  @RegisterExtension final AdminApi api = AdminApi.samplePolicy();
  /** 10.10.x.x is ks2 in the sample policy, 10.20.x.x ks3-4. */
  private static final String KS2_PUPIL = "/api/v1/decide?client=10.10.4.2&url=http://www.bet365.com/";
  private static final String KS34_PUPIL = "/api/v1/decide?client=10.20.4.2&url=http://www.bet365.com/";

  @Test
  void anAdminSetsTheGroupsThroughTheApiCheckedAgainstThePolicyAndAudited() {
    Account mrsJones = api.createAccount("mrs.jones", Set.of(Role.TEACHER));
    String path = "/api/v1/accounts/" + mrsJones.id().value() + "/groups";

    Reply set = api.as(Role.ADMIN).put(path, "{\"groups\":[\"ks3-4\",\"ks2\"],\"reason\":\"timetable 2026\"}");
    Reply unknown = api.as(Role.ADMIN).put(path, "{\"groups\":[\"ks2\",\"year-7\"]}");
    Reply missing = api.as(Role.ADMIN).put(path, "{}");
    Reply byTeacher = api.as(Role.TEACHER).put(path, "{\"groups\":[\"staff\"]}");

    assertThat(set.status()).as(set.body()).isEqualTo(200);
    assertThat(set.json().get("groups")).extracting(n -> n.asText()).containsExactly("ks2", "ks3-4");
    assertThat(unknown.status()).isEqualTo(422);
    assertThat(unknown.code()).isEqualTo("unknown_group");
    assertThat(unknown.message()).contains("'year-7' is not a group").contains("ks2, ks3-4, staff, guests");
    assertThat(missing.status()).isEqualTo(400);
    assertThat(byTeacher.status()).isEqualTo(403);
    assertThat(api.as(Role.ADMIN).get(path).json().get("groups")).extracting(n -> n.asText())
        .containsExactly("ks2", "ks3-4");
    List<AuditRecord> changes = api.store.audit().query(new AuditTrail.Query(null, null, "admin",
        "account.groups_changed", 0, 10));
    assertThat(changes).singleElement().satisfies(r -> {
      assertThat(r.target()).isEqualTo("account:mrs.jones");
      assertThat(r.reason()).isEqualTo("timetable 2026");
      assertThat(r.before()).isEqualTo("{\"groups\":[]}");
      assertThat(r.after()).isEqualTo("{\"groups\":[\"ks2\",\"ks3-4\"]}");
    });
  }

  @Test
  void aTeachersExplainAnswersForTheirGroupsOnlyAndATechnicianForAny() {
    Account mrsJones = api.createAccount("mrs.jones", Set.of(Role.TEACHER));
    AdminApi.Client teacher = api.withToken(api.login("mrs.jones"));

    Reply none = teacher.get(KS2_PUPIL);
    assertThat(none.status()).isEqualTo(403);
    assertThat(none.code()).isEqualTo("no_taught_groups");
    assertThat(none.message()).contains("ask a Schoolgate admin");

    api.as(Role.ADMIN).put("/api/v1/accounts/" + mrsJones.id().value() + "/groups", "{\"groups\":[\"ks2\"]}");
    Reply mine = teacher.get(KS2_PUPIL);
    Reply other = teacher.get(KS34_PUPIL);
    Reply technician = api.as(Role.TECHNICIAN).get(KS34_PUPIL);

    assertThat(mine.status()).as(mine.body()).isEqualTo(200);
    assertThat(mine.json().get("group").asText()).isEqualTo("ks2");
    assertThat(other.status()).isEqualTo(403);
    assertThat(other.code()).isEqualTo("group_not_taught");
    assertThat(other.message()).contains("(ks2)").contains("group ks3-4");
    assertThat(technician.status()).isEqualTo(200);
    assertThat(technician.json().get("group").asText()).isEqualTo("ks3-4");
  }

  @Test
  void aTeachersWhyIsThisBlockedPageOffersOnlyTheirGroups() {
    Account mrsJones = api.createAccount("mrs.jones", Set.of(Role.TEACHER));
    String token = api.login("mrs.jones");

    Reply none = page(token, "/why-blocked");
    assertThat(none.status()).isEqualTo(403);
    assertThat(Jsoup.parse(none.body()).select("#no-groups").text()).contains("Ask a Schoolgate admin");
    assertThat(Jsoup.parse(none.body()).select("select#group")).isEmpty();

    // the admin sets them on the accounts page; an unknown group is refused there too
    String csrf = csrfOf(api.page(Role.ADMIN, "/accounts/" + mrsJones.id().value()));
    Reply unknown = api.form(Role.ADMIN, "/accounts/" + mrsJones.id().value() + "/groups", "csrf=" + enc(csrf)
        + "&groups=ks2&groups=year-7");
    assertThat(unknown.status()).isEqualTo(303);
    assertThat(unknown.header("Set-Cookie")).startsWith("schoolgate_flash=e").contains("year-7");
    Reply saved = api.form(Role.ADMIN, "/accounts/" + mrsJones.id().value() + "/groups", "csrf=" + enc(csrf)
        + "&groups=ks2&groups=staff&reason=" + enc("form tutor"));
    assertThat(saved.status()).isEqualTo(303);
    Document accountPage = Jsoup.parse(api.page(Role.ADMIN, "/accounts/" + mrsJones.id().value()).body());
    assertThat(accountPage.select("#taught-groups input[checked]").eachAttr("value")).containsExactly("ks2", "staff");

    Document form = Jsoup.parse(page(token, "/why-blocked").body());
    assertThat(form.select("select#group option").eachAttr("value")).containsExactly("ks2", "staff");
    Reply asked = page(token, "/why-blocked?url=" + enc("http://www.bet365.com/") + "&group=staff");
    assertThat(asked.status()).isEqualTo(200);
    assertThat(Jsoup.parse(asked.body()).select("#verdict").text()).contains("for staff");
    Reply refused = page(token, "/why-blocked?url=" + enc("http://www.bet365.com/") + "&group=ks3-4");
    assertThat(refused.status()).isEqualTo(403);
    assertThat(Jsoup.parse(refused.body()).select("#error-message").text()).contains("ks2, staff")
        .contains("group ks3-4");
    assertThat(Jsoup.parse(page(token, "/account").body()).select("#my-groups").text()).isEqualTo("ks2, staff");

    Document technician = Jsoup.parse(api.page(Role.TECHNICIAN, "/why-blocked").body());
    assertThat(technician.select("select#group option").eachAttr("value"))
        .containsExactly("ks2", "ks3-4", "staff", "guests");
  }

  private Reply page(String token, String path) {
    return api.send(HttpRequest.newBuilder(api.uri(path)).header("Cookie", "schoolgate_session=" + token));
  }
}
