package org.schoolgate.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jsoup.Jsoup;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.schoolgate.admin.oidc.LoopbackProvider;
import org.schoolgate.admin.oidc.OidcSettings;
import org.schoolgate.store.AuditRecord;
import org.schoolgate.store.AuditTrail;
import org.schoolgate.store.Role;

/**
 * Console sign-in with the school's OpenID Connect provider, against a real provider on loopback:
 * a teacher whose local account has the same user name signs in and gets a console session; an
 * admin is still asked their second factor; a replayed callback, another domain, a person without
 * an account, a refused consent and an unreachable provider each get their page and are counted.
 */
class OidcSignInTest {
  private static final LoopbackProvider provider = new LoopbackProvider();
  @RegisterExtension static final AdminApi api = AdminApi.smallPolicy()
      .configure(c -> c.withOidc(provider.settings(OidcSettings.SecondFactor.REQUIRED)));

  @AfterAll
  static void stopProvider() {
    provider.close();
  }

  /** A browser: keeps cookies, follows no redirects (each hop is asserted). */
  private static HttpClient browser() {
    return HttpClient.newBuilder().cookieHandler(new CookieManager()).followRedirects(HttpClient.Redirect.NEVER)
        .build();
  }

  private static HttpResponse<String> get(HttpClient browser, URI uri) throws Exception {
    return browser.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
  }

  /** From the sign-in page's button to the provider and back: the callback's answer. */
  private static HttpResponse<String> signInAtProvider(HttpClient browser, String next) throws Exception {
    String page = get(browser, api.uri("/sign-in?next=" + URLEncoder.encode(next, StandardCharsets.UTF_8))).body();
    String start = Jsoup.parse(page).select("a#oidc-sign-in").attr("href");
    assertThat(start).as(page).startsWith("/oidc/start?for=console");
    HttpResponse<String> toProvider = get(browser, api.uri(start));
    assertThat(toProvider.statusCode()).isEqualTo(303);
    URI authorize = URI.create(toProvider.headers().firstValue("Location").orElseThrow());
    assertThat(authorize.toString()).startsWith(provider.issuer() + "/authorize").contains("code_challenge_method=S256")
        .contains("nonce=").contains("state=").contains("client_id=" + LoopbackProvider.CLIENT_ID);
    HttpResponse<String> back = get(browser, authorize);
    assertThat(back.statusCode()).as(back.body()).isEqualTo(302);
    URI callback = URI.create(back.headers().firstValue("Location").orElseThrow());
    assertThat(callback.getPath()).isEqualTo("/oidc/callback");
    return get(browser, callback);
  }

  @Test
  void aTeacherWithALocalAccountOfTheSameNameSignsInWithTheSchoolAccountAndIsAudited() throws Exception {
    api.createAccount("r.patel", Set.of(Role.TEACHER));
    provider.next("r.patel@school.example", List.of("Staff"), Map.of());
    HttpClient browser = browser();
    double before = signedIn();

    HttpResponse<String> done = signInAtProvider(browser, "/requests");

    assertThat(done.statusCode()).as(done.body()).isEqualTo(200);
    assertThat(Jsoup.parse(done.body()).select("meta[http-equiv=refresh]").attr("content")).isEqualTo("0;url=/requests");
    HttpResponse<String> requests = get(browser, api.uri("/requests"));
    assertThat(requests.statusCode()).isEqualTo(200);
    assertThat(requests.body()).contains("My requests");
    List<AuditRecord> logins = api.store.audit().query(AuditTrail.Query.all()).stream()
        .filter(r -> r.type().equals("login") && r.actor().equals("r.patel")).toList();
    assertThat(logins).hasSize(1);
    assertThat(logins.get(0).reason()).contains("OpenID Connect").contains("r.patel@school.example");
    assertThat(signedIn()).isEqualTo(before + 1);
  }

  private static double signedIn() {
    return api.registry.get("schoolgate.oidc.sign_ins").tags("purpose", "console", "outcome", "signed-in").counter()
        .count();
  }

  @Test
  void anAdminIsStillAskedTheirSecondFactorAfterTheProvider() throws Exception {
    provider.next("admin@school.example", List.of(), Map.of());

    HttpResponse<String> done = signInAtProvider(browser(), "/accounts");

    assertThat(done.statusCode()).isEqualTo(200);
    assertThat(Jsoup.parse(done.body()).select("a#continue").attr("href")).isEqualTo("/sign-in/code");
    assertThat(done.headers().allValues("Set-Cookie")).anyMatch(c -> c.startsWith("schoolgate_pending="))
        .noneMatch(c -> c.startsWith("schoolgate_session=") && !c.startsWith("schoolgate_session=;"));
  }

  @Test
  void aCallbackUsedTwiceIsRefusedTheSecondTime() throws Exception {
    api.createAccount("t.once", Set.of(Role.TEACHER));
    provider.next("t.once@school.example", List.of(), Map.of());
    HttpClient browser = browser();
    String start = "/oidc/start?for=console&next=/";
    URI authorize = URI.create(get(browser, api.uri(start)).headers().firstValue("Location").orElseThrow());
    URI callback = URI.create(get(browser, authorize).headers().firstValue("Location").orElseThrow());
    assertThat(get(browser, callback).statusCode()).isEqualTo(200);

    HttpResponse<String> again = get(browser, callback);

    assertThat(again.statusCode()).isEqualTo(400);
    assertThat(Jsoup.parse(again.body()).select("h1").text()).isEqualTo("Start signing in again");
    assertThat(again.body()).contains("already used");
  }

  @Test
  void anAccountOfAnotherDomainIsRefused() throws Exception {
    api.createAccount("m.jones", Set.of(Role.TEACHER));
    provider.next("m.jones@elsewhere.example", List.of(), Map.of());

    HttpResponse<String> done = signInAtProvider(browser(), "/");

    assertThat(done.statusCode()).isEqualTo(403);
    assertThat(done.body()).contains("m.jones@elsewhere.example is not an account of school.example");
    assertThat(done.headers().allValues("Set-Cookie")).noneMatch(c -> c.startsWith("schoolgate_session="));
    assertThat(api.registry.get("schoolgate.oidc.tokens.refused").tag("reason", "domain").counter().count())
        .isGreaterThanOrEqualTo(1.0);
  }

  @Test
  void aPersonWithoutALocalAccountIsRefusedAndNoAccountIsMade() throws Exception {
    provider.next("new.person@school.example", List.of("CN=Staff"), Map.of());

    HttpResponse<String> done = signInAtProvider(browser(), "/");

    assertThat(done.statusCode()).isEqualTo(403);
    assertThat(done.body()).contains("has no Schoolgate account named new.person");
    assertThat(api.store.accounts().byUsername("new.person")).isEmpty();
    assertThat(api.store.audit().query(AuditTrail.Query.all())).anyMatch(r -> r.type().equals("login.failed")
        && r.actor().equals("new.person") && r.reason().contains("no enabled account"));
  }

  @Test
  void refusingConsentAtTheProviderGetsItsOwnPage() throws Exception {
    HttpClient browser = browser();
    URI authorize = URI.create(get(browser, api.uri("/oidc/start?for=console&next=/")).headers()
        .firstValue("Location").orElseThrow());
    String state = authorize.getRawQuery().replaceAll(".*(?:^|&)state=([^&]+).*", "$1");

    HttpResponse<String> denied = get(browser, api.uri("/oidc/callback?error=access_denied&state=" + state));

    assertThat(denied.statusCode()).isEqualTo(403);
    assertThat(denied.body()).contains("You did not allow Schoolgate to use your school account");
  }

  @Test
  void aCallbackFromAnotherBrowserIsRefused() throws Exception {
    URI authorize = URI.create(get(browser(), api.uri("/oidc/start?for=console&next=/")).headers()
        .firstValue("Location").orElseThrow());
    URI callback = URI.create(get(browser(), authorize).headers().firstValue("Location").orElseThrow());

    HttpResponse<String> elsewhere = get(browser(), callback);

    assertThat(elsewhere.statusCode()).isEqualTo(400);
    assertThat(elsewhere.body()).contains("started in another browser");
  }
}
