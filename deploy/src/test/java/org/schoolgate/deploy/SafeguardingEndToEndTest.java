package org.schoolgate.deploy;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetupTest;
import jakarta.mail.Message;
import jakarta.mail.internet.MimeMessage;
import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Map.Entry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.schoolgate.alerts.delivery.DeliveryConfig;
import org.schoolgate.alerts.delivery.Recipient;
import org.schoolgate.alerts.delivery.Route;
import org.schoolgate.alerts.delivery.SmtpSettings;
import org.schoolgate.alerts.delivery.WebhookSettings;
import org.schoolgate.policy.sample.SamplePolicy;
import org.schoolgate.policy.testing.Eventually;
import org.schoolgate.policy.testing.MutableClock;
import org.schoolgate.store.Actor;
import org.schoolgate.store.Alert;
import org.schoolgate.store.Role;

/**
 * Issue 5 end to end through the real proxy, alert engine, SQLite outbox, delivery worker, a
 * GreenMail mailbox, a WireMock webhook receiver and the admin API: a pupil's worrying search is
 * in the access log and in the DSL's mailbox within 5 seconds; six pornography attempts are one
 * email; a webhook that is down gets its alert when it comes back; the incident the search opened
 * is worked through the API with its role checks, and every view is audited.
 */
class SafeguardingEndToEndTest {
  /** A Monday morning in term time. */
  private static final Instant START = Instant.parse("2026-11-23T10:00:00Z");
  /** 127.0.0.1 is in the sample policy's ks3-4 subnet. */
  private static final String PUPIL = "127.0.0.1";
  private static final String DSL_MAILBOX = "dsl@school.example";
  private static final Duration FIVE_SECONDS = Duration.ofSeconds(5);

  @TempDir Path dataDir;
  private final MutableClock clock = new MutableClock(START);
  private final GreenMail mail = new GreenMail(ServerSetupTest.SMTP.dynamicPort());
  private WireMockServer origin;
  private WireMockServer hooks;
  private Schoolgate schoolgate;
  private SchoolgateClient client;
  private String dsl;
  private String teacher;

  @BeforeEach
  void start() throws Exception {
    mail.start();
    origin = new WireMockServer(options().bindAddress("127.0.0.1").port(0));
    origin.start();
    origin.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200).withBody("results")));
    hooks = new WireMockServer(options().bindAddress("127.0.0.1").port(0));
    hooks.start();
    hooks.stubFor(post(urlEqualTo("/it")).willReturn(aResponse().withStatus(204)));

    SmtpSettings smtp = SmtpSettings.relay("127.0.0.1", mail.getSmtp().getPort(), SmtpSettings.Security.OFF,
        "schoolgate@school.example");
    WebhookSettings it = new WebhookSettings("it-team", URI.create(hooks.baseUrl() + "/it"),
        WebhookSettings.Format.GENERIC, null);
    DeliveryConfig delivery = DeliveryConfig.of(smtp, List.of(it), List.of(
        new Route(Route.Match.audience(Alert.Audience.DSL), List.of(Recipient.parse("email:" + DSL_MAILBOX))),
        new Route(Route.Match.audience(Alert.Audience.TECHNICIANS), List.of(Recipient.parse("webhook:it-team")))));
    Path policy = SamplePolicy.extractTo(dataDir);
    InetAddress loopback = InetAddress.getByName("127.0.0.1");
    RuntimeConfig config = RuntimeConfig.embedded(dataDir, policy)
        // Google search is connected to forcesafesearch.google.com for pupils: both stand in here
        .withDns(new RuntimeConfig.DnsSettings(List.of(), Map.of("www.google.com", loopback,
            "forcesafesearch.google.com", loopback, "files.school.test", loopback)))
        .withSafeguarding(new SafeguardingSettings(delivery, Duration.ofHours(24), Duration.ofMinutes(30),
            new SafeguardingSettings.Digest(List.of(DSL_MAILBOX), DayOfWeek.MONDAY, LocalTime.of(7, 0))))
        .withProxyPort(0).withAdminPort(0);
    schoolgate = Schoolgate.start(config, clock);
    client = new SchoolgateClient(schoolgate);
    Actor setup = new Actor(null, "test-setup", null);
    schoolgate.store().accounts().create("ms.dsl", "Ms Safe", "safeguarding first always".toCharArray(),
        EnumSet.of(Role.DSL), setup);
    schoolgate.store().accounts().create("mr.form", "Mr Form", "form tutor every day".toCharArray(),
        EnumSet.of(Role.TEACHER), setup);
    dsl = client.login("ms.dsl", "safeguarding first always",
        TestAccounts.enrolSecondFactor(schoolgate, "ms.dsl", clock).get(0));
    teacher = client.login("mr.form", "form tutor every day");
  }

  @AfterEach
  void stop() {
    if (schoolgate != null) {
      schoolgate.close();
    }
    origin.stop();
    hooks.stop();
    mail.stop();
  }

  @Test
  void aPupilsSelfHarmSearchIsLoggedAndEmailedToTheDslWithinFiveSeconds() throws Exception {
    String url = "http://www.google.com:" + origin.port() + "/search?q=how+to+kill+myself";
    assertThat(client.fetch(PUPIL, url)).startsWith("HTTP/1.1 200");

    Eventually.within(FIVE_SECONDS, () -> assertThat(client.accessLog()).anySatisfy(line -> {
      assertThat(line.path("host").asText()).isEqualTo("www.google.com");
      assertThat(line.path("search").asText()).isEqualTo("how to kill myself");
    }));
    Eventually.within(FIVE_SECONDS, () -> assertThat(mail.getReceivedMessages()).hasSize(1));
    MimeMessage m = mail.getReceivedMessages()[0];
    assertThat(m.getRecipients(Message.RecipientType.TO)).extracting(Object::toString).containsExactly(DSL_MAILBOX);
    assertThat(m.getSubject()).contains("critical", "self-harm", "how to kill myself");
    String body = (String) m.getContent();
    assertThat(body).contains("how to kill myself", "127.0.0.1", "ks3-4", "self-harm", "Mon 23 Nov 2026 10:00");
  }

  @Test
  void sixPornographyAttemptsInTenMinutesAreOneEmail() throws Exception {
    for (int i = 0; i < 6; i++) {
      assertThat(client.fetch(PUPIL, "http://pornography.schoolgate.test/" + i)).startsWith("HTTP/1.1 403");
      clock.advance(Duration.ofMinutes(1));
    }
    // a later marker alert: once its email is in, everything before it was delivered or grouped
    assertThat(client.fetch(PUPIL, "http://extreme-pornography.schoolgate.test/")).startsWith("HTTP/1.1 403");
    Eventually.within(FIVE_SECONDS, () -> assertThat(subjects()).anySatisfy(s -> assertThat(s)
        .contains("Illegal content", "extreme-pornography.schoolgate.test")));
    assertThat(subjects()).filteredOn(s -> s.contains("blocked attempts at pornography")).singleElement()
        .satisfies(s -> assertThat(s).contains("[Schoolgate warning] 5 blocked attempts"));
  }

  @Test
  void aWebhookThatIsDownGetsTheAlertWhenItComesBack() throws Exception {
    hooks.resetAll();
    hooks.stubFor(post(urlEqualTo("/it")).inScenario("outage").whenScenarioStateIs(Scenario.STARTED)
        .willReturn(aResponse().withStatus(503)).willSetStateTo("back"));
    hooks.stubFor(post(urlEqualTo("/it")).inScenario("outage").whenScenarioStateIs("back")
        .willReturn(aResponse().withStatus(204)));

    // a DNS-over-HTTPS resolver: the filter-bypass category, a circumvention alert for technicians
    assertThat(client.fetch(PUPIL, "http://dns.google/dns-query")).startsWith("HTTP/1.1 403");
    Eventually.within(FIVE_SECONDS, () -> assertThat(hooks.findAll(postRequestedFor(urlEqualTo("/it")))).hasSize(1));
    // time moves on past the back-off (5 s, doubling) until the retry reaches the receiver, now back
    Eventually.within(FIVE_SECONDS, () -> {
      clock.advance(Duration.ofSeconds(6));
      assertThat(hooks.findAll(postRequestedFor(urlEqualTo("/it")))).hasSize(2);
    });
    List<LoggedRequest> tries = hooks.findAll(postRequestedFor(urlEqualTo("/it")));
    assertThat(tries.get(0).getHeader("Idempotency-Key")).isNotBlank()
        .isEqualTo(tries.get(1).getHeader("Idempotency-Key"));
    assertThat(tries.get(1).getBodyAsString()).contains("circumvention", "dns.google");
    assertThat(mail.getReceivedMessages()).isEmpty(); // technicians' alerts do not go to the DSL
  }

  @Test
  void aPupilsBlockedDownloadsReachTheTechniciansWebhookAtOnceForAScriptAndOnceTheyRepeat() throws Exception {
    // the sample policy blocks programs, installers and scripts for pupils, and alerts the
    // technicians at once for a script and for 3 blocked downloads within 10 minutes
    String files = "http://files.school.test:" + origin.port();
    assertThat(client.fetch(PUPIL, files + "/fix-wifi.ps1")).startsWith("HTTP/1.1 403");
    Eventually.within(FIVE_SECONDS, () -> assertThat(hooks.findAll(postRequestedFor(urlEqualTo("/it"))))
        .singleElement().satisfies(r -> assertThat(r.getBodyAsString())
            .contains("blocked-downloads", "Blocked download of a script", "files.school.test")));
    assertThat(client.accessLog()).anySatisfy(line -> {
      assertThat(line.path("path").asText()).isEqualTo("/fix-wifi.ps1");
      assertThat(line.path("rule").asText()).isEqualTo("download:script");
    });

    clock.advance(Duration.ofMinutes(1));
    assertThat(client.fetch(PUPIL, files + "/game-setup.exe")).startsWith("HTTP/1.1 403");
    clock.advance(Duration.ofMinutes(1));
    assertThat(client.fetch(PUPIL, files + "/proxy-tool.msi")).startsWith("HTTP/1.1 403");

    Eventually.within(FIVE_SECONDS, () -> assertThat(schoolgate.store().alerts().list(
        new org.schoolgate.store.AlertStore.Query(Alert.Audience.TECHNICIANS, false, 10)))
        .extracting(a -> a.content().subject()).anySatisfy(subject -> assertThat(subject)
            .startsWith("3 blocked downloads by client 127.0.0.1 (ks3-4) within 10 minutes")));
    assertThat(mail.getReceivedMessages()).isEmpty(); // the technicians' alert, not the DSL's
  }

  @Test
  void theIncidentASearchOpenedIsWorkedThroughTheApiWithRoleChecks() throws Exception {
    client.fetch(PUPIL, "http://www.google.com:" + origin.port() + "/search?q=how+to+kill+myself");
    Eventually.within(FIVE_SECONDS, () -> assertThat(
        client.call("GET", "/api/v1/incidents", dsl, null, 200).get("incidents")).hasSize(1));
    JsonNode incident = client.call("GET", "/api/v1/incidents", dsl, null, 200).get("incidents").get(0);
    long id = incident.get("id").asLong();
    assertThat(incident.get("kind").asText()).isEqualTo("search-self-harm");
    assertThat(incident.get("severity").asText()).isEqualTo("critical");
    assertThat(incident.get("state").asText()).isEqualTo("new");

    // a teacher sees nothing until it is assigned to them, and can never assign or close
    assertThat(client.call("GET", "/api/v1/incidents", teacher, null, 200).get("incidents")).isEmpty();
    client.call("GET", "/api/v1/incidents/" + id, teacher, null, 404);
    client.call("POST", "/api/v1/incidents/" + id + "/assign", teacher, Map.of("owner", "mr.form"), 403);

    client.call("POST", "/api/v1/incidents/" + id + "/assign", dsl, Map.of("owner", "mr.form"), 200);
    client.call("GET", "/api/v1/incidents/" + id, teacher, null, 200);
    client.call("POST", "/api/v1/incidents/" + id + "/notes", teacher,
        Map.of("text", "Spoke with the pupil at break; they were researching for English coursework."), 201);
    client.call("POST", "/api/v1/incidents/" + id + "/acknowledge", teacher, null, 403);

    client.call("POST", "/api/v1/incidents/" + id + "/acknowledge", dsl, null, 200);
    client.call("POST", "/api/v1/incidents/" + id + "/actions", dsl,
        Map.of("action", "parents-informed", "text", "Phoned mum after school"), 201);
    client.call("POST", "/api/v1/incidents/" + id + "/close", dsl,
        Map.of("outcome", "No risk found; pastoral follow-up booked"), 200);

    JsonNode done = client.call("GET", "/api/v1/incidents/" + id, dsl, null, 200);
    assertThat(done.get("incident").get("state").asText()).isEqualTo("closed");
    List<String> timeline = new ArrayList<>();
    done.get("timeline").forEach(e -> timeline.add(e.get("type").asText()));
    assertThat(timeline).contains("hit", "assigned", "note", "action", "state");
    List<String> audit = new ArrayList<>();
    client.call("GET", "/api/v1/audit?type=incident.&limit=100", dsl, null, 200).get("records")
        .forEach(r -> audit.add(r.get("type").asText() + " by " + r.get("actor").asText()));
    assertThat(audit).anySatisfy(a -> assertThat(a).startsWith("incident.viewed by").contains("mr.form"))
        .anySatisfy(a -> assertThat(a).startsWith("incident.listed by").contains("ms.dsl"))
        .anySatisfy(a -> assertThat(a).startsWith("incident.closed by").contains("ms.dsl"));
    JsonNode verify = client.call("GET", "/api/v1/audit/verify", dsl, null, 200);
    assertThat(verify.get("valid").asBoolean()).as(verify.toString()).isTrue();
  }

  @Test
  void theWeeklyDigestReachesTheDslOnMondayMorningWithTheWeeksIncidentsAndBlocks() throws Exception {
    client.fetch(PUPIL, "http://www.google.com:" + origin.port() + "/search?q=how+to+kill+myself");
    assertThat(client.fetch(PUPIL, "http://www.bet365.com/")).startsWith("HTTP/1.1 403");
    Eventually.within(FIVE_SECONDS, () -> assertThat(mail.getReceivedMessages()).hasSize(1)); // the alert
    assertThat(schoolgate.digest().runIfDue(clock.instant())).isEmpty(); // not Monday 07:00 yet

    clock.set(Instant.parse("2026-11-30T07:00:00Z")); // Europe/London is on UTC in November
    assertThat(schoolgate.digest().runIfDue(clock.instant())).isPresent();

    assertThat(mail.getReceivedMessages()).hasSize(2);
    MimeMessage digest = mail.getReceivedMessages()[1];
    assertThat(digest.getRecipients(Message.RecipientType.TO)).extracting(Object::toString)
        .containsExactly(DSL_MAILBOX);
    assertThat(digest.getSubject()).startsWith("Schoolgate safeguarding digest").contains("23 Nov");
    assertThat((String) digest.getContent()).contains("search-self-harm", "ks3-4", "gambling");
  }

  private List<String> subjects() throws Exception {
    List<String> out = new ArrayList<>();
    for (MimeMessage m : mail.getReceivedMessages()) {
      out.add(m.getSubject());
    }
    return out;
  }
}
