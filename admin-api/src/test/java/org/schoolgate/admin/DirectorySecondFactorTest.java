package org.schoolgate.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.CookieManager;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.schoolgate.admin.secondfactor.SecondFactor;
import org.schoolgate.store.AuditRecord;
import org.schoolgate.store.AuditTrail;
import org.schoolgate.store.Role;

/**
 * Console sign-in with the school directory's password, against a real in-process LDAP directory:
 * a DSL (a directory group gives the role) sets up the console's own second factor at her first
 * sign-in and gives its code at every later one (a wrong code refused), audited as for a local
 * account; a teacher is asked for no code; a teacher whom the directory adds to the safeguarding
 * group is asked to set one up from the sign-in that brings the role.
 */
class DirectorySecondFactorTest {
  private final StaffDirectory staff = new StaffDirectory();

  @RegisterExtension final AdminApi api = AdminApi.smallPolicy().directory(staff::start);

  @AfterEach
  void stopDirectory() {
    staff.stop();
  }

  /** A browser: keeps cookies, follows no redirects (each hop is asserted). */
  private final class Browser {
    private final HttpClient http = HttpClient.newBuilder().cookieHandler(new CookieManager())
        .followRedirects(HttpClient.Redirect.NEVER).build();
    private Document last;

    HttpResponse<String> get(String path) throws Exception {
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(api.uri(path)).build(),
          HttpResponse.BodyHandlers.ofString());
      last = Jsoup.parse(r.body());
      return r;
    }

    /** Posts the form on the page last opened, with its CSRF token and {@code fields} (name, value, ...). */
    HttpResponse<String> post(String path, String... fields) throws Exception {
      StringBuilder body = new StringBuilder("csrf=" + enc(last.select("input[name=csrf]").attr("value")));
      for (int i = 0; i < fields.length; i += 2) {
        body.append('&').append(fields[i]).append('=').append(enc(fields[i + 1]));
      }
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(api.uri(path))
          .header("Content-Type", "application/x-www-form-urlencoded")
          .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(), HttpResponse.BodyHandlers.ofString());
      last = Jsoup.parse(r.body());
      return r;
    }

    /** The password step: where the browser is sent next. */
    String signIn(String username, String password, String next) throws Exception {
      get("/sign-in?next=" + enc(next));
      HttpResponse<String> r = post("/sign-in", "username", username, "password", password, "next", next);
      assertThat(r.statusCode()).as(r.body()).isEqualTo(303);
      return r.headers().firstValue("Location").orElseThrow();
    }

    Document page() {
      return last;
    }
  }

  @Test
  void aDirectoryDslSetsUpTheSecondFactorAtHerFirstSignInAndGivesItsCodeAtTheNext() throws Exception {
    Browser first = new Browser();
    assertThat(first.signIn("a.khan", "aisha-pass-1", "/alerts")).isEqualTo("/sign-in/enrol");
    assertThat(first.get("/alerts").statusCode()).as("no session before the second factor").isEqualTo(303);
    assertThat(first.get("/sign-in/enrol").statusCode()).isEqualTo(200);
    String secret = first.page().select("#secret").text().replace(" ", "");
    assertThat(secret).hasSize(32);
    HttpResponse<String> enrolled = first.post("/sign-in/enrol", "code",
        SecondFactor.currentCode(secret, api.clock.instant()));
    assertThat(enrolled.statusCode()).as(enrolled.body()).isEqualTo(200);
    assertThat(first.page().select("h1").text()).isEqualTo("Your recovery codes");
    assertThat(first.get("/alerts").statusCode()).isEqualTo(200);

    api.clock.advance(Duration.ofMinutes(1));
    Browser next = new Browser();
    assertThat(next.signIn("a.khan", "aisha-pass-1", "/alerts")).isEqualTo("/sign-in/code");
    next.get("/sign-in/code");
    HttpResponse<String> wrong = next.post("/sign-in/code", "code", wrongCode(secret));
    assertThat(wrong.statusCode()).isEqualTo(401);
    assertThat(wrong.body()).contains("The code is wrong or was already used");
    assertThat(next.get("/alerts").statusCode()).isEqualTo(303);
    next.get("/sign-in/code");
    HttpResponse<String> right = next.post("/sign-in/code", "code", SecondFactor.currentCode(secret,
        api.clock.instant()));
    assertThat(right.statusCode()).isEqualTo(303);
    assertThat(right.headers().firstValue("Location")).hasValue("/alerts");
    assertThat(next.get("/alerts").statusCode()).isEqualTo(200);

    assertThat(audit("a.khan")).containsSubsequence("account.created", "login", "account.second_factor_enrolled",
        "login", "login.second_factor_failed", "login.second_factor");
  }

  @Test
  void aDirectoryTeacherIsAskedForNoCode() throws Exception {
    Browser browser = new Browser();

    assertThat(browser.signIn("t.jones", "tom-pass-1", "/requests")).isEqualTo("/requests");
    assertThat(browser.get("/requests").statusCode()).isEqualTo(200);
    assertThat(api.store.secondFactors().enrolment(api.store.accounts().byUsername("t.jones").orElseThrow().id()))
        .isEmpty();
  }

  @Test
  void aTeacherTheDirectoryMakesASafeguardingLeadIsAskedToSetUpTheSecondFactorFromThatSignIn() throws Exception {
    assertThat(new Browser().signIn("t.jones", "tom-pass-1", "/")).isEqualTo("/");
    staff.addToGroup("t.jones", "Safeguarding");
    staff.advance(StaffDirectory.CACHE_FOR.plusSeconds(1));

    Browser browser = new Browser();
    assertThat(browser.signIn("t.jones", "tom-pass-1", "/alerts")).isEqualTo("/sign-in/enrol");

    assertThat(api.store.accounts().byUsername("t.jones").orElseThrow().roles())
        .containsExactlyInAnyOrder(Role.TEACHER, Role.DSL);
    assertThat(browser.get("/alerts").statusCode()).isEqualTo(303);
    assertThat(audit("t.jones")).contains("account.roles_changed");
  }

  @Test
  void aWrongDirectoryPasswordIsRefusedAsForALocalAccount() throws Exception {
    Browser browser = new Browser();
    browser.get("/sign-in");

    HttpResponse<String> r = browser.post("/sign-in", "username", "a.khan", "password", "not-her-password", "next",
        "/");

    assertThat(r.statusCode()).isEqualTo(401);
    assertThat(r.body()).contains("The username or password is wrong.");
    assertThat(api.store.accounts().byUsername("a.khan")).isEmpty();
  }

  private List<String> audit(String user) {
    return api.store.audit().query(AuditTrail.Query.all()).stream()
        .filter(r -> r.actor().equals(user) || r.target().equals("account:" + user))
        .map(AuditRecord::type).toList();
  }

  /** A code the authenticator shows at none of the accepted steps (now, and 30 s either side). */
  private String wrongCode(String secret) {
    java.time.Instant now = api.clock.instant();
    List<String> accepted = List.of(SecondFactor.currentCode(secret, now.minusSeconds(30)),
        SecondFactor.currentCode(secret, now), SecondFactor.currentCode(secret, now.plusSeconds(30)));
    return java.util.stream.Stream.of("000000", "111111", "222222", "333333").filter(c -> !accepted.contains(c))
        .findFirst().orElseThrow();
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
