package org.schoolgate.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.schoolgate.admin.AdminApi.Reply;
import org.schoolgate.store.Role;

/**
 * The console's pages over a real admin server: the sign-in redirect, the CSP and other headers,
 * CSRF on form posts, role checks (the 403 page), escaping, the request form from the block
 * page's link, and a teacher's request approved by a technician through the pages.
 */
class ConsoleTest {
  @RegisterExtension static final AdminApi api = AdminApi.samplePolicy();
  private static final String REASON = "Year 9 history: WW1 propaganda posters for coursework";

  @Test
  void anAnonymousVisitorIsSentToSignInAndComesBackToThePageAfterwards() {
    Reply reply = api.page(null, "/approvals?x=1");

    assertThat(reply.status()).isEqualTo(303);
    assertThat(reply.header("Location")).isEqualTo("/sign-in?next=" + enc("/approvals?x=1"));
    Reply signIn = api.page(null, "/sign-in?next=" + enc("/approvals"));
    assertThat(signIn.status()).isEqualTo(200);
    Document page = Jsoup.parse(signIn.body());
    assertThat(page.select("form[action=/sign-in] input[name=csrf]").attr("value")).isNotBlank();
    assertThat(page.select("input[name=next]").attr("value")).isEqualTo("/approvals");
  }

  @Test
  void aNextThatPointsAtAnotherSiteIsIgnored() {
    Reply signIn = api.page(null, "/sign-in?next=" + enc("//evil.example/"));

    assertThat(Jsoup.parse(signIn.body()).select("input[name=next]").attr("value")).isEqualTo("/");
  }

  @Test
  void everyPageHasAStrictCspWithANonceAndNothingFromElsewhere() {
    Reply reply = api.page(Role.TECHNICIAN, "/");

    assertThat(reply.status()).isEqualTo(200);
    String csp = reply.header("Content-Security-Policy");
    assertThat(csp).contains("default-src 'none'").contains("script-src 'self' 'nonce-")
        .contains("frame-ancestors 'none'").contains("form-action 'self'").doesNotContain("unsafe-inline")
        .doesNotContain("unsafe-eval");
    String nonce = csp.replaceAll(".*'nonce-([^']+)'.*", "$1");
    Document page = Jsoup.parse(reply.body());
    assertThat(page.select("script")).isNotEmpty().allSatisfy(s -> assertThat(s.attr("nonce")).isEqualTo(nonce));
    assertThat(page.select("[src], link[href]")).allSatisfy(e -> {
      String url = e.hasAttr("src") ? e.attr("src") : e.attr("href");
      assertThat(url).startsWith("/assets/");
    });
    assertThat(reply.header("Cache-Control")).isEqualTo("no-store");
    assertThat(reply.header("X-Frame-Options")).isEqualTo("DENY");
    assertThat(reply.body()).doesNotContainIgnoringCase("GDS Transport").doesNotContain("govuk-crest");
  }

  @Test
  void assetsHaveHashedNamesAndLongCacheHeadersAndTheGovUkFontIsGone() {
    Document page = Jsoup.parse(api.page(Role.TECHNICIAN, "/").body());
    String css = page.select("link[rel=stylesheet]").first().attr("href");

    Reply asset = api.page(null, css);

    assertThat(css).matches("/assets/govuk-frontend\\.[0-9a-f]{12}\\.css");
    assertThat(asset.status()).isEqualTo(200);
    assertThat(asset.header("Cache-Control")).isEqualTo("public, max-age=31536000, immutable");
    assertThat(asset.header("Content-Type")).startsWith("text/css");
    assertThat(asset.body()).contains(".govuk-button").doesNotContain("GDS Transport")
        .doesNotContain("govuk-crest.svg");
    assertThat(api.page(null, "/assets/govuk-frontend.000000000000.css").status()).isEqualTo(404);
  }

  @Test
  void theNavigationShowsOnlyWhatTheRoleMayOpen() {
    Document teacher = Jsoup.parse(api.page(Role.TEACHER, "/").body());
    Document dsl = Jsoup.parse(api.page(Role.DSL, "/").body());

    assertThat(teacher.select("nav a").eachText()).contains("Request an unblock", "My requests")
        .doesNotContain("Approvals", "Alerts", "Incidents", "System health");
    assertThat(dsl.select("nav a").eachText()).contains("Alerts", "Incidents", "Approvals");
    assertThat(teacher.select("nav a[aria-current=page]").eachText()).containsExactly("Home");
  }

  @Test
  void aRoleCannotOpenAnotherRolesPages() {
    Reply alerts = api.page(Role.TEACHER, "/alerts");
    Reply approvals = api.page(Role.TEACHER, "/approvals");
    Reply timeline = api.page(Role.TEACHER, "/people/timeline");
    Reply health = api.page(Role.GOVERNOR, "/health");

    for (Reply r : new Reply[] {alerts, approvals, timeline, health}) {
      assertThat(r.status()).isEqualTo(403);
      assertThat(r.header("Content-Type")).startsWith("text/html");
      assertThat(Jsoup.parse(r.body()).select("h1").text()).isEqualTo("You cannot open this page");
    }
    assertThat(Jsoup.parse(alerts.body()).select("#error-message").text()).contains("dsl").contains("teacher");
  }

  @Test
  void theBlockPagesLinkLandsOnTheRequestFormFilledInAndEscaped() {
    String query = "url=" + enc("http://x.example/\"><script>alert(1)</script>") + "&host=x.example"
        + "&category=" + enc("<b>gambling</b>") + "&group=ks3-4";
    Reply link = api.page(null, "/request-access?" + query);
    assertThat(link.status()).isEqualTo(303);
    assertThat(link.header("Location")).isEqualTo("requests/new?" + query);

    Reply form = api.page(Role.TEACHER, "/requests/new?" + query);

    assertThat(form.status()).isEqualTo(200);
    assertThat(form.body()).doesNotContain("<script>alert(1)").doesNotContain("<b>gambling</b>")
        .contains("&lt;b&gt;gambling&lt;/b&gt;");
    Document page = Jsoup.parse(form.body());
    assertThat(page.select("#targetValue").attr("value")).isEqualTo("http://x.example/\"><script>alert(1)</script>");
    assertThat(page.select("#targetType option[selected]").attr("value")).isEqualTo("url");
    assertThat(page.select("#group-ks3-4").hasAttr("checked")).isTrue();
  }

  @Test
  void aFormPostWithoutItsCsrfTokenIsRefusedAndChangesNothing() {
    int before = api.as(Role.TEACHER).get("/api/v1/unblocks").json().get("unblocks").size();

    Reply missing = api.form(Role.TEACHER, "/requests", requestForm(null));
    Reply forged = api.form(Role.TEACHER, "/requests", requestForm("not-the-token"));
    Reply otherSession = api.form(Role.TEACHER, "/requests",
        requestForm(csrfOf(api.page(Role.TECHNICIAN, "/requests/new"))));

    for (Reply r : new Reply[] {missing, forged, otherSession}) {
      assertThat(r.status()).isEqualTo(403);
      assertThat(Jsoup.parse(r.body()).select("h1").text()).isEqualTo("The form could not be accepted");
    }
    assertThat(api.as(Role.TEACHER).get("/api/v1/unblocks").json().get("unblocks").size()).isEqualTo(before);
    assertThat(api.registry.get("schoolgate.console.csrf.refused").counter().count()).isGreaterThanOrEqualTo(3);
  }

  @Test
  void aTeacherRequestsThroughThePagesAndATechnicianApprovesWithAComment() {
    String csrf = csrfOf(api.page(Role.TEACHER, "/requests/new"));
    Reply sent = api.form(Role.TEACHER, "/requests", requestForm(csrf));
    assertThat(sent.status()).as(sent.body()).isEqualTo(303);
    assertThat(sent.header("Location")).isEqualTo("/requests");
    Document mine = Jsoup.parse(api.page(Role.TEACHER, "/requests").body());
    assertThat(mine.select("#my-requests").text()).contains("www.bet365.com");
    long id = api.as(Role.TEACHER).get("/api/v1/unblocks").json().get("unblocks").get(0).get("id").asLong();

    Document inbox = Jsoup.parse(api.page(Role.TECHNICIAN, "/approvals").body());
    assertThat(inbox.text()).contains("www.bet365.com").contains(REASON).contains("gambling");
    Reply approved = api.form(Role.TECHNICIAN, "/approvals/" + id + "/approve",
        "csrf=" + enc(csrfOf(api.page(Role.TECHNICIAN, "/approvals"))) + "&comment=" + enc("fine for a lesson"));

    assertThat(approved.status()).isEqualTo(303);
    assertThat(api.as(Role.TECHNICIAN).get("/api/v1/unblocks/" + id).json().get("status").asText())
        .isEqualTo("approved");
    assertThat(Jsoup.parse(api.page(Role.TECHNICIAN, "/unblocks").body()).text()).contains("www.bet365.com");
  }

  @Test
  void theApiIsUntouchedByTheConsole() {
    Reply me = api.as(Role.TEACHER).get("/api/v1/me");
    Reply form = api.send(HttpRequest.newBuilder(api.uri("/api/v1/unblocks"))
        .header("Authorization", "Bearer " + api.token(Role.TEACHER))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString("a=b")));

    assertThat(me.status()).isEqualTo(200);
    assertThat(me.header("Content-Type")).startsWith("application/json");
    assertThat(form.status()).isEqualTo(415);
  }

  @Test
  void theMatrixGridLabelsEveryLevelInWords() {
    Reply reply = api.page(Role.TECHNICIAN, "/policy/matrix");

    assertThat(reply.status()).isEqualTo(200);
    Document page = Jsoup.parse(reply.body());
    assertThat(page.select("table th[scope=col]").eachText()).contains("ks3-4");
    assertThat(page.select("td").eachText()).anySatisfy(t -> assertThat(t).containsIgnoringCase("unacceptable"));
    assertThat(api.as(Role.TECHNICIAN).get("/api/v1/policy/matrix").json().get("groups").toString())
        .contains("ks3-4");
  }

  private static String requestForm(String csrf) {
    return (csrf == null ? "" : "csrf=" + enc(csrf) + "&") + "targetType=domain&targetValue=www.bet365.com"
        + "&groups=ks3-4&duration=60&reason=" + enc(REASON);
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
