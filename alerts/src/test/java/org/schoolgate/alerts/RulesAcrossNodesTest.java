package org.schoolgate.alerts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.schoolgate.alerts.AlertRulesTest.T0;
import static org.schoolgate.alerts.AlertRulesTest.blocked;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.io.TempDir;
import org.schoolgate.store.DatabaseConfig;
import org.schoolgate.store.NewAlert;
import org.schoolgate.store.Store;

/**
 * The threshold rules of two nodes sharing one database (an {@link org.schoolgate.store.AlertTally}
 * on one file here; PostgreSQL in the deploy module's two-node test): one person's attempts split
 * over the nodes reach the threshold together and raise one alert, from one node; without a tally
 * each node counts alone, as one SQLite node always has; the window's edge is exact to the
 * millisecond for the other nodes' attempts as for the node's own.
 */
class RulesAcrossNodesTest {
  @TempDir Path dir;

  @Test
  void attemptsSplitOverTwoNodesRaiseOneAlertFromOneNode() {
    try (Store a = Store.open(DatabaseConfig.sqlite(dir).withNode("node-a"), Clock.systemUTC());
        Store b = Store.open(DatabaseConfig.sqlite(dir).withNode("node-b"), Clock.systemUTC())) {
      AlertRules onA = new AlertRules(AlertSettings.DEFAULTS, () -> null, a.alertTally());
      AlertRules onB = new AlertRules(AlertSettings.DEFAULTS, () -> null, b.alertTally());
      List<NewAlert> raised = new ArrayList<>();
      // pornography: 5 in 10 minutes; 3 on A, 2 on B, a minute apart
      for (int i = 1; i <= 5; i++) {
        AlertRules node = i % 2 == 1 ? onA : onB;
        raised.addAll(node.evaluate(blocked(T0.plus(Duration.ofMinutes(i)), "sam", "pornography", "unacceptable",
            "matrix:pornography/ks3-4")));
      }
      assertThat(raised).as("neither node reached 5 alone").isEmpty();

      // the engines' sync: publish, then read the other's and check again
      a.alertTally().add(onA.drainCounted());
      b.alertTally().add(onB.drainCounted());
      raised.addAll(onA.othersRead(a.alertTally().others(onA.othersSince())));
      raised.addAll(onB.othersRead(b.alertTally().others(onB.othersSince())));
      assertThat(raised).singleElement().satisfies(alert -> {
        assertThat(alert.kind()).isEqualTo("repeated-attempts");
        assertThat(alert.subject()).startsWith("5 blocked attempts at pornography by sam");
        assertThat(alert.details()).contains("and 2 on other nodes");
      });

      // the window is spent on both: a sixth attempt on B raises nothing
      assertThat(onB.evaluate(blocked(T0.plus(Duration.ofMinutes(6)), "sam", "pornography", "unacceptable",
          "matrix:pornography/ks3-4"))).isEmpty();
    }
  }

  @ParameterizedTest(name = "B's attempt {0} ms after the window's start → {1} alert(s)")
  @CsvSource({"0, 0", "1, 1"})
  void theWindowsEdgeIsExactForTheOtherNodesAttempts(long afterStart, int alerts) {
    try (Store a = Store.open(DatabaseConfig.sqlite(dir).withNode("node-a"), Clock.systemUTC());
        Store b = Store.open(DatabaseConfig.sqlite(dir).withNode("node-b"), Clock.systemUTC())) {
      AlertRules onA = new AlertRules(AlertSettings.DEFAULTS, () -> null, a.alertTally());
      AlertRules onB = new AlertRules(AlertSettings.DEFAULTS, () -> null, b.alertTally());
      List<NewAlert> raised = new ArrayList<>();
      // pornography: 5 in 10 minutes. B: one attempt at the window's start (T0, outside the window
      // (T0, T0 + 10 min] of A's last attempt) or 1 ms after it (inside); A: four, the last at T0 + 10 min
      Duration window = Duration.ofMinutes(10);
      raised.addAll(onB.evaluate(blocked(T0.plusMillis(afterStart), "sam", "pornography", "unacceptable",
          "matrix:pornography/ks3-4")));
      for (Duration at : List.of(Duration.ofMinutes(1), Duration.ofMinutes(2), Duration.ofMinutes(3), window)) {
        raised.addAll(onA.evaluate(blocked(T0.plus(at), "sam", "pornography", "unacceptable",
            "matrix:pornography/ks3-4")));
      }

      a.alertTally().add(onA.drainCounted());
      b.alertTally().add(onB.drainCounted());
      raised.addAll(onA.othersRead(a.alertTally().others(onA.othersSince())));
      raised.addAll(onB.othersRead(b.alertTally().others(onB.othersSince())));

      // (with 10-second buckets, B's attempt at T0 shared a bucket with T0 + 1 ms and counted: an early alert)
      assertThat(raised).hasSize(alerts);
      if (alerts == 1) {
        assertThat(raised.get(0).subject()).startsWith("5 blocked attempts at pornography by sam");
        assertThat(raised.get(0).details()).contains("and 1 on other nodes");
      }
    }
  }

  @Test
  void blockedDownloadsSplitOverTwoNodesRaiseOneAlertFromOneNode() {
    try (Store a = Store.open(DatabaseConfig.sqlite(dir).withNode("node-a"), Clock.systemUTC());
        Store b = Store.open(DatabaseConfig.sqlite(dir).withNode("node-b"), Clock.systemUTC())) {
      AlertRules onA = new AlertRules(AlertSettings.DEFAULTS, () -> null, a.alertTally());
      AlertRules onB = new AlertRules(AlertSettings.DEFAULTS, () -> null, b.alertTally());
      List<NewAlert> raised = new ArrayList<>();
      // 3 blocked downloads in 10 minutes: 2 on A, 1 on B
      for (int i = 1; i <= 3; i++) {
        raised.addAll((i == 2 ? onB : onA).evaluate(new AccessInput(T0.plus(Duration.ofMinutes(i)),
            AlertRulesTest.LONDON, "10.10.3.7", "sam", "ks3-4", "files.example", "http://files.example/" + i + ".exe",
            List.of(), "block", "acceptable", "download:executable", null)));
      }
      assertThat(raised).as("neither node reached 3 alone").isEmpty();

      a.alertTally().add(onA.drainCounted());
      b.alertTally().add(onB.drainCounted());
      raised.addAll(onA.othersRead(a.alertTally().others(onA.othersSince())));
      raised.addAll(onB.othersRead(b.alertTally().others(onB.othersSince())));
      assertThat(raised).singleElement().satisfies(alert -> {
        assertThat(alert.kind()).isEqualTo("blocked-downloads");
        assertThat(alert.subject()).startsWith("3 blocked downloads by sam");
        assertThat(alert.details()).contains("and 1 on other nodes");
      });
    }
  }

  @Test
  void withoutATallyEachNodeCountsAlone() {
    AlertRules onA = new AlertRules(AlertSettings.DEFAULTS, () -> null, null);
    AlertRules onB = new AlertRules(AlertSettings.DEFAULTS, () -> null, null);
    List<NewAlert> raised = new ArrayList<>();
    for (int i = 1; i <= 5; i++) {
      raised.addAll((i % 2 == 1 ? onA : onB).evaluate(blocked(T0.plus(Duration.ofMinutes(i)), "sam", "pornography",
          "unacceptable", "matrix:pornography/ks3-4")));
    }
    assertThat(raised).isEmpty();
    assertThat(onA.drainCounted()).isEmpty();
    assertThat(onA.othersRead(List.of())).isEmpty();
  }
}
