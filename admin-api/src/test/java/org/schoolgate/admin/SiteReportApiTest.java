package org.schoolgate.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.schoolgate.admin.AdminApi.Reply;
import org.schoolgate.store.AuditTrail;
import org.schoolgate.store.Role;

/**
 * Site reports through the real server and a real SQLite store: a pupil reports a block from the
 * block page without signing in and reads the outcome with the token; the technician's inbox has
 * the decision explained for the pupil's address at report time; teachers see only their own;
 * reports are audited and rate-limited per client address.
 */
class SiteReportApiTest {
  private static final String GAMBLING = "{\"kind\":\"wrongly-blocked\",\"url\":\"http://www.bet365.com/odds\","
      + "\"comment\":\"we are doing probability in maths\"}";

  @RegisterExtension final AdminApi api = AdminApi.samplePolicy();

  @Test
  void anAnonymousReportReachesTheTechnicianWithTheDecisionAndTheReporterReadsTheAnswerByToken() {
    Reply made = api.anonymous().post("/api/v1/report-site", GAMBLING);

    assertThat(made.status()).as(made.body()).isEqualTo(201);
    String token = made.json().get("token").asText();
    assertThat(token).hasSizeGreaterThanOrEqualTo(43); // 256 bits, base64url
    assertThat(made.json().get("outcome").asText()).isEqualTo("/report-site/outcome?token=" + token);
    JsonNode report = made.json().get("report");
    long id = report.get("id").asLong();
    assertThat(report.get("reporter").asText()).isEqualTo("anonymous");
    assertThat(report.get("status").asText()).isEqualTo("open");

    JsonNode inbox = api.as(Role.TECHNICIAN).get("/api/v1/site-reports?status=open").json().get("reports");
    assertThat(inbox).hasSize(1);
    JsonNode decision = inbox.get(0).get("decision");
    assertThat(decision.get("action").asText()).isEqualTo("block");
    assertThat(decision.get("categories").toString()).contains("gambling");
    assertThat(decision.get("client").asText()).isEqualTo("127.0.0.1");
    assertThat(inbox.get(0).get("comment").asText()).isEqualTo("we are doing probability in maths");
    assertThat(inbox.get(0).get("link").asText()).isEqualTo("/site-reports/" + id);
    assertThat(api.as(Role.TECHNICIAN).get("/api/v1/notifications").json().get("notifications").get(0)
        .get("kind").asText()).isEqualTo("site-reported");
    assertThat(api.as(Role.TEACHER).get("/api/v1/site-reports").json().get("reports")).isEmpty();
    assertThat(api.as(Role.TEACHER).post("/api/v1/site-reports/" + id + "/answer",
        "{\"status\":\"changed\",\"answer\":\"x\"}").status()).isEqualTo(403);

    Reply answered = api.as(Role.TECHNICIAN).post("/api/v1/site-reports/" + id + "/answer",
        "{\"status\":\"unchanged\",\"answer\":\"Betting sites stay blocked; use the maths department's simulator\"}");
    assertThat(answered.status()).as(answered.body()).isEqualTo(200);
    Reply outcome = api.anonymous().get("/api/v1/report-site/outcome?token=" + token);
    assertThat(outcome.status()).as(outcome.body()).isEqualTo(200);
    assertThat(outcome.json().get("status").asText()).isEqualTo("unchanged");
    assertThat(outcome.json().get("answer").asText()).startsWith("Betting sites stay blocked");
    assertThat(api.anonymous().get("/api/v1/report-site/outcome?token=" + "A".repeat(43)).status()).isEqualTo(404);
    assertThat(api.as(Role.TECHNICIAN).post("/api/v1/site-reports/" + id + "/answer",
        "{\"status\":\"changed\",\"answer\":\"again\"}").status()).isEqualTo(409);
    assertThat(api.store.audit().query(AuditTrail.Query.all())).extracting(r -> r.type())
        .contains("site.reported", "site.report_answered");
  }

  @Test
  void theBlockPagesLinkOpensAFormAndTheTokenLinkAPageWithTheAnswerAllEscaped() {
    Reply form = api.anonymous().get("/report-site?kind=wrongly-blocked&url=http%3A%2F%2Fx.example%2F%3Ca%3E&group=ks2");
    assertThat(form.status()).isEqualTo(200);
    assertThat(form.header("Content-Security-Policy")).contains("default-src 'none'");
    assertThat(form.body()).contains("Report a site", "value=\"http://x.example/&lt;a&gt;\"",
        "<option value=\"wrongly-blocked\" selected>").doesNotContain("<a>");

    String token = api.anonymous().post("/api/v1/report-site", GAMBLING).json().get("token").asText();
    Reply open = api.anonymous().get("/report-site/outcome?token=" + token);
    assertThat(open.status()).isEqualTo(200);
    assertThat(open.header("Referrer-Policy")).isEqualTo("no-referrer");
    assertThat(open.body()).contains("http://www.bet365.com/odds", "Not answered yet");
    long id = api.as(Role.TECHNICIAN).get("/api/v1/site-reports").json().get("reports").get(0).get("id").asLong();
    api.as(Role.TECHNICIAN).post("/api/v1/site-reports/" + id + "/answer",
        "{\"status\":\"changed\",\"answer\":\"Unblocked for <maths> until Friday\"}");
    assertThat(api.anonymous().get("/report-site/outcome?token=" + token).body())
        .contains("The IT team changed the filter.", "Unblocked for &lt;maths&gt; until Friday");
    assertThat(api.anonymous().get("/report-site/outcome?token=nonsense").body())
        .contains("There is no report with this link");
  }

  @Test
  void aSignedInReporterSeesTheirOwnAndBadInputSaysWhatIsWrong() {
    Reply made = api.as(Role.TEACHER).post("/api/v1/site-reports",
        "{\"kind\":\"wrongly-allowed\",\"url\":\"https://games.example/\"}");
    assertThat(made.status()).as(made.body()).isEqualTo(201);
    assertThat(made.json().get("token").isNull()).isTrue();
    assertThat(made.json().get("report").get("reporter").asText()).isEqualTo("teacher");
    assertThat(api.as(Role.TEACHER).get("/api/v1/site-reports").json().get("reports")).hasSize(1);

    Reply badKind = api.as(Role.TEACHER).post("/api/v1/site-reports", "{\"kind\":\"meh\",\"url\":\"https://a.example/\"}");
    assertThat(badKind.status()).isEqualTo(400);
    assertThat(badKind.json().get("message").asText()).contains("expected: wrongly-blocked or wrongly-allowed");
    assertThat(api.anonymous().post("/api/v1/report-site", "{\"kind\":\"wrongly-allowed\",\"url\":\"not a url\"}")
        .status()).isEqualTo(400);
  }

  @Test
  void oneAddressMayReportFiveTimesInTenMinutesThenWaits() {
    for (int i = 0; i < 5; i++) {
      assertThat(api.anonymous().post("/api/v1/report-site", GAMBLING).status()).isEqualTo(201);
    }
    Reply sixth = api.anonymous().post("/api/v1/report-site", GAMBLING);
    assertThat(sixth.status()).isEqualTo(429);
    assertThat(sixth.json().get("message").asText()).contains("more than 5 site reports from 127.0.0.1");

    api.clock.advance(Duration.ofMinutes(10));
    assertThat(api.anonymous().post("/api/v1/report-site", GAMBLING).status()).isEqualTo(201);
  }
}
