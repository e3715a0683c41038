package org.schoolgate.alerts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.schoolgate.alerts.AlertRulesTest.T0;
import static org.schoolgate.alerts.AlertRulesTest.blocked;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
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
import org.schoolgate.store.DatabaseConfig;
import org.schoolgate.store.Store;

/** The engine's checkpoint file against a real SQLite store. */
class AlertEngineCheckpointTest {
  @TempDir Path dir;
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private Store store;
  private AlertEngine engine;

  @BeforeEach
  void open() {
    store = Store.open(DatabaseConfig.sqlite(dir), new MutableClock(T0));
  }

  @AfterEach
  void close() {
    if (engine != null) {
      engine.close();
    }
    store.close();
  }

  private String checkpoint() throws Exception {
    Path file = dir.resolve(CheckpointFile.NAME);
    return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8).strip() : "";
  }

  private static AccessInput allowed(java.time.Instant at) {
    return new AccessInput(at, AlertRulesTest.LONDON, "10.10.3.7", "sam", "ks3-4", "news.example",
        "http://news.example/", List.of("news"), "allow", "acceptable", "default");
  }

  @Test
  void theCheckpointFollowsHandledEventsButNotAnAlertTheStoreHasNotTakenYet() throws Exception {
    engine = AlertEngine.start(store.alerts(), registry,
        AlertSettings.DEFAULTS.withRetry(Duration.ofMillis(50), Duration.ofMillis(200)), null, dir);
    assertThat(engine.checkpointAtStart()).isEmpty();
    engine.offer(allowed(T0));
    engine.offer(allowed(T0));
    Eventually.within(Duration.ofSeconds(10), () -> assertThat(checkpoint()).isEqualTo(T0 + " 2"));

    try (Connection other = DriverManager.getConnection(DatabaseConfig.sqlite(dir).jdbcUrl());
        Statement s = other.createStatement()) {
      s.execute("BEGIN EXCLUSIVE"); // the store is unavailable: the illegal attempt's alert is retried
      engine.offer(blocked(T0.plusSeconds(1), "sam", "child-grooming", "illegal", "illegal-category"));
      engine.offer(allowed(T0.plusSeconds(2)));
      Eventually.within(Duration.ofSeconds(30), () ->
          assertThat(registry.get(AlertEngine.RETRIES).counter().count()).isGreaterThanOrEqualTo(2));
      assertThat(checkpoint()).as("not past the alert being retried").isEqualTo(T0 + " 2");
      s.execute("COMMIT");
    }
    Eventually.within(Duration.ofSeconds(30), () -> assertThat(checkpoint()).isEqualTo(T0.plusSeconds(2) + " 1"));
    assertThat(dir.resolve(CheckpointFile.NAME + ".tmp")).doesNotExist();
  }

  @Test
  void theCheckpointIsReadableByItsOwnerOnlyEvenOverALeftOverTemporaryFile() throws Exception {
    Path temp = Files.writeString(dir.resolve(CheckpointFile.NAME + ".tmp"), "half");
    Files.setPosixFilePermissions(temp, java.nio.file.attribute.PosixFilePermissions.fromString("rw-rw-rw-"));
    engine = AlertEngine.start(store.alerts(), registry, AlertSettings.DEFAULTS, null, dir);
    engine.offer(allowed(T0));
    Eventually.within(Duration.ofSeconds(10), () -> assertThat(checkpoint()).isEqualTo(T0 + " 1"));

    assertThat(java.nio.file.attribute.PosixFilePermissions.toString(
        Files.getPosixFilePermissions(dir.resolve(CheckpointFile.NAME)))).isEqualTo("rw-------");
    assertThat(temp).doesNotExist();
  }

  @Test
  void aRestartedEngineReadsTheCheckpointItsPredecessorWroteOnClose() throws Exception {
    engine = AlertEngine.start(store.alerts(), registry, AlertSettings.DEFAULTS, null, dir);
    engine.offer(allowed(T0));
    engine.offer(allowed(T0.plusSeconds(5)));
    engine.close();

    engine = AlertEngine.start(store.alerts(), registry, AlertSettings.DEFAULTS, null, dir);

    assertThat(engine.checkpointAtStart()).contains(new Checkpoint(T0.plusSeconds(5), 1));
    assertThat(engine.checkpointDir()).contains(dir);
  }

  @Test
  void anUnreadableCheckpointIsLikeNone() throws Exception {
    Files.writeString(dir.resolve(CheckpointFile.NAME), "half a line", StandardCharsets.UTF_8);

    engine = AlertEngine.start(store.alerts(), registry, AlertSettings.DEFAULTS, null, dir);

    assertThat(engine.checkpointAtStart()).isEmpty();
  }

  @Test
  void anEngineWithoutADirectoryWritesNoCheckpoint() throws Exception {
    engine = AlertEngine.start(store.alerts(), registry, AlertSettings.DEFAULTS);
    engine.offer(allowed(T0));
    engine.close();

    assertThat(engine.checkpointDir()).isEmpty();
    try (var files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith("alerts.checkpoint"));
    }
  }
}
