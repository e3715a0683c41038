package org.schoolgate.reports;

import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.TemporalAdjusters;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import org.schoolgate.alerts.incident.DigestData;
import org.schoolgate.alerts.incident.DigestSchedule;
import org.schoolgate.alerts.incident.WeeklyDigest;
import org.schoolgate.policy.PolicyHolder;
import org.schoolgate.reports.dryrun.DryRuns;
import org.schoolgate.reports.evidence.EvidenceBuilder;
import org.schoolgate.reports.evidence.EvidencePack;
import org.schoolgate.reports.logdb.LogDatabase;
import org.schoolgate.reports.logdb.LogMaintenance;
import org.schoolgate.reports.people.Person;
import org.schoolgate.reports.people.PersonTimeline;
import org.schoolgate.reports.people.PersonViews;
import org.schoolgate.reports.people.Timeline;
import org.schoolgate.reports.staff.StaffReports;
import org.schoolgate.reports.traffic.Bucket;
import org.schoolgate.reports.traffic.TrafficReports;
import org.schoolgate.store.AlertId;
import org.schoolgate.store.Role;
import org.schoolgate.store.Store;

/**
 * Every report, as one service the admin API's routes and the console's pages call directly.
 * Each method takes the {@link Viewer} and enforces who may see what before reading anything:
 *
 * <table>
 *   <caption>who may open what</caption>
 *   <tr><th>report</th><th>roles</th><th>what they see</th></tr>
 *   <tr><td>blocked over time, top blocked sites, bypasses, unblocks, alerts</td>
 *       <td>governor, senior-leader, dsl, technician</td>
 *       <td>dsl and senior-leader: people named (bypasses); others: aggregates, counts 1-4 suppressed</td></tr>
 *   <tr><td>audit trail with chain status</td><td>governor, admin, technician, dsl, senior-leader</td>
 *       <td>safeguarding records redacted outside dsl and senior-leader</td></tr>
 *   <tr><td>person timeline</td><td>dsl, senior-leader; teacher (own user only)</td>
 *       <td>every view audited ({@code history.viewed})</td></tr>
 *   <tr><td>weekly digest</td><td>dsl, senior-leader</td><td>as the email</td></tr>
 *   <tr><td>evidence pack</td><td>governor, senior-leader, dsl</td><td>aggregates, counts 1-4 suppressed
 *       outside dsl and senior-leader</td></tr>
 *   <tr><td>policy dry run</td><td>technician, senior-leader</td><td>counts and sample URLs</td></tr>
 * </table>
 *
 * <p>Everything blocks (DuckDB, JDBC, files): call it from admin threads, never an event loop.
 *
 * <pre>{@code
 * try (Reports reports = Reports.start(accessLogDir, ReportsSettings.DEFAULTS, holder, store, registry, clock)) {
 *   TrafficReports.TopSites top = reports.topBlocked(viewer, reports.lastDays(7), 20);
 * }
 * }</pre>
 */
public final class Reports implements AutoCloseable {
  private static final Role[] AGGREGATES = {Role.GOVERNOR, Role.SENIOR_LEADER, Role.DSL, Role.TECHNICIAN};
  private static final Role[] AUDITORS = {Role.GOVERNOR, Role.ADMIN, Role.TECHNICIAN, Role.DSL, Role.SENIOR_LEADER};
  private static final Role[] EVIDENCE = {Role.GOVERNOR, Role.SENIOR_LEADER, Role.DSL};

  private final LogDatabase db;
  private final LogMaintenance maintenance;
  private final TrafficReports traffic;
  private final StaffReports staff;
  private final PersonTimeline timelines;
  private final EvidenceBuilder evidence;
  private final WeeklyDigest digest;
  private final DryRuns dryRuns;
  private final ReportMetrics metrics;
  private final Supplier<ZoneId> zone;
  private final Clock clock;

  private Reports(LogDatabase db, LogMaintenance maintenance, PolicyHolder holder, Store store, ReportMetrics metrics,
      Clock clock, Executor dryRunner) {
    this.db = db;
    this.maintenance = maintenance;
    this.metrics = metrics;
    this.clock = clock;
    this.zone = () -> holder.current().timezone();
    this.traffic = new TrafficReports(db);
    this.staff = new StaffReports(store.unblocks(), store.alerts(), store.audit());
    this.timelines = new PersonTimeline(db, () -> holder.current().alertPolicy(), store.alerts(),
        new PersonViews(store.audit()));
    this.evidence = new EvidenceBuilder(holder, staff, store.audit(), store.incidents(), clock);
    this.digest = new WeeklyDigest(store.incidents(), db::dirs, db.dir().toString(), null);
    this.dryRuns = new DryRuns(db, holder, clock, metrics, dryRunner);
  }

  /**
   * Opens the reports over {@code accessLogDir} without the maintenance thread (tools, tests:
   * call {@link #maintenance()}{@code .runOnce()}).
   */
  public static Reports open(Path accessLogDir, ReportsSettings settings, PolicyHolder holder, Store store,
      MeterRegistry registry, Clock clock) {
    return open(accessLogDir, settings, holder, store, registry, clock, null);
  }

  /**
   * As {@link #open(Path, ReportsSettings, PolicyHolder, Store, MeterRegistry, Clock)}, with policy
   * dry runs executed on {@code dryRunner} (owned by the caller; tests hold a run there to see it
   * running), or on the service's own thread when null.
   */
  public static Reports open(Path accessLogDir, ReportsSettings settings, PolicyHolder holder, Store store,
      MeterRegistry registry, Clock clock, Executor dryRunner) {
    Objects.requireNonNull(holder, "holder");
    Objects.requireNonNull(store, "store");
    ReportMetrics metrics = new ReportMetrics(registry);
    LogDatabase db = LogDatabase.open(accessLogDir, settings, () -> holder.current().timezone());
    LogMaintenance maintenance = new LogMaintenance(db, store.audit(), settings, clock, metrics);
    return new Reports(db, maintenance, holder, store, metrics, clock, dryRunner);
  }

  /** Opens the reports and starts the {@code schoolgate-reports} thread (Parquet conversion, retention). */
  public static Reports start(Path accessLogDir, ReportsSettings settings, PolicyHolder holder, Store store,
      MeterRegistry registry, Clock clock) {
    Reports reports = open(accessLogDir, settings, holder, store, registry, clock);
    reports.maintenance.start();
    return reports;
  }

  /**
   * The whole local days from {@code days - 1} before today to the end of today (the end, not
   * now: stores keep milliseconds, so a record written this millisecond is in it).
   */
  public Period lastDays(int days) {
    ZoneId z = zone.get();
    LocalDate today = clock.instant().atZone(z).toLocalDate();
    return Period.days(today.minusDays(days - 1L), today, z);
  }

  /** The clock the reports read "now" from. */
  public Clock clock() {
    return clock;
  }

  /** The school's time zone. */
  public ZoneId zone() {
    return zone.get();
  }

  public TrafficReports.BlockedOverTime blocked(Viewer viewer, Period period, Bucket bucket) {
    viewer.require("the blocked-requests report", AGGREGATES);
    return metrics.query(ReportMetrics.Report.BLOCKED).record(() -> traffic.blocked(viewer, period, bucket));
  }

  public TrafficReports.TopSites topBlocked(Viewer viewer, Period period, int limit) {
    viewer.require("the top blocked sites", AGGREGATES);
    checkLimit(limit, 500);
    return metrics.query(ReportMetrics.Report.TOP_BLOCKED).record(() -> traffic.topBlocked(viewer, period, limit));
  }

  public TrafficReports.Bypasses bypasses(Viewer viewer, Period period, int limit) {
    viewer.require("the filter-bypass report", AGGREGATES);
    checkLimit(limit, 500);
    return metrics.query(ReportMetrics.Report.BYPASSES).record(() -> traffic.bypasses(viewer, period, limit));
  }

  public StaffReports.Unblocks unblocks(Viewer viewer, Period period) {
    viewer.require("the unblocks report", AGGREGATES);
    return metrics.query(ReportMetrics.Report.UNBLOCKS).record(() -> staff.unblocks(viewer, period));
  }

  public StaffReports.Alerts alerts(Viewer viewer, Period period) {
    viewer.require("the alerts report", AGGREGATES);
    return metrics.query(ReportMetrics.Report.ALERTS).record(() -> staff.alerts(viewer, period));
  }

  public StaffReports.Audit audit(Viewer viewer, Period period, String typePrefix, int limit) {
    viewer.require("the audit report", AUDITORS);
    checkLimit(limit, 10_000);
    return metrics.query(ReportMetrics.Report.AUDIT).record(() -> staff.audit(viewer, period, typePrefix, limit));
  }

  /** {@code person}'s activity from {@code from} to {@code to}; audited. */
  public Timeline timeline(Viewer viewer, Person person, Instant from, Instant to) {
    return metrics.query(ReportMetrics.Report.TIMELINE).record(() -> timelines.timeline(viewer, person, from, to));
  }

  /** The activity of the person alert {@code id} names, {@code span} either side; audited. */
  public Timeline aroundAlert(Viewer viewer, AlertId id, Duration span) {
    return metrics.query(ReportMetrics.Report.TIMELINE).record(() -> timelines.aroundAlert(viewer, id, span));
  }

  /** The weekly digest of the week holding {@code day} (Monday to Sunday). */
  public DigestData digest(Viewer viewer, LocalDate day) {
    viewer.require("the weekly digest", Role.DSL, Role.SENIOR_LEADER);
    LocalDate monday = day.with(TemporalAdjusters.previousOrSame(java.time.DayOfWeek.MONDAY));
    return metrics.query(ReportMetrics.Report.DIGEST).record(() -> digest.data(DigestSchedule.Week.of(monday,
        zone.get())));
  }

  public EvidencePack evidence(Viewer viewer, Period period) {
    viewer.require("the evidence pack", EVIDENCE);
    return metrics.query(ReportMetrics.Report.EVIDENCE).record(() -> evidence.build(viewer, period));
  }

  /** Policy dry runs. */
  public DryRuns dryRuns() {
    return dryRuns;
  }

  /** Parquet conversion and retention ({@link LogMaintenance#runOnce()} for tools and tests). */
  public LogMaintenance maintenance() {
    return maintenance;
  }

  private static void checkLimit(int limit, int max) {
    if (limit < 1 || limit > max) {
      throw ReportException.invalid("limit", "limit " + limit + " is out of range (expected: 1 to " + max + ")");
    }
  }

  /** Stops the dry runs and the maintenance thread, then closes DuckDB. */
  @Override
  public void close() {
    dryRuns.close();
    maintenance.close();
    db.close();
  }
}
