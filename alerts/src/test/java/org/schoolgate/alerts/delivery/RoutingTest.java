package org.schoolgate.alerts.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.schoolgate.store.Alert;
import org.schoolgate.store.Delivery;

/** Which recipients each kind of alert goes to under the school's usual routes, and config validation. */
class RoutingTest {
  static final SmtpSettings SMTP = SmtpSettings.relay("127.0.0.1", 25, SmtpSettings.Security.OFF,
      "schoolgate@school.org");
  static final List<WebhookSettings> WEBHOOKS = List.of(
      new WebhookSettings("dsl-teams", URI.create("http://127.0.0.1:1/teams"), WebhookSettings.Format.TEAMS, null));
  static final List<Route> ROUTES = List.of(
      new Route(Route.Match.audience(Alert.Audience.DSL), recipients(
          "email:dsl@school.org", "email:deputy@school.org", "webhook:dsl-teams")),
      new Route(Route.Match.kind("search-*"), recipients("email:pastoral@school.org")),
      new Route(Route.Match.audience(Alert.Audience.TECHNICIANS), recipients("email:it@school.org")),
      new Route(Route.Match.kind("escalation-1"), recipients("email:deputy@school.org")),
      new Route(new Route.Match(null, Alert.Severity.CRITICAL, null), recipients("email:head@school.org")));

  @TempDir Path dir;
  private Outbox outbox;

  @BeforeEach
  void open() {
    outbox = new Outbox(dir);
  }

  @AfterEach
  void close() {
    outbox.close();
  }

  static List<Recipient> recipients(String... text) {
    return Arrays.stream(text).map(Recipient::parse).toList();
  }

  @ParameterizedTest(name = "{0} {1} for {2} → {3}")
  @CsvSource(delimiter = '|', textBlock = """
      critical | illegal-category  | dsl         | email:dsl@school.org email:deputy@school.org webhook:dsl-teams email:head@school.org
      warning  | repeated-attempts | dsl         | email:dsl@school.org email:deputy@school.org webhook:dsl-teams
      warning  | search-self-harm  | dsl         | email:dsl@school.org email:deputy@school.org webhook:dsl-teams email:pastoral@school.org
      warning  | circumvention     | technicians | email:it@school.org
      warning  | block-burst       | technicians | email:it@school.org
      warning  | escalation-1      | technicians | email:it@school.org email:deputy@school.org
      warning  | escalation-2      | technicians | email:it@school.org
      info     | search-bullying   | technicians | email:pastoral@school.org email:it@school.org
      """)
  void eachAlertGoesToEveryRecipientOfEveryMatchingRouteOnce(String severity, String kind, String audience,
      String expected) {
    Planner planner = new Planner(DeliveryConfig.of(SMTP, WEBHOOKS, ROUTES), outbox.store.deliveries());
    Alert alert = outbox.raise(Alert.Severity.parse(severity).orElseThrow(), kind,
        Alert.Audience.parse(audience).orElseThrow(), "pupil.a", kind + "-key");

    assertThat(planner.recipients(alert).stream().map(Recipient::toString).collect(Collectors.joining(" ")))
        .isEqualTo(expected);
  }

  @Test
  void anAlertMatchingNoRouteIsPlannedOnceWithoutDeliveriesAsNoRoute() throws Exception {
    List<Route> dslOnly = List.of(new Route(Route.Match.audience(Alert.Audience.DSL), recipients("email:dsl@school.org")));
    outbox.start(DeliveryConfig.of(SMTP, List.of(), dslOnly));

    Alert alert = outbox.raise(Alert.Severity.WARNING, "circumvention", Alert.Audience.TECHNICIANS, "pupil.a", "k1");

    org.schoolgate.policy.testing.Eventually.within(Duration.ofSeconds(5), () ->
        assertThat(outbox.store.deliveries().planNote(alert.id())).contains("no route"));
    assertThat(outbox.deliveries(alert)).isEmpty();
    org.schoolgate.policy.testing.Eventually.within(Duration.ofSeconds(5), () ->
        assertThat(outbox.count(DeliveryMetrics.SUPPRESSED, "none")).isEqualTo(1));
    assertThat(Thread.getAllStackTraces().keySet()).extracting(Thread::getName).contains(DeliveryWorker.THREAD);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      sms:0123                 | is not valid (expected email:ADDRESS or webhook:NAME
      email:not-an-address     | is not an email address
      webhook:Teams Channel    | is not a webhook name
      """)
  void badRecipientsAreRefusedWithAMessageSayingWhatIsExpected(String text, String message) {
    assertThatThrownBy(() -> Recipient.parse(text)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(message);
  }

  @Test
  void configurationMistakesAreRefusedWithMessagesSayingHowToFixThem() {
    assertThatThrownBy(() -> DeliveryConfig.of(SMTP, List.of(), ROUTES))
        .hasMessageContaining("sends to webhook:dsl-teams but no webhook has that name");
    assertThatThrownBy(() -> DeliveryConfig.of(null, WEBHOOKS, ROUTES))
        .hasMessageContaining("no smtp server is configured");
    assertThatThrownBy(() -> DeliveryConfig.of(SMTP, List.of(WEBHOOKS.get(0), WEBHOOKS.get(0)), List.of()))
        .hasMessageContaining("defined twice");
    assertThatThrownBy(() -> new Route(Route.Match.any(), List.of())).hasMessageContaining("has no recipients");
    assertThatThrownBy(() -> Route.Match.kind("Search_*")).hasMessageContaining("is not valid");
    assertThatThrownBy(() -> DeliveryConfig.of(SMTP, List.of(), List.of())
        .withRetries(Duration.ofMinutes(1), Duration.ofSeconds(5), null)).hasMessageContaining("shorter than first-retry");
    assertThatThrownBy(() -> new SmtpSettings("smtp.school.org", 587, null, "alerts", null, null,
        "schoolgate@school.org", null, null, null)).hasMessageContaining("needs exactly one of password-file or password-env");
    assertThatThrownBy(() -> new SmtpSettings("smtp.school.org", 0, null, null, null, null,
        "schoolgate@school.org", null, null, null)).hasMessageContaining("port 0 is out of range");
    assertThatThrownBy(() -> SmtpSettings.Security.parse("tls")).hasMessageContaining("starttls-required");
    assertThatThrownBy(() -> new WebhookSettings("dsl", URI.create("ftp://x/"), WebhookSettings.Format.SLACK, null))
        .hasMessageContaining("must be an http(s) URL");
    assertThatThrownBy(() -> new SmtpSettings("smtp.school.org", 587, null, "alerts", dir.resolve("missing"), null,
        "schoolgate@school.org", null, null, null).password()).hasMessageContaining("cannot read the smtp password-file")
        .hasMessageNotContaining("s3cret");
    assertThat(Delivery.Channel.parse("email")).contains(Delivery.Channel.EMAIL);
  }
}
