package org.schoolgate.alerts.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.schoolgate.alerts.replay.LogLines.LONDON;
import static org.schoolgate.alerts.replay.LogLines.blocked;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.schoolgate.alerts.AlertEngine;
import org.schoolgate.alerts.AlertSettings;
import org.schoolgate.alerts.Checkpoint;
import org.schoolgate.policy.testing.MutableClock;
import org.schoolgate.store.Alert;
import org.schoolgate.store.AlertStore;
import org.schoolgate.store.DatabaseConfig;
import org.schoolgate.store.Store;

/** Replay of real access-log files into an engine on a real SQLite store. */
class AlertReplayTest {
  static final Instant T0 = Instant.parse("2026-07-06T09:00:00Z");
  private static final String CHECKPOINT = "alerts.checkpoint";

  @TempDir Path dir;
  private Path logs;
  private final MutableClock clock = new MutableClock(T0.plus(Duration.ofHours(2)));
  private Store store;
  private final List<AlertEngine> engines = new ArrayList<>();

  @BeforeEach
  void open() throws IOException {
    logs = Files.createDirectories(dir.resolve("logs"));
    store = Store.open(DatabaseConfig.sqlite(dir), clock);
  }

  @AfterEach
  void close() {
    engines.forEach(AlertEngine::close);
    store.close();
  }

  private AlertEngine engine() {
    AlertEngine e = AlertEngine.start(store.alerts(), new SimpleMeterRegistry(), AlertSettings.DEFAULTS, null, logs);
    engines.add(e);
    return e;
  }

  private ReplayReport replay(AlertEngine engine) throws IOException {
    return AlertReplay.run(engine, logs, LONDON, clock);
  }

  private List<Alert> stored() {
    return store.alerts().list(new AlertStore.Query(null, false, 1000));
  }

  private void checkpointAt(Instant time, int count) throws IOException {
    Files.writeString(logs.resolve(CHECKPOINT), time + " " + count + "\n", StandardCharsets.UTF_8);
  }

  private String checkpointFile() throws IOException {
    return Files.readString(logs.resolve(CHECKPOINT), StandardCharsets.UTF_8).strip();
  }

  private static String illegal(Instant at, String user) {
    return blocked(at, user, "child-grooming", "illegal", "illegal-category");
  }

  private static String porn(Instant at, String user) {
    return blocked(at, user, "pornography", "unacceptable", "matrix:pornography/ks3-4");
  }

  private static Instant min(int m) {
    return T0.plus(Duration.ofMinutes(m));
  }

  @Test
  void replayRaisesExactlyTheAlertsOfTheEventsAfterTheCheckpoint() throws Exception {
    LogLines.append(logs, illegal(min(0), "sam"), illegal(min(1), "kim"), illegal(min(2), "alex"),
        illegal(min(3), "lee"));
    checkpointAt(min(1), 1);

    ReplayReport report = replay(engine());

    assertThat(report).isEqualTo(new ReplayReport(new Checkpoint(min(1), 1), 1, 2, 2, 2, 0));
    assertThat(stored()).extracting(a -> a.content().kind() + " " + a.content().who())
        .containsExactlyInAnyOrder("illegal-category alex (ks3-4)", "illegal-category lee (ks3-4)");
  }

  @Test
  void dnsLinesAreReplayedWithRepeatedLookupsCountingOnceAndTheResolversOwnAnswersNotAtAll() throws Exception {
    List<String> grooming = List.of("child-grooming");
    LogLines.append(logs, illegal(min(0), "sam"),
        LogLines.dns(min(1), "kim", "groom.example", "A", grooming, "block", "illegal", "illegal-category", "nxdomain"),
        LogLines.dns(min(1), "kim", "groom.example", "AAAA", grooming, "block", "illegal", "illegal-category",
            "nxdomain"),
        LogLines.dns(min(2), "kim", "dns.google", "HTTPS", List.of("filter-bypass"), "block", "unacceptable",
            "matrix:filter-bypass/ks3-4", "nxdomain"),
        LogLines.dns(min(3), "kim", "use-application-dns.net", "A", List.of(), "block", null, "dns-canary",
            "nxdomain"));
    checkpointAt(min(0), 1);

    ReplayReport report = replay(engine());

    assertThat(report.replayed()).isEqualTo(4);
    assertThat(stored()).extracting(a -> a.content().kind() + " " + a.content().who())
        .containsExactlyInAnyOrder("illegal-category kim (ks3-4)", "circumvention kim (ks3-4)");
    assertThat(stored()).filteredOn(a -> a.content().kind().equals("illegal-category")).singleElement()
        .satisfies(a -> assertThat(a.content().details()).contains("url: groom.example (DNS A lookup)"));
  }

  @Test
  void eventsWithTheCheckpointsExactTimeAreToldApartByTheirCount() throws Exception {
    LogLines.append(logs, illegal(min(1), "sam"), illegal(min(1), "kim"), illegal(min(1), "alex"));
    checkpointAt(min(1), 2);

    replay(engine());

    assertThat(stored()).extracting(a -> a.content().who()).containsExactly("alex (ks3-4)");
  }

  @Test
  void aRepeatedAttemptsWindowSpanningTheCheckpointIsOneAlertNotTwo() throws Exception {
    AlertEngine first = engine();
    replay(first); // a fresh install: checkpoints from now on
    for (int i = 0; i < 5; i++) { // the fifth raises the alert live
      String line = porn(min(i), "sam");
      LogLines.append(logs, line);
      first.offer(AccessLogLine.parse(line, LONDON).orElseThrow());
    }
    first.close();
    assertThat(checkpointFile()).as("written on close").isEqualTo(min(4) + " 1");
    assertThat(stored()).hasSize(1);
    // the process died before these were evaluated: within the alerted window, they raise nothing
    for (int i = 5; i < 10; i++) {
      LogLines.append(logs, porn(min(i), "sam"));
    }

    ReplayReport report = replay(engine());

    assertThat(report.warmed()).isEqualTo(5);
    assertThat(report.replayed()).isEqualTo(5);
    assertThat(stored()).singleElement().satisfies(a -> {
      assertThat(a.content().kind()).isEqualTo("repeated-attempts");
      assertThat(a.content().idempotencyKey()).isEqualTo("repeated:sam:pornography:" + min(0).toEpochMilli());
    });
  }

  @Test
  void attemptsBeforeTheCheckpointCountTowardsAWindowThatEndsAfterIt() throws Exception {
    for (int i = 0; i < 5; i++) {
      LogLines.append(logs, porn(min(i), "sam"));
    }
    checkpointAt(min(2), 1);

    replay(engine());

    assertThat(stored()).singleElement().satisfies(a -> {
      assertThat(a.content().kind()).isEqualTo("repeated-attempts");
      assertThat(a.content().subject()).startsWith("5 blocked attempts at pornography by sam");
    });
  }

  @Test
  void replayingTheSameLogTwiceRaisesNothingNew() throws Exception {
    LogLines.append(logs, illegal(min(0), "sam"), porn(min(1), "kim"), porn(min(2), "kim"), porn(min(3), "kim"),
        porn(min(4), "kim"), porn(min(5), "kim"), illegal(min(6), "alex"));
    checkpointAt(min(0), 1);
    AlertEngine first = engine();
    ReplayReport once = replay(first);
    first.close();
    List<Alert> afterOnce = stored();
    assertThat(afterOnce).extracting(a -> a.content().kind())
        .containsExactlyInAnyOrder("repeated-attempts", "illegal-category");

    checkpointAt(min(0), 1); // as if the checkpoint had not moved: everything is raised again
    ReplayReport twice = replay(engine());

    assertThat(twice.replayed()).isEqualTo(once.replayed()).isEqualTo(6);
    assertThat(twice.alerts()).isEqualTo(2);
    assertThat(stored()).isEqualTo(afterOnce);
  }

  @Test
  void theCheckpointAfterAReplayIsItsLastEventSoTheNextReplayHasNothingToRaise() throws Exception {
    LogLines.append(logs, illegal(min(0), "sam"), illegal(min(1), "kim"));
    checkpointAt(min(0), 1);
    AlertEngine first = engine();
    replay(first);
    first.close();
    assertThat(checkpointFile()).isEqualTo(min(1) + " 1");

    ReplayReport again = replay(engine());

    assertThat(again.replayed()).isZero();
    assertThat(again.warmed()).isEqualTo(2);
    assertThat(stored()).hasSize(1);
  }

  @Test
  void aTruncatedLastLineIsSkippedAndCounted() throws Exception {
    LogLines.append(logs, illegal(min(0), "sam"), illegal(min(1), "kim"));
    String cut = illegal(min(2), "alex");
    LogLines.appendRaw(logs.resolve(LogLines.fileName(min(2))), cut.substring(0, cut.length() / 2));
    checkpointAt(min(0), 1);

    ReplayReport report = replay(engine());

    assertThat(report.skipped()).isEqualTo(1);
    assertThat(report.replayed()).isEqualTo(1);
    assertThat(stored()).extracting(a -> a.content().who()).containsExactly("kim (ks3-4)");
  }

  @Test
  void withoutACheckpointNothingIsReplayedAndTheCheckpointStartsNow() throws Exception {
    LogLines.append(logs, illegal(min(0), "sam"), illegal(min(1), "kim"));
    AlertEngine engine = engine();

    ReplayReport report = replay(engine);
    engine.close();

    assertThat(report).isEqualTo(new ReplayReport(null, 0, 0, 0, 0, 0));
    assertThat(stored()).isEmpty();
    assertThat(checkpointFile()).isEqualTo(clock.instant() + " 0");
  }

  @Test
  void aCheckpointByTimeAloneRaisesEveryLaterEvent() throws Exception {
    LogLines.append(logs, illegal(min(0), "sam"), illegal(min(1), "kim"));
    checkpointAt(min(0).plusSeconds(30), 0);

    replay(engine());

    assertThat(stored()).extracting(a -> a.content().who()).containsExactly("kim (ks3-4)");
  }

  @Test
  void filesOlderThanTheRulesWindowsAreNotRead() throws Exception {
    Instant yesterday = min(0).minus(Duration.ofDays(1));
    LogLines.append(logs, illegal(yesterday, "sam"), illegal(min(0), "kim"), illegal(min(1), "alex"));
    checkpointAt(min(0), 1);

    ReplayReport report = replay(engine());

    assertThat(report.files()).isEqualTo(1);
    assertThat(report.warmed()).isEqualTo(1);
    assertThat(stored()).extracting(a -> a.content().who()).containsExactly("alex (ks3-4)");
  }

  @Test
  void replayAfterLiveEventsOrIntoAnotherDirectoryIsRefused() throws Exception {
    AlertEngine elsewhere = AlertEngine.start(store.alerts(), new SimpleMeterRegistry(), AlertSettings.DEFAULTS,
        null, dir);
    engines.add(elsewhere);
    assertThatThrownBy(() -> replay(elsewhere)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("access-log directory");
    AlertEngine live = engine();
    live.offer(AccessLogLine.parse(illegal(min(0), "sam"), LONDON).orElseThrow());
    checkpointAt(min(0), 1);
    assertThatThrownBy(() -> live.replay(AccessLogLine.parse(illegal(min(1), "kim"), LONDON).orElseThrow(), true))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("before offering live events");
  }
}
