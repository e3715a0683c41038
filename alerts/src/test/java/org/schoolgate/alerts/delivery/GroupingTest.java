package org.schoolgate.alerts.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.schoolgate.policy.testing.Eventually;
import org.schoolgate.store.Alert;
import org.schoolgate.store.Delivery;

/** The same who + kind reaches each recipient at most once per window; the rest are grouped. */
class GroupingTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  @RegisterExtension
  static final GreenMailExtension mail = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort());

  @TempDir Path dir;
  private Outbox outbox;

  @BeforeEach
  void open() {
    outbox = new Outbox(dir);
    SmtpSettings smtp = SmtpSettings.relay("127.0.0.1", mail.getSmtp().getPort(), SmtpSettings.Security.OFF,
        "schoolgate@school.org");
    outbox.start(DeliveryConfig.of(smtp, List.of(), List.of(
        new Route(Route.Match.audience(Alert.Audience.DSL),
            RoutingTest.recipients("email:dsl@school.org", "email:deputy@school.org")))));
  }

  @AfterEach
  void close() {
    outbox.close();
  }

  private Alert repeated(String who, String key) {
    return outbox.raise(Alert.Severity.WARNING, "repeated-attempts", Alert.Audience.DSL, who, key);
  }

  private void settled(Alert alert) throws Exception {
    Eventually.within(WAIT, () -> assertThat(outbox.deliveries(alert)).isNotEmpty()
        .allSatisfy(d -> assertThat(d.state()).isNotEqualTo(Delivery.State.PENDING)));
  }

  @Test
  void sixAttemptAlertsForOnePupilInTenMinutesAreOneMessagePerRecipientAndTheRestGrouped() throws Exception {
    Alert first = repeated("pupil.sam", "r0");
    settled(first);
    List<Alert> later = new ArrayList<>();
    for (int i = 1; i < 6; i++) {
      outbox.clock.advance(Duration.ofMinutes(1));
      later.add(repeated("pupil.sam", "r" + i));
    }
    for (Alert a : later) {
      settled(a);
    }

    assertThat(mail.getReceivedMessages()).hasSize(2);
    assertThat(later).allSatisfy(a -> assertThat(outbox.deliveries(a)).hasSize(2).allSatisfy(d -> {
      assertThat(d.state()).isEqualTo(Delivery.State.SUPPRESSED);
      assertThat(d.lastError()).isEqualTo("grouped into the message sent at " + Outbox.T0 + " (alert " + first.id()
          + ")");
    }));
    Eventually.within(WAIT, () -> assertThat(outbox.count(DeliveryMetrics.SUPPRESSED, "email")).isEqualTo(10));
  }

  @Test
  void anotherPupilOrAnotherRuleIsNotGroupedWithTheFirst() throws Exception {
    Alert sam = repeated("pupil.sam", "a");
    Alert alex = repeated("pupil.alex", "b");
    Alert samBypass = outbox.raise(Alert.Severity.WARNING, "filter-bypass", Alert.Audience.DSL, "pupil.sam", "c");
    for (Alert a : List.of(sam, alex, samBypass)) {
      settled(a);
      assertThat(outbox.deliveries(a)).allSatisfy(d -> assertThat(d.state()).isEqualTo(Delivery.State.SENT));
    }
    assertThat(mail.getReceivedMessages()).hasSize(6);
  }

  @ParameterizedTest(name = "{0} alert {1} after the first → {2}")
  @CsvSource(textBlock = """
      warning,  PT9M59S, suppressed
      warning,  PT10M,   sent
      critical, PT30S,   suppressed
      critical, PT59S,   suppressed
      critical, PT1M,    sent
      """)
  void theWindowIsTenMinutesAndOneMinuteForCriticalAlerts(String severity, Duration after, String state)
      throws Exception {
    Alert.Severity s = Alert.Severity.parse(severity).orElseThrow();
    Alert first = outbox.raise(s, "search-self-harm", Alert.Audience.DSL, "pupil.sam", "first");
    settled(first);
    outbox.clock.advance(after);

    Alert next = outbox.raise(s, "search-self-harm", Alert.Audience.DSL, "pupil.sam", "next");

    settled(next);
    assertThat(outbox.deliveries(next)).hasSize(2).allSatisfy(d -> assertThat(d.state().apiName()).isEqualTo(state));
  }

  @Test
  void aMessageThatFailedGroupsNothingSoTheNextAlertIsSent() throws Exception {
    Alert first = repeated("pupil.sam", "f0");
    settled(first);
    // what a give-up leaves behind: the earlier message never reached anyone
    try (var c = java.sql.DriverManager.getConnection(org.schoolgate.store.DatabaseConfig.sqlite(dir).jdbcUrl());
        var s = c.createStatement()) {
      s.executeUpdate("UPDATE alert_deliveries SET state = 'failed', sent_at = NULL, last_error = 'gave up'");
    }
    outbox.clock.advance(Duration.ofMinutes(1));

    Alert next = repeated("pupil.sam", "f1");

    settled(next);
    assertThat(outbox.deliveries(next)).allSatisfy(d -> assertThat(d.state()).isEqualTo(Delivery.State.SENT));
  }
}
