package org.schoolgate.alerts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.schoolgate.alerts.AlertRulesTest.T0;
import static org.schoolgate.alerts.AlertRulesTest.blocked;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.schoolgate.policy.testing.Eventually;
import org.schoolgate.policy.testing.MutableClock;
import org.schoolgate.store.Alert;
import org.schoolgate.store.AlertStore;
import org.schoolgate.store.DatabaseConfig;
import org.schoolgate.store.Store;

/** The engine against a real SQLite store in a temporary directory. */
class AlertEngineTest {
  @TempDir Path dir;
  private final MutableClock clock = new MutableClock(T0);
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private Store store;
  private AlertEngine engine;

  @BeforeEach
  void open() {
    store = Store.open(DatabaseConfig.sqlite(dir), clock);
  }

  @AfterEach
  void close() {
    if (engine != null) {
      engine.close();
    }
    store.close();
  }

  private List<Alert> stored() {
    return store.alerts().list(new AlertStore.Query(null, false, 100));
  }

  @Test
  void anIllegalAttemptIsInTheOutboxRaisedBySystemAlerts() throws Exception {
    engine = AlertEngine.start(store.alerts(), registry, AlertSettings.DEFAULTS);
    engine.offer(blocked(T0, "sam", "child-grooming", "illegal", "illegal-category"));
    Eventually.within(Duration.ofSeconds(5), () -> assertThat(stored()).singleElement().satisfies(a -> {
      assertThat(a.content().severity()).isEqualTo(Alert.Severity.CRITICAL);
      assertThat(a.content().audience()).isEqualTo(Alert.Audience.DSL);
      assertThat(a.content().subject()).contains("sam (ks3-4)", "child-grooming");
    }));
    Eventually.within(Duration.ofSeconds(5), () -> assertThat(
        registry.get(AlertEngine.RAISED).tag("kind", "illegal-category").counter().count()).isEqualTo(1));
  }

  @Test
  void sixPornographyAttemptsInTenMinutesAreOneAlertAndCloseDrainsTheQueue() {
    engine = AlertEngine.start(store.alerts(), registry, AlertSettings.DEFAULTS);
    for (int i = 0; i < 6; i++) {
      engine.offer(blocked(T0.plus(Duration.ofMinutes(i)), "sam", "pornography", "unacceptable",
          "matrix:pornography/ks3-4"));
    }
    engine.close(Duration.ofSeconds(10));
    assertThat(stored()).singleElement().satisfies(a -> {
      assertThat(a.content().kind()).isEqualTo("repeated-attempts");
      assertThat(a.content().details()).contains("pornography.example/page");
    });
  }

  @Test
  void aStoreThatIsLockedIsRetriedUntilTheAlertIsStoredAndAFullQueueIsCounted() throws Exception {
    engine = AlertEngine.start(store.alerts(), registry,
        AlertSettings.DEFAULTS.withQueueCapacity(2).withRetry(Duration.ofMillis(50), Duration.ofMillis(200)));
    try (Connection other = DriverManager.getConnection(DatabaseConfig.sqlite(dir).jdbcUrl());
        Statement s = other.createStatement()) {
      s.execute("BEGIN EXCLUSIVE"); // another writer holds the database: raising fails as unavailable
      engine.offer(blocked(T0, "sam", "child-grooming", "illegal", "illegal-category"));
      Eventually.within(Duration.ofSeconds(5), () -> assertThat(engine.depth()).isZero());
      for (int i = 1; i <= 3; i++) { // the thread is stuck on the first: two fit, the third is dropped
        engine.offer(blocked(T0.plusSeconds(i), "alex", "gambling", "unacceptable", "matrix:gambling/ks3-4"));
      }
      assertThat(registry.get(AlertEngine.DROPPED).counter().count()).isEqualTo(1);
      Eventually.within(Duration.ofSeconds(30), () ->
          assertThat(registry.get(AlertEngine.RETRIES).counter().count()).isGreaterThanOrEqualTo(1));
      s.execute("COMMIT");
    }
    Eventually.within(Duration.ofSeconds(30), () -> assertThat(stored()).singleElement()
        .satisfies(a -> assertThat(a.content().kind()).isEqualTo("illegal-category")));
  }

  @Test
  void aClosedEngineDropsAndCountsWhatIsOffered() {
    engine = AlertEngine.start(store.alerts(), registry, AlertSettings.DEFAULTS);
    engine.close();
    engine.offer(blocked(T0, "sam", "child-grooming", "illegal", "illegal-category"));
    assertThat(registry.get(AlertEngine.DROPPED).counter().count()).isEqualTo(1);
    assertThat(stored()).isEmpty();
  }
}
