package org.schoolgate.bench;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import org.schoolgate.policy.PolicyHolder;
import org.schoolgate.policy.sample.SamplePolicy;
import org.schoolgate.reports.Period;
import org.schoolgate.reports.Reports;
import org.schoolgate.reports.ReportsSettings;
import org.schoolgate.reports.Viewer;
import org.schoolgate.reports.dryrun.DryRun;
import org.schoolgate.reports.logdb.DaySummary;
import org.schoolgate.reports.people.Person;
import org.schoolgate.reports.traffic.Bucket;
import org.schoolgate.store.Actor;
import org.schoolgate.store.DatabaseConfig;
import org.schoolgate.store.Role;
import org.schoolgate.store.Store;

/**
 * The reports over a synthetic access log ({@link AccessLogGenerator}): how long each query a
 * person waits for takes over JSON lines and, after conversion, over Parquet, how long the
 * conversion takes, and the policy dry run's time and rate.
 *
 * <pre>
 * java -Xmx4g -cp benchmarks/target/benchmarks.jar org.schoolgate.bench.ReportsBench DIR PUPILS DAYS PER_DAY [dry-run|dry-run-only]
 * </pre>
 * {@code dry-run-only} converts what is not yet converted and times the dry run alone.
 * The log is generated into DIR when DIR has no day files. Over the JSON lines one query runs
 * once; after the conversion (which writes the day summaries) each query runs once cold, then five
 * times, with the summaries and again without them (deleted); the median and the worst of the
 * five are printed.
 */
public final class ReportsBench {
  private ReportsBench() {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args.length > 0 ? args[0] : "benchmarks/target/reportlog");
    int pupils = args.length > 1 ? Integer.parseInt(args[1]) : 500;
    int days = args.length > 2 ? Integer.parseInt(args[2]) : 7;
    int perDay = args.length > 3 ? Integer.parseInt(args[3]) : 2600;
    boolean dryRunOnly = args.length > 4 && args[4].equals("dry-run-only");
    boolean dryRun = args.length > 4 && args[4].equals("dry-run") || dryRunOnly;
    boolean hasLog;
    Files.createDirectories(dir);
    try (Stream<Path> files = Files.list(dir)) {
      hasLog = files.anyMatch(p -> p.getFileName().toString().endsWith(".jsonl"));
    }
    if (!hasLog) {
      long t0 = System.nanoTime();
      long n = AccessLogGenerator.write(dir, pupils, days, perDay);
      System.out.printf("generated %,d lines in %.1f s%n", n, (System.nanoTime() - t0) / 1e9);
    }
    Path work = Files.createTempDirectory("schoolgate-reports-bench");
    Clock clock = Clock.fixed(AccessLogGenerator.TODAY.atTime(14, 0).atZone(AccessLogGenerator.ZONE).toInstant(),
        AccessLogGenerator.ZONE);
    PolicyHolder holder = PolicyHolder.load(SamplePolicy.extractTo(work.resolve("policy")), clock);
    try (Store store = Store.open(DatabaseConfig.sqlite(work), clock);
        Reports reports = Reports.open(dir, ReportsSettings.DEFAULTS, holder, store, new SimpleMeterRegistry(),
            clock)) {
      Viewer governor = Viewer.of(new Actor(null, "governor", "127.0.0.1"), Role.GOVERNOR);
      Viewer dsl = Viewer.of(new Actor(null, "dsl", "127.0.0.1"), Role.DSL);
      Period week = Period.days(AccessLogGenerator.TODAY.minusDays(days), AccessLogGenerator.TODAY.minusDays(1),
          AccessLogGenerator.ZONE);
      Instant alert = AccessLogGenerator.TODAY.minusDays(2).atTime(11, 0).atZone(AccessLogGenerator.ZONE).toInstant();
      Runnable[] queries = {
        () -> reports.blocked(governor, week, Bucket.DAY),
        () -> reports.blocked(governor, week, Bucket.HOUR),
        () -> reports.topBlocked(governor, week, 20),
        () -> reports.bypasses(dsl, week, 20),
        () -> reports.timeline(dsl, Person.user("pupil7"), alert.minus(Duration.ofHours(1)),
            alert.plus(Duration.ofHours(1))),
      };
      String[] names = {"blocked by day", "blocked by hour", "top blocked sites", "bypasses", "timeline ±1h"};
      if (dryRunOnly) {
        long copies;
        try (Stream<Path> files = Files.list(dir)) {
          copies = files.filter(p -> p.getFileName().toString().matches(".*\\d\\.parquet")).count();
        }
        if (copies < days) {
          long t0 = System.nanoTime();
          var round = reports.maintenance().runOnce();
          System.out.printf("-- converted %d day(s) to Parquet in %.1f s%n", round.converted().size(),
              (System.nanoTime() - t0) / 1e9);
        }
        dryRun(reports, holder, days);
        return;
      }
      long j0 = System.nanoTime();
      queries[0].run();
      System.out.printf("-- over the JSON lines (no Parquet yet): %s once in %.1f s%n", names[0],
          (System.nanoTime() - j0) / 1e9);
      long t0 = System.nanoTime();
      var round = reports.maintenance().runOnce();
      System.out.printf("-- converted %d day(s) to Parquet in %.1f s%n", round.converted().size(),
          (System.nanoTime() - t0) / 1e9);
      System.out.println("-- with the day summaries (whole finished days read from them):");
      time(names, queries);
      // the same queries over the Parquet copies alone: the summaries removed (the next
      // maintenance round would write them again; this process runs none)
      try (Stream<Path> files = Files.list(dir)) {
        for (Path f : files.toList()) {
          for (DaySummary kind : DaySummary.values()) {
            if (f.getFileName().toString().endsWith(kind.suffix())) {
              Files.delete(f);
            }
          }
        }
      }
      System.out.println("-- without them (over the Parquet copies, as before the summaries):");
      time(names, queries);
      if (dryRun) {
        dryRun(reports, holder, days);
      }
    }
  }

  /**
   * A policy dry run over the {@code days}: the sample with video-broadcasting made acceptable.
   * Prints the progress as the page would show it, when the run moves from reading the log to
   * deciding, the wall and process CPU time, and the rate.
   */
  private static void dryRun(Reports reports, PolicyHolder holder, int days) throws Exception {
    String policy = Files.readString(holder.policyFile()).replace(
        "  video-broadcasting:\n    default: { at-times: [lunch, after-school] }\n",
        "  video-broadcasting:\n    default: acceptable\n");
    Viewer technician = Viewer.of(new Actor(null, "technician", "127.0.0.1"), Role.TECHNICIAN);
    long d0 = System.nanoTime();
    long dcpu = OS.getProcessCpuTime();
    DryRun run = reports.dryRuns().start(technician, policy, days);
    DryRun now = run;
    double shown = -1;
    String stage = now.stage();
    while (now.state().equals("running")) {
      LockSupport.parkNanos(200_000_000L);
      now = reports.dryRuns().get(technician, run.id());
      if (now.progress() - shown >= 0.1) {
        shown = now.progress();
        System.out.printf("   dry run %.0f %% (%s) after %.1f s%n", shown * 100, now.stage(),
            (System.nanoTime() - d0) / 1e9);
      }
      if (!now.stage().equals(stage)) {
        stage = now.stage();
        System.out.printf("   dry run now %s after %.1f s%n", stage, (System.nanoTime() - d0) / 1e9);
      }
    }
    double s = (System.nanoTime() - d0) / 1e9;
    System.out.printf("   (load average %.1f; process CPU during the run %.1f s)%n", OS.getSystemLoadAverage(),
        (OS.getProcessCpuTime() - dcpu) / 1e9);
    System.out.printf("-- dry run over %d days: %s, %,d requests in %.1f s (%,.0f/s); %,d allowed->blocked,"
        + " %,d blocked->allowed%n", days, now.state(), now.result() == null ? 0 : now.result().requests(), s,
        now.result() == null ? 0 : now.result().requests() / s,
        now.result() == null ? 0 : now.result().allowedToBlocked(),
        now.result() == null ? 0 : now.result().blockedToAllowed());
  }

  /**
   * Wall time and the process's CPU time (JVM and DuckDB's native threads) per query. On a shared
   * machine the wall time depends on the other load; the CPU time divided by DuckDB's threads is
   * what the query costs on an idle machine with that many cores.
   */
  private static void time(String[] names, Runnable[] queries) {
    System.out.printf("   (load average %.1f on %d cores)%n", OS.getSystemLoadAverage(),
        Runtime.getRuntime().availableProcessors());
    for (int q = 0; q < queries.length; q++) {
      long c0 = System.nanoTime();
      queries[q].run();
      double cold = (System.nanoTime() - c0) / 1e6;
      double[] ms = new double[5];
      double[] cpu = new double[5];
      for (int i = 0; i < ms.length; i++) {
        long t0 = System.nanoTime();
        long p0 = OS.getProcessCpuTime();
        queries[q].run();
        ms[i] = (System.nanoTime() - t0) / 1e6;
        cpu[i] = (OS.getProcessCpuTime() - p0) / 1e6;
      }
      Arrays.sort(ms);
      Arrays.sort(cpu);
      System.out.printf("   %-18s cold %7.0f ms, median %7.0f ms, worst %7.0f ms; CPU median %7.0f ms%n", names[q],
          cold, ms[2], ms[4], cpu[2]);
    }
  }

  private static final com.sun.management.OperatingSystemMXBean OS =
      (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
}
