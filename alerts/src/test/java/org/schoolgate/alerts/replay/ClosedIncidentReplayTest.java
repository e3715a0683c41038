package org.schoolgate.alerts.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.schoolgate.alerts.replay.LogLines.LONDON;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.schoolgate.alerts.AlertEngine;
import org.schoolgate.alerts.AlertSettings;
import org.schoolgate.alerts.delivery.DeliveryConfig;
import org.schoolgate.alerts.delivery.DeliveryWorker;
import org.schoolgate.alerts.delivery.Recipient;
import org.schoolgate.alerts.delivery.Route;
import org.schoolgate.alerts.delivery.SmtpSettings;
import org.schoolgate.policy.testing.Eventually;
import org.schoolgate.policy.testing.MutableClock;
import org.schoolgate.store.Actor;
import org.schoolgate.store.Alert;
import org.schoolgate.store.AlertStore;
import org.schoolgate.store.DatabaseConfig;
import org.schoolgate.store.Delivery;
import org.schoolgate.store.Incident;
import org.schoolgate.store.IncidentId;
import org.schoolgate.store.IncidentState;
import org.schoolgate.store.NewAlert;
import org.schoolgate.store.Store;

/**
 * Issue 11: an alert whose incident the DSL already closed must not be emailed again after a
 * restart. The live run raised Sam's search alert and the DSL closed its incident; Schoolgate then
 * restarts with a checkpoint from before the search (a crash lost the newer one), so the replay
 * evaluates the search again — under another key than the live alert, as after a change of the
 * alert rules. It joins the closed incident quietly; a search after the closing still reaches the
 * DSL's mailbox.
 */
class ClosedIncidentReplayTest {
  private static final Instant SEARCH = Instant.parse("2026-07-06T09:00:00Z");
  private static final Actor DSL = new Actor(null, "dsl.one", "10.0.0.9");

  @RegisterExtension
  static final GreenMailExtension mail = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort());

  @TempDir Path dir;

  @Test
  void aReplayedAlertOfAClosedIncidentJoinsItAndIsNeverSentWhileALaterOneIs() throws Exception {
    MutableClock clock = new MutableClock(SEARCH);
    Path logs = Files.createDirectories(dir.resolve("logs"));
    try (Store store = Store.open(DatabaseConfig.sqlite(dir), clock)) {
      Alert live = store.alerts().raise(new NewAlert(Alert.Severity.CRITICAL, "search-self-harm", Alert.Audience.DSL,
          "Search about self-harm by sam (ks3-4)", "term: how to kill myself", "sam (ks3-4)", null, "live:1"),
          Actor.system("alerts"), SEARCH);
      IncidentId incident = incident(live);
      clock.advance(Duration.ofMinutes(10));
      store.incidents().close(incident, "Spoke to Sam with the pastoral lead; parents informed", DSL);
      store.deliveries().plan(live.id(), List.of(), "sent before the restart (test)");

      LogLines.append(logs, search(SEARCH, "how to kill myself"),
          search(SEARCH.plus(Duration.ofMinutes(20)), "cutting myself"));
      Files.writeString(logs.resolve("alerts.checkpoint"), SEARCH.minusSeconds(60) + " 0\n", StandardCharsets.UTF_8);
      clock.advance(Duration.ofMinutes(30));

      AlertEngine engine = AlertEngine.start(store.alerts(), new SimpleMeterRegistry(), AlertSettings.DEFAULTS, null,
          logs);
      try {
        ReplayReport report = AlertReplay.run(engine, logs, LONDON, clock);
        assertThat(report.alerts()).isEqualTo(2);
      } finally {
        engine.close();
      }

      List<Alert> replayed = store.alerts().list(new AlertStore.Query(null, false, 10)).stream()
          .filter(a -> !a.id().equals(live.id())).toList();
      assertThat(replayed).hasSize(2);
      Alert before = replayed.stream().filter(a -> a.content().subject().contains("kill")).findFirst().orElseThrow();
      Alert after = replayed.stream().filter(a -> a.content().subject().contains("cutting")).findFirst().orElseThrow();
      assertThat(before.content().link()).as("joins the closed incident").isEqualTo(incident.link());
      assertThat(after.content().link()).as("a search after the closing opens a new one").isNotEqualTo(incident.link());
      Incident closed = store.incidents().get(incident, viewer()).incident();
      assertThat(closed.state()).isEqualTo(IncidentState.CLOSED);
      assertThat(closed.hits()).isEqualTo(2);

      DeliveryConfig config = DeliveryConfig.of(new SmtpSettings("127.0.0.1", mail.getSmtp().getPort(),
          SmtpSettings.Security.OFF, null, null, null, "schoolgate@school.org", Duration.ofSeconds(5),
          Duration.ofSeconds(10), null), List.of(), List.of(new Route(Route.Match.audience(Alert.Audience.DSL),
          List.of(Recipient.parse("email:dsl@school.org")))));
      try (DeliveryWorker worker = DeliveryWorker.start(store, config, new SimpleMeterRegistry(), clock)) {
        Eventually.within(Duration.ofSeconds(20), () -> assertThat(store.deliveries().forAlert(after.id()))
            .singleElement().satisfies(d -> assertThat(d.state()).isEqualTo(Delivery.State.SENT)));
      }
      assertThat(store.deliveries().forAlert(before.id())).isEmpty();
      assertThat(store.deliveries().planNote(before.id())).get().asString()
          .startsWith("incident " + incident + " was closed by dsl.one at ");
      assertThat(mail.getReceivedMessages()).singleElement()
          .satisfies(m -> assertThat(m.getSubject()).contains("cutting"));
    }
  }

  private static IncidentId incident(Alert alert) {
    return new IncidentId(Long.parseLong(alert.content().link().substring("incident:".length())));
  }

  private static org.schoolgate.store.IncidentStore.Viewer viewer() {
    return org.schoolgate.store.IncidentStore.Viewer.all(DSL);
  }

  private static String search(Instant at, String term) {
    return LogLines.line(at, "10.10.3.7", "sam", "ks3-4", "http", "www.google.com", 80, "/search",
        "q=" + term.replace(' ', '+'), List.of("search-engines"), "allow", "acceptable", "matrix:search-engines/ks3-4",
        term);
  }
}
