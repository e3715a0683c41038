package org.schoolgate.alerts.delivery;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.ok;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.schoolgate.policy.testing.Eventually;
import org.schoolgate.store.Alert;
import org.schoolgate.store.Delivery;

/** Alerts to JSON webhooks on a real WireMock receiver on loopback. */
class WebhookDeliveryTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static WireMockServer receiver;

  @TempDir Path dir;
  private Outbox outbox;

  @BeforeAll
  static void startReceiver() {
    receiver = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
    receiver.start();
  }

  @AfterAll
  static void stopReceiver() {
    receiver.stop();
  }

  @BeforeEach
  void open() {
    receiver.resetAll();
    outbox = new Outbox(dir);
  }

  @AfterEach
  void close() {
    outbox.close();
  }

  private static WebhookSettings hook(String name, WebhookSettings.Format format) {
    return new WebhookSettings(name, URI.create("http://127.0.0.1:" + receiver.port() + "/hooks/" + name), format,
        Duration.ofSeconds(5));
  }

  private static DeliveryConfig config(WebhookSettings... hooks) {
    List<Recipient> to = java.util.Arrays.stream(hooks).map(h -> Recipient.parse("webhook:" + h.name())).toList();
    return DeliveryConfig.of(null, List.of(hooks), List.of(new Route(Route.Match.any(), to)))
        .withAdminUrl(URI.create("https://admin.school.org"));
  }

  @Test
  void aReceiverAnswering503IsRetriedAndTheAlertDeliveredWhenItComesBackWithTheSameIdempotencyKey()
      throws Exception {
    receiver.stubFor(post(urlEqualTo("/hooks/dsl")).inScenario("outage").whenScenarioStateIs(Scenario.STARTED)
        .willReturn(aResponse().withStatus(503).withBody("maintenance")).willSetStateTo("back"));
    receiver.stubFor(post(urlEqualTo("/hooks/dsl")).inScenario("outage").whenScenarioStateIs("back")
        .willReturn(ok()));
    outbox.start(config(hook("dsl", WebhookSettings.Format.GENERIC)));

    Alert alert = outbox.critical("pupil.sam", "illegal-category:sam:7");
    Eventually.within(WAIT, () -> assertThat(outbox.only(alert).lastError())
        .isEqualTo("webhook dsl answered HTTP 503: maintenance"));
    assertThat(outbox.only(alert).state()).isEqualTo(Delivery.State.PENDING);

    outbox.clock.advance(Duration.ofSeconds(5));
    outbox.worker.wake();

    Eventually.within(WAIT, () -> assertThat(outbox.only(alert).state()).isEqualTo(Delivery.State.SENT));
    List<LoggedRequest> requests = receiver.findAll(postRequestedFor(urlEqualTo("/hooks/dsl")));
    assertThat(requests).hasSize(2).allSatisfy(r -> {
      assertThat(r.getHeader("Idempotency-Key")).isEqualTo("illegal-category:sam:7");
      assertThat(r.getHeader("Content-Type")).startsWith("application/json");
    });
    assertThat(requests.get(0).getBodyAsString()).isEqualTo(requests.get(1).getBodyAsString());
    Eventually.within(WAIT, () -> assertThat(outbox.count(DeliveryMetrics.RETRIED, "webhook")).isEqualTo(1));
    Eventually.within(WAIT, () -> assertThat(outbox.count(DeliveryMetrics.SENT, "webhook")).isEqualTo(1));
  }

  @Test
  void eachFormatCarriesTheAlertInTheShapeItsReceiverExpects() throws Exception {
    receiver.stubFor(post(com.github.tomakehurst.wiremock.client.WireMock.urlMatching("/hooks/.*")).willReturn(ok()));
    outbox.start(config(hook("teams", WebhookSettings.Format.TEAMS), hook("slack", WebhookSettings.Format.SLACK),
        hook("generic", WebhookSettings.Format.GENERIC)));

    Alert alert = outbox.critical("pupil.sam", "key-formats");

    Eventually.within(WAIT, () -> assertThat(outbox.deliveries(alert)).hasSize(3)
        .allSatisfy(d -> assertThat(d.state()).isEqualTo(Delivery.State.SENT)));
    JsonNode generic = body("generic");
    assertThat(generic.get("id").asLong()).isEqualTo(alert.id().value());
    assertThat(generic.get("key").asText()).isEqualTo("key-formats");
    assertThat(generic.get("severity").asText()).isEqualTo("critical");
    assertThat(generic.get("kind").asText()).isEqualTo("illegal-category");
    assertThat(generic.get("audience").asText()).isEqualTo("dsl");
    assertThat(generic.get("subject").asText()).isEqualTo("illegal-category by pupil.sam");
    assertThat(generic.get("details").asText()).contains("http://bad.example/");
    assertThat(generic.get("who").asText()).isEqualTo("pupil.sam");
    assertThat(generic.get("raised_at").asText()).isEqualTo("2026-03-02T08:00:00Z");
    assertThat(generic.has("link")).isTrue();
    assertThat(generic.get("url").asText()).isEqualTo(Outbox.incidentUrl("https://admin.school.org/", alert));
    assertThat(body("slack").get("text").asText()).startsWith("*[Schoolgate critical] illegal-category by pupil.sam*")
        .contains("Who: pupil.sam", Outbox.incidentUrl("https://admin.school.org/", alert));
    JsonNode teams = body("teams");
    assertThat(teams.get("@type").asText()).isEqualTo("MessageCard");
    assertThat(teams.get("title").asText()).isEqualTo("[Schoolgate critical] illegal-category by pupil.sam");
    assertThat(teams.at("/sections/0/facts/0/name").asText()).isEqualTo("Who");
    assertThat(teams.at("/sections/0/facts/0/value").asText()).isEqualTo("pupil.sam");
    assertThat(teams.at("/potentialAction/0/targets/0/uri").asText())
        .isEqualTo(Outbox.incidentUrl("https://admin.school.org/", alert));
  }

  @ParameterizedTest(name = "HTTP {0} → {1}")
  @CsvSource(textBlock = """
      200, sent
      204, sent
      408, pending
      429, pending
      500, pending
      502, pending
      400, failed
      401, failed
      404, failed
      410, failed
      301, failed
      """)
  void theReceiversStatusDecidesBetweenSentRetryAndFailedAtOnce(int status, String state) throws Exception {
    receiver.stubFor(post(urlEqualTo("/hooks/dsl")).willReturn(aResponse().withStatus(status)));
    outbox.start(config(hook("dsl", WebhookSettings.Format.SLACK)));

    Alert alert = outbox.critical("pupil.a", "status-" + status);

    Eventually.within(WAIT, () -> assertThat(outbox.only(alert).attempts()).isEqualTo(1));
    Eventually.within(WAIT, () -> {
      Delivery d = outbox.only(alert);
      assertThat(d.state().apiName()).isEqualTo(state);
      if (!state.equals("sent")) {
        assertThat(d.lastError()).isEqualTo("webhook dsl answered HTTP " + status);
      }
    });
    receiver.verify(1, postRequestedFor(urlEqualTo("/hooks/dsl")).withHeader("Idempotency-Key", equalTo("status-"
        + status)));
  }

  @Test
  void anUnreachableReceiverIsRetried() throws Exception {
    WebhookSettings gone = new WebhookSettings("gone", URI.create("http://127.0.0.1:1/hook"),
        WebhookSettings.Format.GENERIC, Duration.ofSeconds(2));
    outbox.start(config(gone));

    Alert alert = outbox.critical("pupil.a", "gone");

    Eventually.within(WAIT, () -> assertThat(outbox.only(alert).lastError()).startsWith("webhook gone unreachable"));
    assertThat(outbox.only(alert).state()).isEqualTo(Delivery.State.PENDING);
    assertThat(outbox.only(alert).lastError()).doesNotContain("127.0.0.1:1/hook");
  }

  private static JsonNode body(String hook) throws Exception {
    List<LoggedRequest> r = receiver.findAll(postRequestedFor(urlEqualTo("/hooks/" + hook)));
    assertThat(r).as("requests to " + hook).hasSize(1);
    return JSON.readTree(r.get(0).getBodyAsString());
  }
}
