package org.schoolgate.alerts.incident;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.schoolgate.policy.testing.Eventually;
import org.schoolgate.policy.testing.MutableClock;
import org.schoolgate.store.Actor;
import org.schoolgate.store.Alert;
import org.schoolgate.store.AlertStore;
import org.schoolgate.store.DatabaseConfig;
import org.schoolgate.store.Incident;
import org.schoolgate.store.IncidentId;
import org.schoolgate.store.IncidentState;
import org.schoolgate.store.IncidentStore;
import org.schoolgate.store.NewAlert;
import org.schoolgate.store.Store;

/** The escalator against a real SQLite store; time moves only by the fake clock. */
class IncidentEscalatorTest {
  private static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");
  private static final Duration AFTER = Duration.ofMinutes(30);
  @TempDir Path dir;
  private final MutableClock clock = new MutableClock(T0);
  private Store store;

  @BeforeEach
  void open() {
    store = Store.open(DatabaseConfig.sqlite(dir), clock);
  }

  @AfterEach
  void close() {
    store.close();
  }

  @Test
  void anUnacknowledgedCriticalIncidentGoesToLevelOneThenLevelTwoOneIntervalApart() {
    IncidentEscalator escalator = new IncidentEscalator(store.incidents(), clock, AFTER);
    IncidentId id = raise("k1", "sam (ks3-4)", Alert.Severity.CRITICAL);

    assertThat(escalator.tick(T0.plus(Duration.ofMinutes(29)))).isEmpty();
    assertThat(escalator.tick(T0.plus(AFTER))).extracting(Incident::id, Incident::escalationLevel)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(id, 1));
    assertThat(escalator.tick(T0.plus(Duration.ofMinutes(45)))).isEmpty();
    assertThat(escalator.tick(T0.plus(Duration.ofMinutes(60)))).extracting(Incident::escalationLevel)
        .containsExactly(2);
    assertThat(escalator.tick(T0.plus(Duration.ofHours(8)))).isEmpty();

    List<Alert> escalations = escalations();
    assertThat(escalations).extracting(a -> a.content().kind()).containsExactly("escalation-2", "escalation-1");
    assertThat(escalations).extracting(a -> a.content().idempotencyKey())
        .containsExactly("escalation:" + id + ":2", "escalation:" + id + ":1");
    assertThat(escalations).allSatisfy(a -> {
      assertThat(a.content().audience()).isEqualTo(Alert.Audience.DSL);
      assertThat(a.content().link()).isEqualTo(id.link());
      assertThat(a.content().subject()).contains("incident " + id, "not acknowledged since 2026-11-23 10:00 UTC");
    });
    Incident incident = store.incidents().get(id, IncidentStore.Viewer.all(Actor.system("test"))).incident();
    assertThat(incident.state()).isEqualTo(IncidentState.ESCALATED);
  }

  @Test
  void acknowledgedOrNonCriticalIncidentsAreNeverEscalated() {
    IncidentEscalator escalator = new IncidentEscalator(store.incidents(), clock, AFTER);
    IncidentId acknowledged = raise("k1", "sam", Alert.Severity.CRITICAL);
    raise("k2", "alex", Alert.Severity.WARNING);
    store.incidents().acknowledge(acknowledged, new Actor(null, "mrs.dsl", null));

    assertThat(escalator.tick(T0.plus(Duration.ofHours(2)))).isEmpty();
    assertThat(escalations()).isEmpty();
  }

  @Test
  void acknowledgingAfterLevelOneStopsLevelTwo() {
    IncidentEscalator escalator = new IncidentEscalator(store.incidents(), clock, AFTER);
    IncidentId id = raise("k1", "sam", Alert.Severity.CRITICAL);
    escalator.tick(T0.plus(AFTER));

    store.incidents().acknowledge(id, new Actor(null, "deputy.dsl", null));

    assertThat(escalator.tick(T0.plus(Duration.ofHours(3)))).isEmpty();
    assertThat(escalations()).extracting(a -> a.content().kind()).containsExactly("escalation-1");
  }

  @Test
  void theEscalationThreadEscalatesWhenTheClockHasMoved() throws Exception {
    IncidentId id = raise("k1", "sam", Alert.Severity.CRITICAL);
    try (IncidentEscalator escalator = IncidentEscalator.start(store.incidents(), clock, AFTER,
        Duration.ofMillis(20))) {
      assertThat(Thread.getAllStackTraces().keySet()).extracting(Thread::getName).contains("schoolgate-escalation");
      clock.advance(AFTER);
      Eventually.within(Duration.ofSeconds(5), () -> assertThat(escalations()).singleElement()
          .satisfies(a -> assertThat(a.content().idempotencyKey()).isEqualTo("escalation:" + id + ":1")));
    }
  }

  private IncidentId raise(String key, String who, Alert.Severity severity) {
    Alert a = store.alerts().raise(new NewAlert(severity, "illegal-category", Alert.Audience.DSL, "subject " + key,
        "", who, null, key), Actor.system("alerts"));
    return new IncidentId(Long.parseLong(a.content().link().substring("incident:".length())));
  }

  private List<Alert> escalations() {
    return store.alerts().list(new AlertStore.Query(null, false, 100)).stream()
        .filter(a -> a.content().kind().startsWith("escalation-")).collect(Collectors.toList());
  }
}
