package org.schoolgate.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.LocalDate;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.schoolgate.admin.AdminApi.Reply;
import org.schoolgate.policy.accesslog.AccessLogFiles;
import org.schoolgate.store.Role;

/**
 * The console's pages over the reports, against a real admin server and a generated access log:
 * each page for the roles that may open it (and the 403 page for the others), the governors'
 * chart with its table and small counts suppressed, the printable evidence pack, the digest, a
 * person's timeline (audited; the bare form is not) and the policy dry run started, refused while
 * another runs (409), cancelled and finished through the pages.
 */
class ReportPagesTest {
  /** Dry runs wait here until a test lets them run, so a test sees one running. */
  private final HeldRuns held = new HeldRuns();
  @RegisterExtension final AdminApi api = AdminApi.samplePolicy().dryRunner(held);

  static final Instant MORNING = Instant.parse("2026-11-23T09:00:00Z");
  static final Instant FRIDAY = Instant.parse("2026-11-20T11:00:00Z");
  static final String MONDAY = "from=2026-11-23&to=2026-11-23";

  static final class HeldRuns implements Executor {
    private final ConcurrentLinkedQueue<Runnable> waiting = new ConcurrentLinkedQueue<>();

    @Override
    public void execute(Runnable run) {
      waiting.add(run);
    }

    /** Runs every waiting run on this thread, to its end. */
    void release() {
      for (Runnable r = waiting.poll(); r != null; r = waiting.poll()) {
        r.run();
      }
    }
  }

  @BeforeEach
  void writeLog() throws IOException {
    StringBuilder monday = new StringBuilder();
    for (int i = 0; i < 6; i++) {
      monday.append(line(MORNING.plusSeconds(i), "sam", "www.bet365.com", "/", null, "gambling", "block"));
    }
    for (int i = 0; i < 2; i++) {
      monday.append(line(MORNING.plusSeconds(60 + i), "ali", "adult.example", "/", null, "pornography", "block"));
    }
    monday.append(line(MORNING.plusSeconds(120), "sam", "www.google.com", "/search", "how to kill myself",
        "search-engines", "allow"));
    append(LocalDate.of(2026, 11, 23), monday);
    StringBuilder friday = new StringBuilder();
    for (int i = 0; i < 6; i++) {
      friday.append(line(FRIDAY.plusSeconds(i), "sam", "www.bet365.com", "/", null, "gambling", "block"));
    }
    append(LocalDate.of(2026, 11, 20), friday);
  }

  private void append(LocalDate day, CharSequence lines) throws IOException {
    Files.writeString(api.logs.resolve(AccessLogFiles.jsonLines(day)), lines, StandardCharsets.UTF_8,
        StandardOpenOption.CREATE, StandardOpenOption.APPEND);
  }

  static String line(Instant t, String user, String host, String path, String search, String category, String action) {
    ObjectNode n = AdminApi.JSON.createObjectNode();
    n.put("time", t.toString()).put("client", "10.20.0.5").put("user", user).put("group", "ks3-4")
        .put("method", "GET").put("scheme", "https").put("host", host).put("path", path);
    if (search == null) {
      n.putNull("query");
    } else {
      n.put("query", "q=" + URLEncoder.encode(search, StandardCharsets.UTF_8)).put("search", search);
    }
    n.putArray("categories").add(category);
    boolean blocked = action.equals("block");
    n.put("action", action).put("level", blocked ? "unacceptable" : "acceptable")
        .put("rule", "matrix:" + category + "/ks3-4").putNull("unblock").put("status", blocked ? 403 : 200)
        .put("bytesIn", 100).put("bytesOut", 2000).put("durationMs", 3);
    return n + "\n";
  }

  @Test
  void governorsSeeTheChartWithItsTableAndSmallCountsSuppressed() throws IOException {
    Reply reply = api.page(Role.GOVERNOR, "/reports?" + MONDAY + "&bucket=hour");

    assertThat(reply.status()).as(reply.body()).isEqualTo(200);
    Document page = Jsoup.parse(reply.body());
    assertThat(page.select("#blocked-total").text()).isEqualTo("8");
    assertThat(page.select("#by-category tr").eachText()).contains("gambling 6", "pornography fewer than 5");
    JsonNode chart = AdminApi.JSON.readTree(page.select("[data-chart]").attr("data-chart"));
    assertThat(chart.get("labels")).hasSize(24);
    assertThat(chart.get("series").findValuesAsText("label")).containsExactly("gambling", "pornography");
    JsonNode gambling = chart.get("series").get(0).get("values");
    assertThat(gambling.get(9).asLong()).as("the 09:00 bucket").isEqualTo(6);
    assertThat(chart.get("series").get(1).get("values").get(9).isNull()).as("2 blocks: suppressed").isTrue();
    assertThat(page.select("#blocked-table tbody tr").get(9).text()).contains("09:00").contains("6")
        .contains("fewer than 5");
    assertThat(page.select("#top-sites").text()).contains("www.bet365.com");
    assertThat(page.select("#audit-chain").text()).contains("Intact");
    assertThat(reply.body()).doesNotContain("sam").doesNotContain("10.20.0.5");
    assertThat(page.select("script[src]").eachAttr("src")).anySatisfy(s -> assertThat(s).contains("uplot"));

    Document dsl = Jsoup.parse(api.page(Role.DSL, "/reports?" + MONDAY).body());
    assertThat(dsl.select("#by-category tr").eachText()).contains("pornography 2");
    assertThat(api.page(Role.TECHNICIAN, "/reports").status()).isEqualTo(200);
    assertThat(forbidden(api.page(Role.TEACHER, "/reports"))).isTrue();
    Reply bad = api.page(Role.GOVERNOR, "/reports?from=2026-11-23");
    assertThat(bad.status()).isEqualTo(400);
    assertThat(Jsoup.parse(bad.body()).select("#error-message").text()).contains("from=2026-09-01");
  }

  @Test
  void theEvidencePackIsAPrintablePageWithItsDownloads() {
    Reply reply = api.page(Role.GOVERNOR, "/evidence-pack?" + MONDAY);

    assertThat(reply.status()).as(reply.body()).isEqualTo(200);
    Document page = Jsoup.parse(reply.body());
    assertThat(page.select("#evidence-matrix").text()).contains("gambling").containsIgnoringCase("unacceptable");
    assertThat(page.select("#evidence-chain").text()).contains("Intact");
    assertThat(page.select("#download-csv").attr("href")).isEqualTo("/api/v1/reports/evidence.csv?" + MONDAY);
    Reply csv = api.page(Role.GOVERNOR, page.select("#download-csv").attr("href"));
    assertThat(csv.status()).isEqualTo(200);
    assertThat(csv.header("Content-Disposition")).contains("schoolgate-evidence-2026-11-23-to-2026-11-23.csv");
    assertThat(page.select("#print[data-print]")).hasSize(1);
    String css = api.page(null, page.select("link[href*=console]").attr("href")).body();
    assertThat(css).contains("@media print").contains(".sg-no-print");
    assertThat(Jsoup.parse(api.page(Role.GOVERNOR, "/evidence-pack").body()).select("#evidence-period").text())
        .contains("to Monday 23 November 2026");

    assertThat(api.page(Role.DSL, "/evidence-pack").status()).isEqualTo(200);
    assertThat(forbidden(api.page(Role.TECHNICIAN, "/evidence-pack"))).isTrue();
    assertThat(forbidden(api.page(Role.TEACHER, "/evidence-pack"))).isTrue();
  }

  @Test
  void theWeeklyDigestIsAPageForTheDsl() {
    Reply reply = api.page(Role.DSL, "/digest?week=2026-11-18");

    assertThat(reply.status()).as(reply.body()).isEqualTo(200);
    Document page = Jsoup.parse(reply.body());
    assertThat(page.select("#digest-week").text()).startsWith("Monday 16 November 2026 to Sunday 22 November 2026");
    assertThat(page.select("#digest-blocked").text()).contains("ks3-4").contains("6");
    assertThat(page.select("#digest-ai-none").text()).isEqualTo("No requests to AI chat tools this week.");
    assertThat(page.select("#previous-week").attr("href")).isEqualTo("/digest?week=2026-11-09");
    assertThat(page.select("#next-week").attr("href")).isEqualTo("/digest?week=2026-11-23");
    assertThat(Jsoup.parse(api.page(Role.DSL, "/digest").body()).select("#digest-week").text())
        .startsWith("Monday 16 November 2026");
    assertThat(api.page(Role.SENIOR_LEADER, "/digest").status()).isEqualTo(200);
    assertThat(forbidden(api.page(Role.GOVERNOR, "/digest"))).isTrue();
    assertThat(forbidden(api.page(Role.TECHNICIAN, "/digest"))).isTrue();
    assertThat(api.page(Role.DSL, "/digest?week=last").status()).isEqualTo(400);
  }

  @Test
  void aTimelineIsShownAPageALineWithSearchesHighlightedAndEveryViewAudited() {
    Reply form = api.page(Role.DSL, "/people/timeline");
    assertThat(form.status()).isEqualTo(200);
    assertThat(Jsoup.parse(form.body()).select("#timeline")).isEmpty();
    assertThat(views()).as("the bare form shows nobody's activity").isZero();

    Reply reply = api.page(Role.DSL, "/people/timeline?user=sam&from=2026-11-23T08:30&to=2026-11-23T09:30");

    assertThat(reply.status()).as(reply.body()).isEqualTo(200);
    Document page = Jsoup.parse(reply.body());
    assertThat(page.select("h1").text()).isEqualTo("Activity of sam");
    assertThat(page.select("#timeline-summary").text()).contains("7 requests");
    assertThat(page.select("#timeline tbody tr").first().text()).contains("https://www.bet365.com/").contains("Blocked");
    assertThat(page.select("#timeline .sg-search").text()).contains("how to kill myself");
    assertThat(page.select("#timeline mark.sg-mark")).isNotEmpty();
    assertThat(page.select("#user").attr("value")).isEqualTo("sam");
    assertThat(views()).isEqualTo(1);

    assertThat(api.page(Role.SENIOR_LEADER, "/people/timeline?user=sam&from=2026-11-23T08:30&to=2026-11-23T09:30")
        .status()).isEqualTo(200);
    assertThat(views()).isEqualTo(2);
    for (Role role : new Role[] {Role.TEACHER, Role.TECHNICIAN, Role.GOVERNOR, Role.ADMIN}) {
      assertThat(forbidden(api.page(role, "/people/timeline?user=sam&from=2026-11-23T08:30&to=2026-11-23T09:30")))
          .as(role.apiName()).isTrue();
    }
    assertThat(views()).isEqualTo(2);
    Reply both = api.page(Role.DSL, "/people/timeline?user=sam&client=10.20.0.5");
    assertThat(both.status()).isEqualTo(400);
    assertThat(Jsoup.parse(both.body()).select("#error-message").text()).contains("exactly one");
  }

  private int views() {
    return api.as(Role.DSL).get("/api/v1/audit?type=history.").json().get("records").size();
  }

  @Test
  void aDryRunIsStartedRefusedWhileAnotherRunsCancelledAndFinishedThroughThePages() {
    Reply form = api.page(Role.TECHNICIAN, "/policy/dry-run");
    assertThat(form.status()).isEqualTo(200);
    String policy = Jsoup.parse(form.body()).select("#policy").first().wholeText();
    assertThat(policy).as("the form starts from the policy in force").contains("gambling: { default: unacceptable }");
    String csrf = csrfOf(form);

    Reply broken = api.form(Role.TECHNICIAN, "/policy/dry-run", "csrf=" + enc(csrf) + "&days=7&policy="
        + enc("version: 1\nmatrix: [\n"));
    assertThat(broken.status()).isEqualTo(400);
    Document refused = Jsoup.parse(broken.body());
    assertThat(refused.select("#dry-run-details li").first().text()).startsWith("candidate.yaml:");
    assertThat(refused.select("#policy").first().wholeText()).as("the text is kept").isEqualTo("version: 1\nmatrix: [\n");

    String candidate = policy.replace("gambling: { default: unacceptable }", "gambling: { default: acceptable }");
    Reply started = api.form(Role.TECHNICIAN, "/policy/dry-run", "csrf=" + enc(csrf) + "&days=7&policy="
        + enc(candidate));
    assertThat(started.status()).as(started.body()).isEqualTo(303);
    String first = started.header("Location");
    Document running = Jsoup.parse(api.page(Role.TECHNICIAN, first).body());
    assertThat(running.select("#dry-run-state").attr("data-state")).isEqualTo("running");
    assertThat(running.select("[data-refresh]")).hasSize(1);
    assertThat(running.select("#cancel-dry-run")).hasSize(1);

    Reply second = api.form(Role.SENIOR_LEADER, "/policy/dry-run", "csrf="
        + enc(csrfOf(api.page(Role.SENIOR_LEADER, "/policy/dry-run"))) + "&days=7&policy=" + enc(candidate));
    assertThat(second.status()).isEqualTo(409);
    assertThat(Jsoup.parse(second.body()).select("#dry-run-problem").text()).contains("already running");

    Reply cancel = api.form(Role.TECHNICIAN, first + "/cancel", "csrf=" + enc(csrf));
    assertThat(cancel.status()).isEqualTo(303);
    held.release();
    Document cancelled = Jsoup.parse(api.page(Role.TECHNICIAN, first).body());
    assertThat(cancelled.select("#dry-run-state").attr("data-state")).isEqualTo("cancelled");
    assertThat(cancelled.select("[data-refresh]")).isEmpty();

    Reply again = api.form(Role.TECHNICIAN, "/policy/dry-run", "csrf=" + enc(csrf) + "&days=7&policy="
        + enc(candidate));
    assertThat(again.status()).isEqualTo(303);
    held.release();
    Document done = Jsoup.parse(api.page(Role.TECHNICIAN, again.header("Location")).body());
    assertThat(done.select("#dry-run-state").attr("data-state")).isEqualTo("done");
    assertThat(done.select("#blocked-to-allowed").text()).as("Friday's 6 gambling blocks").isEqualTo("6");
    assertThat(done.select("#allowed-to-blocked").text()).isEqualTo("0");
    assertThat(done.select("#dry-run-changes tbody tr").first().text()).contains("gambling").contains("ks3-4")
        .contains("https://www.bet365.com/");
    assertThat(Jsoup.parse(api.page(Role.TECHNICIAN, "/policy/dry-run").body()).select("#dry-runs tbody tr"))
        .hasSize(2);

    for (Role role : new Role[] {Role.DSL, Role.GOVERNOR, Role.TEACHER}) {
      assertThat(forbidden(api.page(role, "/policy/dry-run"))).as(role.apiName()).isTrue();
    }
    assertThat(api.page(Role.TECHNICIAN, "/policy/dry-run/0000").status()).isEqualTo(404);
  }

  @Test
  void theNavigationOffersEachRoleItsReports() {
    assertThat(nav(Role.GOVERNOR)).contains("Reports", "Evidence pack").doesNotContain("Activity timeline",
        "Policy dry-run", "Weekly digest");
    assertThat(nav(Role.DSL)).contains("Reports", "Evidence pack", "Activity timeline", "Weekly digest")
        .doesNotContain("Policy dry-run");
    assertThat(nav(Role.TECHNICIAN)).contains("Reports", "Policy dry-run").doesNotContain("Evidence pack");
    assertThat(nav(Role.TEACHER)).doesNotContain("Reports", "Evidence pack", "Activity timeline", "Policy dry-run");
  }

  private java.util.List<String> nav(Role role) {
    return Jsoup.parse(api.page(role, "/").body()).select("nav a").eachText();
  }

  private static boolean forbidden(Reply r) {
    return r.status() == 403 && Jsoup.parse(r.body()).select("h1").text().equals("You cannot open this page");
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
