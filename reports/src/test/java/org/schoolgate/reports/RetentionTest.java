package org.schoolgate.reports;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.schoolgate.policy.accesslog.AccessLogFiles;
import org.schoolgate.reports.LogLines.Request;
import org.schoolgate.reports.logdb.LogMaintenance;
import org.schoolgate.store.AuditRecord;
import org.schoolgate.store.AuditTrail;

/**
 * Retention with a moved clock: 14 days kept (the shortest allowed), days before that lose their
 * JSON lines and their Parquet copy, each deletion audited before the files go; the days kept
 * are untouched, and moving the clock a day on deletes exactly one more.
 */
class RetentionTest {
  @RegisterExtension final ReportsFixture f = new ReportsFixture().settings(ReportsSettings.DEFAULTS
      .withRetentionDays(14));

  static final LocalDate TODAY = LocalDate.of(2026, 11, 26);

  void writeDay(LocalDate day) {
    Instant t = day.atTime(10, 0).atZone(LogLines.LONDON).toInstant();
    f.log.write(Request.get(t, "sam", "10.20.0.5", "ks3-4", "https://example.org/", "allow", "default", List.of()));
  }

  @Test
  void daysOlderThanTheRetentionAreDeletedWithTheirParquetAndEachDeletionIsAudited() throws Exception {
    for (int back = 0; back <= 17; back++) {
      writeDay(TODAY.minusDays(back));
    }
    f.clock.set(ReportsFixture.NOW.minus(Duration.ofDays(3)));
    LogMaintenance.Round earlier = f.reports.maintenance().runOnce();
    assertThat(earlier.deleted()).as("three days ago nothing was old enough").isEmpty();
    assertThat(f.logs.resolve(AccessLogFiles.parquet(TODAY.minusDays(16)))).exists();

    f.clock.set(ReportsFixture.NOW);
    LogMaintenance.Round round = f.reports.maintenance().runOnce();

    assertThat(round.deleted()).containsExactly(TODAY.minusDays(17), TODAY.minusDays(16), TODAY.minusDays(15));
    for (int back = 15; back <= 17; back++) {
      LocalDate day = TODAY.minusDays(back);
      assertThat(f.logs.resolve(AccessLogFiles.jsonLines(day))).as(day + " json").doesNotExist();
      assertThat(f.logs.resolve(AccessLogFiles.parquet(day))).as(day + " parquet").doesNotExist();
    }
    for (int back = 0; back <= 14; back++) {
      assertThat(f.logs.resolve(AccessLogFiles.jsonLines(TODAY.minusDays(back)))).exists();
    }

    List<AuditRecord> deleted = f.store.audit().query(new AuditTrail.Query(null, null, null,
        LogMaintenance.DELETED, 0, 10));
    assertThat(deleted).extracting(AuditRecord::target).containsExactly("access-log:2026-11-09",
        "access-log:2026-11-10", "access-log:2026-11-11");
    assertThat(deleted.get(0).actor()).isEqualTo("system:retention");
    assertThat(deleted.get(0).reason()).contains("retention of 14 days");
    assertThat(deleted.get(0).after()).contains("access-2026-11-09.jsonl");
    assertThat(f.store.audit().verify()).isInstanceOf(AuditTrail.Verification.Valid.class);

    f.clock.set(ReportsFixture.NOW.plus(Duration.ofDays(1)));
    LogMaintenance.Round next = f.reports.maintenance().runOnce();
    assertThat(next.deleted()).containsExactly(TODAY.minusDays(14));
    assertThat(f.logs.resolve(AccessLogFiles.jsonLines(TODAY.minusDays(14)))).doesNotExist();
    assertThat(f.logs.resolve(AccessLogFiles.jsonLines(TODAY.minusDays(13)))).exists();
    assertThat(f.registry.get("schoolgate.reports.days.deleted").counter().count()).isEqualTo(4);
    assertThat(Files.list(f.logs).filter(p -> p.getFileName().toString().startsWith(".tmp")).count()).isZero();
  }

  @Test
  void theParquetCopyAndEveryDaySummaryAreOwnerOnlyLikeTheAccessLog() throws Exception {
    writeDay(TODAY.minusDays(1));
    f.clock.set(ReportsFixture.NOW);
    f.reports.maintenance().runOnce();

    List<java.nio.file.Path> copies;
    try (var files = Files.list(f.logs)) {
      copies = files.filter(p -> p.getFileName().toString().endsWith(".parquet")).toList();
    }
    assertThat(copies).as("the day's copy and its summaries").hasSizeGreaterThan(1)
        .contains(f.logs.resolve(AccessLogFiles.parquet(TODAY.minusDays(1))));
    for (java.nio.file.Path p : copies) {
      assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(p)))
          .as(p.getFileName().toString()).isEqualTo("rw-------");
    }
  }
}
