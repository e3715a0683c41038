package org.schoolgate.alerts.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.schoolgate.alerts.AlertEngine;
import org.schoolgate.alerts.AlertRules;
import org.schoolgate.alerts.AlertSettings;
import org.schoolgate.store.Alert;
import org.schoolgate.store.AlertStore;
import org.schoolgate.store.DatabaseConfig;
import org.schoolgate.store.NewAlert;
import org.schoolgate.store.Store;

/**
 * SIGKILLs a process whose alert engine holds events it could not raise (another connection held
 * the SQLite database), then replays the access log against the same database and directory:
 * every alert the whole log calls for is in the outbox exactly once, the one raised before the
 * kill included.
 */
class ReplayCrashTest {
  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void killedWithAlertsInTheEnginesQueueTheReplayRaisesEachExactlyOnce(@TempDir Path dir) throws Exception {
    Path logs = Files.createDirectories(dir.resolve("logs"));
    Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), "-Xmx256m", ReplayCrashChild.class.getName(),
        dir.toString(), logs.toString())
        .redirectError(dir.resolve("child.err").toFile())
        .start();
    boolean offered = false;
    try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(),
        StandardCharsets.UTF_8))) {
      String line;
      while (!offered && (line = out.readLine()) != null) {
        offered = line.equals("offered");
      }
      child.destroyForcibly();
      assertThat(child.waitFor(30, TimeUnit.SECONDS)).as("child ended").isTrue();
    }
    if (!offered) {
      fail("child stopped early: " + Files.readString(dir.resolve("child.err")));
    }
    assertThat(child.exitValue()).as("killed, not finished").isEqualTo(137);
    assertThat(Files.readString(logs.resolve("alerts.checkpoint")).strip())
        .as("the checkpoint stopped before the first alert the store did not take")
        .isIn(ReplayCrashChild.min(3) + " 1", ReplayCrashChild.min(4) + " 1");

    List<String> expected = expectedKeys();
    assertThat(expected).hasSize(5);
    try (Store store = Store.open(DatabaseConfig.sqlite(dir), Clock.systemUTC())) {
      assertThat(keys(store)).as("raised before the kill").containsExactly("illegal:"
          + ReplayCrashChild.min(3).toEpochMilli() + ":10.10.3.7:" + Integer.toHexString(
          "http://child-grooming.example/page".hashCode()));
      AlertEngine engine = AlertEngine.start(store.alerts(), new SimpleMeterRegistry(), AlertSettings.DEFAULTS,
          null, logs);
      ReplayReport report = AlertReplay.run(engine, logs, LogLines.LONDON, Clock.systemUTC());
      engine.close();

      assertThat(report.skipped()).as("the line cut by the kill").isEqualTo(1);
      assertThat(report.warmed() + report.replayed()).isEqualTo(10);
      assertThat(keys(store)).containsExactlyInAnyOrderElementsOf(expected);
      assertThat(store.alerts().list(new AlertStore.Query(null, false, 100)))
          .extracting(a -> a.content().kind())
          .containsExactlyInAnyOrder("illegal-category", "illegal-category", "repeated-attempts", "circumvention",
              "search-self-harm");
    }
  }

  /** What the rules raise over the whole log, evaluated once in order by a process that never died. */
  private static List<String> expectedKeys() {
    AlertRules rules = new AlertRules(AlertSettings.DEFAULTS);
    List<String> keys = new ArrayList<>();
    Stream.concat(ReplayCrashChild.before().stream(), ReplayCrashChild.after().stream())
        .map(line -> AccessLogLine.parse(line, LogLines.LONDON).orElseThrow())
        .forEach(e -> rules.evaluate(e).stream().map(NewAlert::idempotencyKey).forEach(keys::add));
    return keys;
  }

  private static List<String> keys(Store store) {
    return store.alerts().list(new AlertStore.Query(null, false, 100)).stream()
        .map(Alert::content).map(NewAlert::idempotencyKey).toList();
  }
}
