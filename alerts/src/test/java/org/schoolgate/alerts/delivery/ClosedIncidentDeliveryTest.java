package org.schoolgate.alerts.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.schoolgate.policy.testing.Eventually;
import org.schoolgate.store.Actor;
import org.schoolgate.store.Alert;
import org.schoolgate.store.Delivery;
import org.schoolgate.store.IncidentId;

/**
 * Issue 11, the delivery path: an alert still waiting to be sent (the mail server was down) when
 * the DSL closes its incident is suppressed, not sent, after Schoolgate restarts with the mail
 * server back; an alert of an open incident goes out as before.
 */
class ClosedIncidentDeliveryTest {
  private static final Duration WAIT = Duration.ofSeconds(20);

  @RegisterExtension
  static final GreenMailExtension mail = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort());

  @TempDir Path dir;
  private Outbox outbox;

  @AfterEach
  void close() {
    if (outbox != null) {
      outbox.close();
    }
  }

  @Test
  void whatWasPendingWhenTheDslClosedTheIncidentIsSuppressedAfterARestart() throws Exception {
    outbox = new Outbox(dir);
    outbox.start(toDsl(deadPort()));
    Alert closedOne = outbox.critical("pupil.sam (ks3-4)", "closed-1");
    Alert openOne = outbox.critical("pupil.kim (ks3-4)", "open-1");
    Eventually.within(WAIT, () -> assertThat(List.of(closedOne, openOne)).allSatisfy(a ->
        assertThat(outbox.only(a).lastError()).isNotNull()));
    IncidentId incident = new IncidentId(Long.parseLong(closedOne.content().link().substring("incident:".length())));
    outbox.store.incidents().close(incident, "Dealt with in school: no further action",
        new Actor(null, "dsl.one", "10.0.0.9"));

    outbox.restart(toDsl(mail.getSmtp().getPort()));
    outbox.clock.advance(Duration.ofMinutes(1));
    outbox.worker.wake();

    Eventually.within(WAIT, () -> {
      assertThat(outbox.only(openOne).state()).isEqualTo(Delivery.State.SENT);
      assertThat(outbox.only(closedOne).state()).isEqualTo(Delivery.State.SUPPRESSED);
    });
    assertThat(outbox.only(closedOne).lastError()).startsWith("incident " + incident
        + " was closed by dsl.one at ").endsWith(": not sent");
    assertThat(mail.getReceivedMessages()).singleElement()
        .satisfies(m -> assertThat(m.getSubject()).contains("pupil.kim"));
    assertThat(outbox.count(DeliveryMetrics.SUPPRESSED, "email")).isEqualTo(1);
  }

  private static int deadPort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort(); // closed again: nothing listens there
    }
  }

  private static DeliveryConfig toDsl(int port) {
    return DeliveryConfig.of(new SmtpSettings("127.0.0.1", port, SmtpSettings.Security.OFF, null, null, null,
        "schoolgate@school.org", Duration.ofSeconds(2), Duration.ofSeconds(5), null), List.of(), List.of(
        new Route(Route.Match.audience(Alert.Audience.DSL), List.of(Recipient.parse("email:dsl@school.org")))));
  }
}
