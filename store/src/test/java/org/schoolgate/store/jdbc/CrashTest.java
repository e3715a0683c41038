package org.schoolgate.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.schoolgate.policy.UnblockId;
import org.schoolgate.store.Alert;
import org.schoolgate.store.AlertStore;
import org.schoolgate.store.AuditRecord;
import org.schoolgate.store.AuditTrail;
import org.schoolgate.store.DatabaseConfig;
import org.schoolgate.store.UnblockRecord;
import org.schoolgate.store.UnblockStatus;
import org.schoolgate.store.UnblockStore;

/**
 * Kills a process (SIGKILL) in the middle of a burst of unblock requests and approvals on a SQLite
 * file, then checks that nothing was half-written: the audit chain verifies, every approved
 * unblock has exactly one approval record, every approval record's unblock is approved, and every
 * approved filter bypass (and nothing else) has exactly one alert.
 */
class CrashTest {
  private static final int APPROVALS_BEFORE_KILL = 60;

  @Test
  @Timeout(value = 90, unit = TimeUnit.SECONDS)
  void killedMidBurstLeavesEveryApprovalAndItsAuditRecordTogether(@TempDir Path dir) throws Exception {
    Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), "-Xmx256m", CrashBurst.class.getName(), dir.toString())
        .redirectError(dir.resolve("child.err").toFile())
        .start();
    Set<Long> printed = new HashSet<>();
    try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(),
        StandardCharsets.UTF_8))) {
      String line;
      while (printed.size() < APPROVALS_BEFORE_KILL && (line = out.readLine()) != null) {
        if (line.startsWith("approved ")) {
          printed.add(Long.parseLong(line.substring("approved ".length())));
        }
      }
      child.destroyForcibly();
      assertThat(child.waitFor(30, TimeUnit.SECONDS)).as("child ended").isTrue();
    }
    if (printed.size() < APPROVALS_BEFORE_KILL) {
      fail("child stopped after " + printed.size() + " approvals: " + Files.readString(dir.resolve("child.err")));
    }
    assertThat(child.exitValue()).as("killed, not finished").isEqualTo(137);

    try (JdbcStore store = JdbcStore.open(DatabaseConfig.sqlite(dir), Clock.systemUTC(), TestDatabase.FAST_HASHER)) {
      assertThat(store.audit().verify()).isInstanceOf(AuditTrail.Verification.Valid.class);
      UnblockStore unblocks = store.unblocks();
      List<UnblockRecord> all = unblocks.list(UnblockStore.Query.all());
      Map<UnblockId, UnblockRecord> byId = all.stream()
          .collect(Collectors.toMap(UnblockRecord::id, Function.identity()));
      List<AuditRecord> approvals = new ArrayList<>();
      List<AuditRecord> alertRecords = new ArrayList<>();
      long after = 0;
      List<AuditRecord> page;
      do {
        page = store.audit().query(new AuditTrail.Query(null, null, null, null, after, 10000));
        page.stream().filter(r -> r.type().equals("unblock.approved") || r.type().equals("bypass.approved"))
            .forEach(approvals::add);
        page.stream().filter(r -> r.type().equals("alert.raised")).forEach(alertRecords::add);
        after = page.isEmpty() ? after : page.get(page.size() - 1).seq();
      } while (!page.isEmpty());
      Map<String, Long> approvalsPerTarget = approvals.stream()
          .collect(Collectors.groupingBy(AuditRecord::target, Collectors.counting()));

      assertThat(all.size()).isLessThan(1000);
      for (UnblockRecord r : all) {
        long records = approvalsPerTarget.getOrDefault("unblock:" + r.id(), 0L);
        if (r.status() == UnblockStatus.APPROVED) {
          assertThat(records).as("approval records of approved unblock " + r.id()).isEqualTo(1);
        } else {
          assertThat(records).as("approval records of " + r.status() + " unblock " + r.id()).isZero();
        }
      }
      for (AuditRecord approval : approvals) {
        UnblockId id = new UnblockId(Long.parseLong(approval.target().substring("unblock:".length())));
        assertThat(byId.get(id)).as(approval.target()).isNotNull();
        assertThat(byId.get(id).status()).as(approval.target()).isEqualTo(UnblockStatus.APPROVED);
      }
      // a bypass is approved exactly when its alert (and the alert's audit record) exists
      List<Alert> alerts = store.alerts().list(new AlertStore.Query(null, false, 1000));
      Map<String, Long> alertsPerLink = alerts.stream()
          .collect(Collectors.groupingBy(a -> a.content().link(), Collectors.counting()));
      long approvedBypasses = 0;
      for (UnblockRecord r : all) {
        boolean approvedBypass = r.request().bypass() && r.status() == UnblockStatus.APPROVED;
        approvedBypasses += approvedBypass ? 1 : 0;
        assertThat(alertsPerLink.getOrDefault("unblock:" + r.id(), 0L)).as("alerts of " + r.status()
            + (r.request().bypass() ? " bypass " : " unblock ") + r.id()).isEqualTo(approvedBypass ? 1L : 0L);
      }
      assertThat(approvedBypasses).as("bypasses approved before the kill").isPositive();
      assertThat(alertRecords).hasSize(alerts.size());
      for (long id : printed) {
        assertThat(byId.get(new UnblockId(id)).status()).as("printed approval " + id + " survived")
            .isEqualTo(UnblockStatus.APPROVED);
      }
    }
  }
}
