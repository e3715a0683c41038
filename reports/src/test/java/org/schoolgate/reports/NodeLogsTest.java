package org.schoolgate.reports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.schoolgate.reports.ReportsFixture.DSL;
import static org.schoolgate.reports.TrafficReportsTest.MON;
import static org.schoolgate.reports.TrafficReportsTest.block;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.schoolgate.policy.PolicyHolder;
import org.schoolgate.policy.sample.SamplePolicy;
import org.schoolgate.policy.testing.MutableClock;
import org.schoolgate.reports.logdb.LogDatabase;
import org.schoolgate.reports.traffic.Bucket;
import org.schoolgate.reports.traffic.TrafficReports;
import org.schoolgate.store.DatabaseConfig;
import org.schoolgate.store.Store;

/**
 * With {@code reports.node-logs} the reports read every node's access-log directory: node A's
 * reports count A's lines (JSON, not yet converted) and B's finished day (converted by B's own
 * maintenance to Parquet and summaries) together; A's directory inside node-logs is read once.
 */
class NodeLogsTest {
  @TempDir Path dir;

  @Test
  void aNodesReportsCountEveryNodesLog() throws Exception {
    Path nodeLogs = Files.createDirectories(dir.resolve("node-logs"));
    Path logsA = Files.createDirectories(nodeLogs.resolve("node-a"));
    Path logsB = Files.createDirectories(nodeLogs.resolve("node-b"));
    MutableClock clock = new MutableClock(ReportsFixture.NOW);
    PolicyHolder holder = PolicyHolder.load(SamplePolicy.extractTo(dir.resolve("policy")), clock);
    ReportsSettings settings = ReportsSettings.DEFAULTS.withNodeLogs(nodeLogs);
    for (int i = 0; i < 4; i++) {
      new LogLines(logsA).write(block(MON.plusSeconds(i), "sam", "10.20.0.5", "ks3-4", "https://www.bet365.com/",
          "gambling"));
    }
    for (int i = 0; i < 3; i++) {
      new LogLines(logsB).write(block(MON.plusSeconds(60 + i), "ali", "10.20.0.6", "ks3-4",
          "http://williamhill.com/", "gambling"));
    }
    try (Store store = Store.open(DatabaseConfig.sqlite(dir), clock);
        Reports onA = Reports.open(logsA, settings, holder, store, new SimpleMeterRegistry(), clock);
        Reports onB = Reports.open(logsB, settings, holder, store, new SimpleMeterRegistry(), clock)) {
      assertThat(onB.maintenance().runOnce().converted()).containsExactly(LocalDate.of(2026, 11, 23));
      assertThat(LogDatabase.dirs(logsA, nodeLogs)).containsExactly(logsA, logsB);

      Period monday = Period.days(LocalDate.of(2026, 11, 23), LocalDate.of(2026, 11, 23), LogLines.LONDON);
      assertThat(onA.blocked(DSL, monday, Bucket.DAY).total().value()).isEqualTo(7);
      assertThat(onB.blocked(DSL, monday, Bucket.DAY).total().value()).isEqualTo(7);
      assertThat(onA.topBlocked(DSL, monday, 10).sites()).extracting(TrafficReports.Site::host)
          .containsExactlyInAnyOrder("www.bet365.com", "williamhill.com");
      assertThat(onA.timeline(DSL, org.schoolgate.reports.people.Person.user("ali"), MON, MON.plusSeconds(3600))
          .toString()).contains("williamhill.com");
    }
  }
}
