package org.schoolgate.reports;

import java.time.Duration;

/**
 * How the reports run ({@code reports:} in the runtime configuration).
 *
 * @param retentionDays days of access log kept (JSON lines and Parquet); older days are deleted
 *     and each deletion audited ({@code accesslog.deleted}); default {@value #DEFAULT_RETENTION_DAYS}
 * @param memoryLimitMb the most memory DuckDB may use for one node's reports, in MiB (it spills
 *     to disk beyond it); default {@value #DEFAULT_MEMORY_MB}
 * @param threads DuckDB's worker threads; default 2
 * @param maintenanceEvery how often finished days are converted to Parquet and old days deleted;
 *     default 10 minutes
 * @param nodeLogs with several nodes: a directory holding every node's access-log directory (a
 *     shared file system, or the other nodes' directories mounted there), which the reports, the
 *     person timeline, dry runs and the digest read besides this node's own; null: this node's only
 */
public record ReportsSettings(int retentionDays, int memoryLimitMb, int threads, Duration maintenanceEvery,
    java.nio.file.Path nodeLogs) {
  public static final int DEFAULT_RETENTION_DAYS = 90;
  /** The shortest retention: two weeks, so the digest can compare a week with the one before. */
  public static final int MIN_RETENTION_DAYS = 14;
  public static final int MAX_RETENTION_DAYS = 3660;
  public static final int DEFAULT_MEMORY_MB = 2048;
  public static final ReportsSettings DEFAULTS =
      new ReportsSettings(DEFAULT_RETENTION_DAYS, DEFAULT_MEMORY_MB, 2, Duration.ofMinutes(10));

  /** Settings reading this node's log only. */
  public ReportsSettings(int retentionDays, int memoryLimitMb, int threads, Duration maintenanceEvery) {
    this(retentionDays, memoryLimitMb, threads, maintenanceEvery, null);
  }

  public ReportsSettings {
    if (retentionDays < MIN_RETENTION_DAYS || retentionDays > MAX_RETENTION_DAYS) {
      throw new IllegalArgumentException("reports.retention-days is " + retentionDays + " (expected: "
          + MIN_RETENTION_DAYS + " to " + MAX_RETENTION_DAYS + " days; the digest compares two weeks, default "
          + DEFAULT_RETENTION_DAYS + ")");
    }
    if (memoryLimitMb < 128 || memoryLimitMb > 65536) {
      throw new IllegalArgumentException("reports.memory-limit-mb is " + memoryLimitMb
          + " (expected: 128 to 65536 MiB, default " + DEFAULT_MEMORY_MB + ")");
    }
    if (threads < 1 || threads > 64) {
      throw new IllegalArgumentException("reports.threads is " + threads + " (expected: 1 to 64, default 2)");
    }
    if (maintenanceEvery == null || maintenanceEvery.compareTo(Duration.ofSeconds(1)) < 0) {
      throw new IllegalArgumentException("reports.maintenance-every is " + maintenanceEvery
          + " (expected: at least 1s, default 10m)");
    }
  }

  /** These settings keeping {@code days} of log. */
  public ReportsSettings withRetentionDays(int days) {
    return new ReportsSettings(days, memoryLimitMb, threads, maintenanceEvery, nodeLogs);
  }

  /** These settings reading every node's log in {@code dir} (null: this node's only). */
  public ReportsSettings withNodeLogs(java.nio.file.Path dir) {
    return new ReportsSettings(retentionDays, memoryLimitMb, threads, maintenanceEvery, dir);
  }
}
