package org.schoolgate.reports;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * The reports' one meter catalogue, registered at start against the injected registry. Tags come
 * from the fixed {@link Report} set: never a user, host or URL.
 *
 * <ul>
 *   <li>{@code schoolgate.reports.days.converted}: finished days written to Parquet;
 *   <li>{@code schoolgate.reports.days.deleted}: days deleted past the retention (each audited);
 *   <li>{@code schoolgate.reports.lines.unreadable}: access-log lines a conversion could not read
 *       (cut by a crash, not JSON), skipped and counted;
 *   <li>{@code schoolgate.reports.maintenance.errors}: conversion or retention rounds that failed
 *       (retried next round);
 *   <li>{@code schoolgate.reports.query{report}}: how long each report took;
 *   <li>{@code schoolgate.reports.dryrun.requests}: logged requests a dry run re-decided.
 * </ul>
 */
public final class ReportMetrics {
  /** The reports, for the {@code report} tag. */
  public enum Report {
    BLOCKED, TOP_BLOCKED, BYPASSES, UNBLOCKS, ALERTS, AUDIT, TIMELINE, DIGEST, EVIDENCE;

    String tag() {
      return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }
  }

  final Counter converted;
  final Counter deleted;
  final Counter unreadable;
  final Counter maintenanceErrors;
  final Counter dryRunRequests;
  private final Map<Report, Timer> queries = new EnumMap<>(Report.class);

  public ReportMetrics(MeterRegistry registry) {
    Objects.requireNonNull(registry, "registry");
    converted = Counter.builder("schoolgate.reports.days.converted")
        .description("finished access-log days written to Parquet").register(registry);
    deleted = Counter.builder("schoolgate.reports.days.deleted")
        .description("access-log days deleted past the retention (each audited)").register(registry);
    unreadable = Counter.builder("schoolgate.reports.lines.unreadable")
        .description("access-log lines a Parquet conversion could not read (skipped)").register(registry);
    maintenanceErrors = Counter.builder("schoolgate.reports.maintenance.errors")
        .description("conversion or retention rounds that failed (retried next round)").register(registry);
    dryRunRequests = Counter.builder("schoolgate.reports.dryrun.requests")
        .description("logged requests re-decided by policy dry runs").register(registry);
    for (Report r : Report.values()) {
      queries.put(r, Timer.builder("schoolgate.reports.query").tag("report", r.tag())
          .description("time to answer a report").register(registry));
    }
  }

  /** Meters nobody reads (tools, tests). */
  public static ReportMetrics unregistered() {
    return new ReportMetrics(new SimpleMeterRegistry());
  }

  public Timer query(Report report) {
    return queries.get(report);
  }

  public Counter converted() {
    return converted;
  }

  public Counter deleted() {
    return deleted;
  }

  public Counter unreadable() {
    return unreadable;
  }

  public Counter maintenanceErrors() {
    return maintenanceErrors;
  }

  public Counter dryRunRequests() {
    return dryRunRequests;
  }
}
