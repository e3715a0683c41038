package org.schoolgate.alerts.incident;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.schoolgate.alerts.AccessInput;
import org.schoolgate.alerts.AlertEngine;
import org.schoolgate.alerts.AlertSettings;
import org.schoolgate.policy.testing.MutableClock;
import org.schoolgate.store.Actor;
import org.schoolgate.store.Alert;
import org.schoolgate.store.DatabaseConfig;
import org.schoolgate.store.Incident;
import org.schoolgate.store.IncidentState;
import org.schoolgate.store.IncidentStore;
import org.schoolgate.store.Store;

/**
 * The alert engine's own alerts open and join incidents in the real store: two illegal attempts
 * by one pupil are one critical incident with two hits, which the escalator then escalates;
 * circumvention alerts (for technicians) open none.
 */
class AlertEngineIncidentsTest {
  private static final Instant T0 = Instant.parse("2026-11-23T09:00:00Z");
  private static final ZoneId LONDON = ZoneId.of("Europe/London");
  @TempDir Path dir;

  @Test
  void illegalAttemptsByOnePupilAreOneIncidentThatEscalatesWhenNobodyAcknowledgesIt() {
    MutableClock clock = new MutableClock(T0);
    try (Store store = Store.open(DatabaseConfig.sqlite(dir), clock)) {
      AlertEngine engine = AlertEngine.start(store.alerts(), new SimpleMeterRegistry(), AlertSettings.DEFAULTS);
      engine.offer(blocked(T0, "sam", "child-grooming", "illegal", "illegal-category"));
      engine.offer(blocked(T0.plusSeconds(40), "sam", "child-grooming", "illegal", "illegal-category"));
      engine.offer(blocked(T0.plusSeconds(50), "sam", "filter-bypass", "blocked", "matrix:filter-bypass/ks3-4"));
      engine.close(Duration.ofSeconds(10));

      IncidentStore.Viewer dsl = IncidentStore.Viewer.all(new Actor(null, "mrs.dsl", null));
      List<Incident> incidents = store.incidents().list(IncidentStore.Query.recent(10), dsl);
      assertThat(incidents).singleElement().satisfies(i -> {
        assertThat(i.who()).isEqualTo("sam (ks3-4)");
        assertThat(i.kind()).isEqualTo("illegal-category");
        assertThat(i.severity()).isEqualTo(Alert.Severity.CRITICAL);
        assertThat(i.hits()).isEqualTo(2);
      });

      clock.advance(Duration.ofMinutes(30));
      List<Incident> escalated = new IncidentEscalator(store.incidents(), clock, Duration.ofMinutes(30))
          .tick(clock.instant());

      assertThat(escalated).singleElement().satisfies(i -> {
        assertThat(i.state()).isEqualTo(IncidentState.ESCALATED);
        assertThat(i.escalationLevel()).isEqualTo(1);
      });
    }
  }

  private static AccessInput blocked(Instant at, String user, String category, String level, String rule) {
    return new AccessInput(at, LONDON, "10.10.3.7", user, "ks3-4", category + ".example",
        "http://" + category + ".example/page", List.of(category), "block", level, rule);
  }
}
