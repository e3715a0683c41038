package org.schoolgate.deploy;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.schoolgate.admin.secondfactor.SecondFactor;
import org.schoolgate.policy.sample.SamplePolicy;
import org.schoolgate.policy.testing.Eventually;
import org.schoolgate.policy.testing.MutableClock;
import org.schoolgate.store.Actor;
import org.schoolgate.store.Alert;
import org.schoolgate.store.AlertStore;
import org.schoolgate.store.Role;

/**
 * The console in a real browser (Debian's headless Chromium through Selenium) against the real
 * proxy, admin server and SQLite database: each role signs in (the DSL enrols a second factor and
 * types its code) and walks its main path; axe-core finds no serious or critical accessibility
 * problem on any page visited; a role cannot open another's pages; a form without its CSRF token
 * changes nothing.
 */
class ConsoleBrowserTest {
  private static final String SITE = "www.bet365.com";
  /** A Monday morning in term time. */
  private static final Instant START = Instant.parse("2026-11-23T10:00:00Z");
  /** 127.0.0.1 is in the sample policy's ks3-4 subnet. */
  private static final String PUPIL = "127.0.0.1";
  private static final String REASON = "Year 10 maths: probability and the bookmaker's margin";

  @TempDir Path dataDir;
  private final MutableClock clock = new MutableClock(START);
  private WireMockServer origin;
  private Schoolgate schoolgate;
  private SchoolgateClient client;
  private Browser browser;
  private RuntimeConfig config;

  @BeforeEach
  void start() throws Exception {
    origin = new WireMockServer(options().bindAddress("127.0.0.1").port(0));
    origin.start();
    origin.stubFor(get(urlEqualTo("/odds")).willReturn(aResponse().withStatus(200).withBody("the odds page")));
    Path policy = SamplePolicy.extractTo(dataDir);
    config = RuntimeConfig.embedded(dataDir, policy)
        .withDns(new RuntimeConfig.DnsSettings(List.of(), Map.of(SITE, InetAddress.getByName("127.0.0.1"))))
        .withProxyPort(0).withAdminPort(0);
    schoolgate = Schoolgate.start(config, clock);
    client = new SchoolgateClient(schoolgate);
    Actor setup = new Actor(null, "test-setup", null);
    schoolgate.store().accounts().create("mrs.jones", "Mrs Jones", "correct horse battery".toCharArray(),
        EnumSet.of(Role.TEACHER), setup);
    schoolgate.store().accounts().create("tech.tom", "Tom (IT)", "staple battery horse".toCharArray(),
        EnumSet.of(Role.TECHNICIAN), setup);
    schoolgate.store().accounts().create("ms.dsl", "Ms Safe", "safeguarding first always".toCharArray(),
        EnumSet.of(Role.DSL), setup);
    schoolgate.store().accounts().create("mr.governor", "Mr Governor", "annual review of filtering".toCharArray(),
        EnumSet.of(Role.GOVERNOR), setup);
    browser = new Browser("http://127.0.0.1:" + schoolgate.admin().port());
  }

  @AfterEach
  void stop() throws Exception {
    try {
      if (browser != null) {
        browser.close();
      }
    } finally {
      if (schoolgate != null) {
        schoolgate.close();
      }
      origin.stop();
    }
  }

  @Test
  void aTeacherAsksFromTheBlockPageATechnicianApprovesAndThePupilGetsThroughTheProxy() throws Exception {
    String url = "http://" + SITE + ":" + origin.port() + "/odds";
    assertThat(client.fetch(PUPIL, url)).startsWith("HTTP/1.1 403");

    // the block page's "request access" link, opened by a teacher who is not signed in
    browser.open("/request-access?host=" + SITE + "&category=gambling&group=ks3-4");
    assertThat(browser.heading()).isEqualTo("Sign in");
    accessible();
    browser.signIn("mrs.jones", "correct horse battery");
    assertThat(browser.path()).startsWith("/requests/new?");
    assertThat(browser.find("#targetValue").getAttribute("value")).isEqualTo(SITE);
    assertThat(browser.find("#group-ks3-4").isSelected()).isTrue();
    assertThat(browser.text("#blocked-site")).contains("gambling");
    accessible();
    browser.type("#reason", REASON).click("#send-request");
    assertThat(browser.path()).isEqualTo("/requests");
    assertThat(browser.text("#flash-message")).contains("sent");
    assertThat(browser.text("#my-requests")).contains(SITE);
    accessible();
    browser.open("/");
    assertThat(browser.text("#home-mine")).contains(SITE);
    accessible();
    browser.open("/approvals");
    assertThat(browser.heading()).isEqualTo("You cannot open this page");
    browser.open("/people/timeline");
    assertThat(browser.heading()).isEqualTo("You cannot open this page");
    assertThat(client.fetch(PUPIL, url)).as("pending is not approved").startsWith("HTTP/1.1 403");

    browser.signOut().open("/approvals");
    browser.signIn("tech.tom", "staple battery horse");
    assertThat(browser.path()).isEqualTo("/approvals");
    assertThat(browser.text("main")).contains(SITE).contains(REASON).contains("mrs.jones");
    accessible();
    browser.find("input[name=note]").sendKeys("fine for one lesson");
    browser.click("button[id^=approve-]");
    assertThat(browser.text("#flash-message")).contains("Approved request").contains("in force now");

    assertThat(client.fetch(PUPIL, url)).as("the approved unblock lets the class in").startsWith("HTTP/1.1 200")
        .contains("the odds page");

    browser.open("/unblocks");
    assertThat(browser.text("main")).contains(SITE);
    accessible();
    // one matrix edit: shopping for ks3-4 becomes acceptable, with a reason, in force at once
    browser.open("/policy/matrix");
    browser.click("#row-shopping a[href$='group=ks3-4']");
    assertThat(browser.path()).isEqualTo("/policy/matrix/edit?category=shopping&group=ks3-4");
    accessible();
    browser.find("label[for=level-acceptable]").click();
    browser.type("#reason", "Year 11 business studies: comparing online shops").click("#save-cell");
    assertThat(browser.path()).isEqualTo("/policy/matrix#row-shopping");
    assertThat(browser.text("#flash-message")).contains("Changed shopping for ks3-4").contains("in force now");
    assertThat(browser.find("#row-shopping td:nth-of-type(2)").getAttribute("data-level")).as("ks3-4's cell")
        .isEqualTo("acceptable");
    accessible();
    browser.open("/lists/school");
    assertThat(browser.text("#list-school-blocked")).contains("blocked.schoolgate.test");
    accessible();
    for (String page : List.of("/policy/matrix", "/lists", "/health", "/why-blocked?url=" + url + "&group=ks2")) {
      browser.open(page);
      assertThat(browser.path()).startsWith(page.replaceAll("\\?.*", ""));
      assertThat(browser.heading()).isNotEqualTo("You cannot open this page");
      accessible();
    }
    browser.open("/alerts");
    assertThat(browser.heading()).isEqualTo("You cannot open this page");
  }

  @Test
  void theDslEnrolsASecondFactorAndOpensAnAlertAndItsIncident() throws Exception {
    assertThat(client.fetch(PUPIL, "http://extreme-pornography.schoolgate.test/a/page")).startsWith("HTTP/1.1 403");

    browser.open("/alerts");
    browser.signIn("ms.dsl", "safeguarding first always");
    assertThat(browser.path()).isEqualTo("/sign-in/enrol");
    accessible();
    String secret = browser.text("#secret").replace(" ", "");
    browser.type("#code", SecondFactor.currentCode(secret, clock.instant())).click("#enrol");
    assertThat(browser.all("#recovery-codes li")).hasSize(10);
    accessible();
    browser.click("#continue");
    assertThat(browser.path()).isEqualTo("/alerts");

    Eventually.within(Duration.ofSeconds(30), () -> {
      browser.open("/alerts");
      assertThat(browser.all("#alerts a[id$=-incident]")).isNotEmpty();
    });
    accessible();
    assertThat(browser.text("#alerts")).containsIgnoringCase("critical");
    browser.click("#alerts a[id$=-incident]");
    assertThat(browser.path()).startsWith("/incidents/");
    assertThat(browser.text("#incident-state")).isNotBlank();
    accessible();
    browser.type("#note", "Spoke to the form tutor; parents informed.").click("#add-note");
    assertThat(browser.text("#flash-message")).isNotBlank();
    assertThat(browser.text("main")).contains("Spoke to the form tutor");

    // the activity around the alert: the blocked page in the person's timeline (the view is audited)
    Eventually.within(Duration.ofSeconds(30), () -> {
      browser.open("/alerts?show=all");
      browser.click("#alerts a[id$=-timeline]");
      assertThat(browser.path()).startsWith("/people/timeline?alert=");
      assertThat(browser.text("#timeline")).contains("extreme-pornography.schoolgate.test").contains("Blocked");
    });
    assertThat(browser.text("#alert-moment")).isEqualTo("the alert");
    accessible();
    assertThat(schoolgate.store().audit().query(new org.schoolgate.store.AuditTrail.Query(null, null, null,
        "history.viewed", 0, 10))).isNotEmpty();

    // signing in again later: the password, then the code of the moment
    browser.signOut().open("/");
    clock.advance(Duration.ofMinutes(1));
    browser.signIn("ms.dsl", "safeguarding first always");
    assertThat(browser.path()).isEqualTo("/sign-in/code");
    browser.type("#code", "000000").click("button[type=submit]");
    assertThat(browser.path()).isEqualTo("/sign-in/code");
    browser.type("#code", SecondFactor.currentCode(secret, clock.instant())).click("button[type=submit]");
    assertThat(browser.path()).isEqualTo("/");
    assertThat(browser.all("nav a")).extracting(e -> e.getText()).contains("Alerts", "Incidents");
    accessible();
  }

  @Test
  void aGovernorSeesTheMatrixButNotAlertsAndAFormWithoutItsCsrfTokenChangesNothing() throws Exception {
    browser.open("/");
    browser.signIn("mr.governor", "annual review of filtering");
    browser.open("/policy/matrix");
    assertThat(browser.text("#matrix")).contains("gambling").containsIgnoringCase("unacceptable");
    accessible();
    for (String page : List.of("/alerts", "/approvals", "/people/timeline", "/health", "/requests/new")) {
      browser.open(page);
      assertThat(browser.heading()).as(page).isEqualTo("You cannot open this page");
    }
    accessible();
    // an incident exists, but the incident pages show a governor only incidents assigned to them: none
    assertThat(client.fetch(PUPIL, "http://extreme-pornography.schoolgate.test/a/page")).startsWith("HTTP/1.1 403");
    Eventually.within(Duration.ofSeconds(30), () -> assertThat(schoolgate.store().alerts()
        .list(new AlertStore.Query(Alert.Audience.DSL, false, 10))).isNotEmpty());
    browser.open("/reports");
    assertThat(browser.text("#blocked-table")).isNotBlank();
    Eventually.within(Duration.ofSeconds(10), () -> assertThat(browser.all(".sg-chart canvas")).isNotEmpty());
    accessible();
    browser.open("/evidence-pack");
    assertThat(browser.text("#evidence-matrix")).contains("gambling");
    assertThat(browser.text("#evidence-chain")).contains("Intact");
    assertThat(browser.find("#print").isDisplayed()).as("the print button, shown by the script").isTrue();
    accessible();
    browser.open("/incidents");
    assertThat(browser.all("#no-incidents")).hasSize(1);
    assertThat(browser.all("#incidents")).isEmpty();

    browser.signOut().open("/requests/new?host=" + SITE);
    browser.signIn("mrs.jones", "correct horse battery");
    browser.type("#reason", REASON);
    browser.script("document.querySelector('form[action=\"/requests\"] input[name=csrf]').remove();");
    browser.click("#send-request");
    assertThat(browser.heading()).isEqualTo("The form could not be accepted");
    assertThat(schoolgate.store().unblocks().list(org.schoolgate.store.UnblockStore.Query.all()).size()).isZero();
  }

  @Test
  void aTechnicianDryRunsAPolicyChangeAgainstLastWeeksTraffic() throws Exception {
    StringBuilder friday = new StringBuilder();
    for (int i = 0; i < 6; i++) {
      friday.append("{\"time\":\"").append(Instant.parse("2026-11-20T11:00:00Z").plusSeconds(i))
          .append("\",\"client\":\"10.20.0.5\",\"user\":\"sam\",\"group\":\"ks3-4\",\"method\":\"GET\","
              + "\"scheme\":\"https\",\"host\":\"www.bet365.com\",\"path\":\"/\",\"query\":null,"
              + "\"categories\":[\"gambling\"],\"action\":\"block\",\"level\":\"unacceptable\","
              + "\"rule\":\"matrix:gambling/ks3-4\",\"unblock\":null,\"status\":403,\"bytesIn\":100,"
              + "\"bytesOut\":2000,\"durationMs\":3}\n");
    }
    Files.writeString(config.accessLogDir().resolve(org.schoolgate.policy.accesslog.AccessLogFiles.jsonLines(
        java.time.LocalDate.of(2026, 11, 20))), friday);

    browser.open("/policy/dry-run");
    browser.signIn("tech.tom", "staple battery horse");
    assertThat(browser.heading()).isEqualTo("Policy dry-run");
    accessible();
    browser.script("var p = document.getElementById('policy');"
        + " p.value = p.value.replace('gambling: { default: unacceptable }', 'gambling: { default: acceptable }');");
    browser.click("#start-dry-run");
    assertThat(browser.path()).startsWith("/policy/dry-run/");
    Eventually.within(Duration.ofSeconds(60), () -> assertThat(browser.find("#dry-run-state").getAttribute("data-state"))
        .as("the page refreshes itself until the run ends").isEqualTo("done"));
    assertThat(browser.text("#blocked-to-allowed")).isEqualTo("6");
    assertThat(browser.text("#dry-run-changes")).contains("gambling").contains("https://www.bet365.com/");
    accessible();
  }

  private void accessible() {
    assertThat(browser.seriousAccessibilityProblems()).as("axe-core on " + browser.path()).isEmpty();
  }
}
