package org.schoolgate.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.schoolgate.admin.AdminApi.Reply;
import org.schoolgate.store.Account;
import org.schoolgate.store.AuditTrail;
import org.schoolgate.store.Role;

/**
 * Account management through the console as an admin: create an account, change its roles,
 * disable and enable it, set a password, reset a second factor (reason required, audited), with
 * the API's rules (not one's own account) and only for admins.
 */
class AccountPagesTest {
  @RegisterExtension final AdminApi api = AdminApi.samplePolicy();

  @Test
  void anAdminCreatesAnAccountChangesItsRolesDisablesAndEnablesIt() {
    String csrf = csrfOf(api.page(Role.ADMIN, "/accounts"));
    Reply created = api.form(Role.ADMIN, "/accounts", "csrf=" + enc(csrf) + "&username=j.smith&displayName="
        + enc("Jo Smith") + "&password=" + enc("a long first password") + "&roles=teacher");
    assertThat(created.status()).as(created.body()).isEqualTo(303);
    Account jo = api.store.accounts().byUsername("j.smith").orElseThrow();
    assertThat(created.header("Location")).isEqualTo("/accounts/" + jo.id().value());
    assertThat(jo.roles()).containsExactly(Role.TEACHER);
    Document list = Jsoup.parse(api.page(Role.ADMIN, "/accounts").body());
    assertThat(list.select("#account-j\\.smith").text()).contains("Jo Smith").contains("teacher").contains("Active");

    String page = "/accounts/" + jo.id().value();
    assertThat(api.form(Role.ADMIN, page + "/roles", "csrf=" + enc(csrf) + "&roles=teacher&roles=technician&reason="
        + enc("runs the IT club")).status()).isEqualTo(303);
    assertThat(api.form(Role.ADMIN, page + "/disable", "csrf=" + enc(csrf) + "&reason=" + enc("left the school"))
        .status()).isEqualTo(303);
    Document shown = Jsoup.parse(api.page(Role.ADMIN, page).body());
    assertThat(shown.select("#account-roles").text()).isEqualTo("teacher, technician");
    assertThat(shown.select("#account-state").text()).isEqualTo("Disabled");
    assertThat(api.anonymous().post("/api/v1/login", "{\"username\":\"j.smith\",\"password\":\"a long first password\"}")
        .status()).isNotEqualTo(200);
    assertThat(api.form(Role.ADMIN, page + "/enable", "csrf=" + enc(csrf)).status()).isEqualTo(303);
    assertThat(api.store.accounts().byId(jo.id()).orElseThrow().disabled()).isFalse();
    assertThat(api.store.audit().query(new AuditTrail.Query(null, null, null, "account.", 0, 500)))
        .extracting(r -> r.type()).contains("account.created", "account.disabled", "account.enabled");

    Reply taken = api.form(Role.ADMIN, "/accounts", "csrf=" + enc(csrf) + "&username=j.smith&displayName=x"
        + "&password=" + enc("a long first password") + "&roles=teacher");
    assertThat(taken.status()).isEqualTo(303);
    assertThat(taken.header("Set-Cookie")).as("the refusal, shown on the next page").startsWith("schoolgate_flash=e")
        .contains("j.smith");
  }

  @Test
  void aLostSecondFactorIsResetWithAReasonButNeverOnesOwn() {
    Account dsl = api.accounts.get(Role.DSL);
    Account admin = api.accounts.get(Role.ADMIN);
    String csrf = csrfOf(api.page(Role.ADMIN, "/accounts"));
    assertThat(Jsoup.parse(api.page(Role.ADMIN, "/accounts/" + dsl.id().value()).body())
        .select("#account-second-factor").text()).startsWith("set up");

    Reply noReason = api.form(Role.ADMIN, "/accounts/" + dsl.id().value() + "/second-factor-reset", "csrf=" + enc(csrf));
    assertThat(noReason.status()).isEqualTo(303);
    assertThat(api.secondFactorOf(dsl)).isTrue();
    Reply reset = api.form(Role.ADMIN, "/accounts/" + dsl.id().value() + "/second-factor-reset", "csrf=" + enc(csrf)
        + "&reason=" + enc("lost phone, checked in person"));
    assertThat(reset.status()).isEqualTo(303);
    assertThat(api.secondFactorOf(dsl)).isFalse();
    assertThat(Jsoup.parse(api.page(Role.ADMIN, "/accounts/" + dsl.id().value()).body())
        .select("#account-second-factor").text()).startsWith("not set up");
    assertThat(api.store.audit().query(new AuditTrail.Query(null, null, null, "account.second_factor_reset", 0,
        10))).singleElement().satisfies(r -> assertThat(r.reason()).contains("lost phone"));

    Document own = Jsoup.parse(api.page(Role.ADMIN, "/accounts/" + admin.id().value()).body());
    assertThat(own.select("#reset-second-factor")).isEmpty();
    assertThat(own.select("#disable-account")).isEmpty();
    api.form(Role.ADMIN, "/accounts/" + admin.id().value() + "/second-factor-reset", "csrf=" + enc(csrf)
        + "&reason=" + enc("testing"));
    api.form(Role.ADMIN, "/accounts/" + admin.id().value() + "/disable", "csrf=" + enc(csrf));
    assertThat(api.secondFactorOf(admin)).isTrue();
    assertThat(api.store.accounts().byId(admin.id()).orElseThrow().disabled()).isFalse();
  }

  @Test
  void onlyAdminsOpenTheAccountPages() {
    for (Role role : new Role[] {Role.TEACHER, Role.TECHNICIAN, Role.DSL, Role.SENIOR_LEADER, Role.GOVERNOR}) {
      Reply r = api.page(role, "/accounts");
      assertThat(r.status()).as(role.apiName()).isEqualTo(403);
      assertThat(Jsoup.parse(api.page(role, "/").body()).select("nav a").eachText()).doesNotContain("Accounts");
    }
    assertThat(Jsoup.parse(api.page(Role.ADMIN, "/").body()).select("nav a").eachText()).contains("Accounts");
    assertThat(api.page(Role.ADMIN, "/accounts/99999").status()).isEqualTo(404);
  }

  private static String csrfOf(Reply page) {
    String token = Jsoup.parse(page.body()).select("input[name=csrf]").attr("value");
    assertThat(token).as("a CSRF field on the page").isNotBlank();
    return token;
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
