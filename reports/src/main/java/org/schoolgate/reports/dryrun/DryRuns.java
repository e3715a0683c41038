package org.schoolgate.reports.dryrun;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.schoolgate.policy.PolicyError;
import org.schoolgate.policy.PolicyException;
import org.schoolgate.policy.PolicyHolder;
import org.schoolgate.policy.compile.CompiledPolicy;
import org.schoolgate.policy.compile.PolicyCompiler;
import org.schoolgate.reports.ReportException;
import org.schoolgate.reports.ReportMetrics;
import org.schoolgate.reports.Viewer;
import org.schoolgate.reports.logdb.LogDatabase;
import org.schoolgate.reports.logdb.LogSource;
import org.schoolgate.store.Role;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Policy dry runs: "what would this change have done to last week's traffic?"
 *
 * <p>{@link #start} validates the candidate at once, on the caller's thread, like a policy file:
 * it is written beside the policy in force (so its relative list paths mean the same lists),
 * compiled, and removed; errors come back as {@code candidate.yaml:LINE: field: message}. The run
 * then reads the last {@code days} whole days before today on the {@code schoolgate-dry-run}
 * thread. One run at a time per node: starting another while one runs is a conflict. The last
 * {@value #KEPT} runs are kept in memory for their results.
 *
 * <pre>{@code
 * DryRun run = dryRuns.start(viewer, candidateYaml, 7);
 * while (dryRuns.get(viewer, run.id()).state().equals("running")) { ... show progress ... }
 * }</pre>
 */
public final class DryRuns implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(DryRuns.class);
  /** The most days a run covers. */
  public static final int MAX_DAYS = 31;
  /** The largest candidate file. */
  public static final int MAX_BYTES = 1 << 20;
  /** The name errors give the candidate. */
  public static final String CANDIDATE = "candidate.yaml";
  static final int KEPT = 10;

  private final LogDatabase db;
  private final PolicyHolder holder;
  private final Clock clock;
  private final ReportMetrics metrics;
  private final ExecutorService thread;
  private final Executor runner;
  private final SecureRandom random = new SecureRandom();
  private final Map<String, Run> runs = new LinkedHashMap<>();

  public DryRuns(LogDatabase db, PolicyHolder holder, Clock clock, ReportMetrics metrics) {
    this(db, holder, clock, metrics, null);
  }

  /**
   * As above, with the runs executed on {@code runner} (owned by the caller) instead of this
   * service's own {@code schoolgate-dry-run} thread; null: its own thread.
   */
  public DryRuns(LogDatabase db, PolicyHolder holder, Clock clock, ReportMetrics metrics, Executor runner) {
    this.db = db;
    this.holder = holder;
    this.clock = clock;
    this.metrics = metrics;
    this.thread = runner != null ? null : Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "schoolgate-dry-run");
      t.setDaemon(true);
      return t;
    });
    this.runner = runner != null ? runner : thread;
  }

  /** One run's mutable state; read through {@link #view()}. */
  private static final class Run {
    final String id;
    final String startedBy;
    final Instant startedAt;
    final int days;
    final Instant from;
    final Instant to;
    final DryRunJob job;
    volatile String state = "running";
    volatile Instant finishedAt;
    volatile DryRun.Result result;
    volatile String error;

    Run(String id, String startedBy, Instant startedAt, int days, Instant from, Instant to, DryRunJob job) {
      this.id = id;
      this.startedBy = startedBy;
      this.startedAt = startedAt;
      this.days = days;
      this.from = from;
      this.to = to;
      this.job = job;
    }

    DryRun view() {
      boolean done = "done".equals(state);
      boolean finished = !"running".equals(state);
      long total = job.total;
      long processed = done ? total : job.processed;
      double progress = done ? 1.0 : Math.min(1.0, job.progress());
      return new DryRun(id, state, startedBy, startedAt, finishedAt, days, from, to, total, processed,
          Math.floor(progress * 1000) / 1000.0, finished ? "finished" : job.stage, result, error);
    }
  }

  /** Validates {@code yaml} and starts a run over the last {@code days} whole days. */
  public synchronized DryRun start(Viewer viewer, String yaml, int days) {
    viewer.require("a policy dry run", Role.TECHNICIAN, Role.SENIOR_LEADER);
    if (days < 1 || days > MAX_DAYS) {
      throw ReportException.invalid("days", "days " + days + " is out of range (expected: 1 to " + MAX_DAYS
          + ", e.g. 7 for last week)");
    }
    if (yaml == null || yaml.isBlank()) {
      throw ReportException.invalid("policy", "policy is empty (expected: the candidate policy file's YAML text)");
    }
    if (yaml.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
      throw ReportException.invalid("policy", "the candidate policy is larger than " + MAX_BYTES
          + " bytes (expected: a policy file; lists stay in their own files)");
    }
    for (Run r : runs.values()) {
      if (r.state.equals("running")) {
        throw ReportException.conflict("a dry run is already running on this node (" + r.id + ", started by "
            + r.startedBy + " at " + r.startedAt + "); wait for it or cancel it");
      }
    }
    CompiledPolicy candidate = compile(yaml);
    ZoneId zone = candidate.timezone();
    LocalDate today = clock.instant().atZone(zone).toLocalDate();
    Instant from = today.minusDays(days).atStartOfDay(zone).toInstant();
    Instant to = today.atStartOfDay(zone).toInstant();
    LogSource source;
    try {
      source = db.source(new org.schoolgate.reports.Period(from, to, zone));
    } catch (IOException e) {
      throw ReportException.unavailable("cannot list the access log in " + db.dir() + ": " + e.getMessage(), e);
    }
    String id = HexFormat.of().formatHex(bytes());
    Run run = new Run(id, viewer.actor().name(), clock.instant(), days, from, to,
        new DryRunJob(candidate, source, from, to));
    runs.put(id, run);
    while (runs.size() > KEPT) {
      String oldest = runs.keySet().iterator().next();
      if (runs.get(oldest).state.equals("running")) {
        break;
      }
      runs.remove(oldest);
    }
    runner.execute(() -> execute(run));
    log.info("dry run {} started by {}: {} day(s) from {} ({} file(s))", id, run.startedBy, days, from,
        source.files());
    return run.view();
  }

  private byte[] bytes() {
    byte[] b = new byte[8];
    random.nextBytes(b);
    return b;
  }

  private void execute(Run run) {
    try {
      DryRun.Result result = run.job.run(db);
      if (result == null) {
        run.state = "cancelled";
      } else {
        run.result = result;
        metrics.dryRunRequests().increment(result.redecided());
        run.state = "done";
      }
    } catch (Exception e) {
      run.error = "the access log could not be read: " + e.getMessage();
      run.state = "failed";
      log.warn("dry run {} failed: {}", run.id, e.toString());
    } finally {
      run.finishedAt = clock.instant();
    }
    log.info("dry run {} {}: {} requests read, {} distinct requests decided", run.id, run.state, run.job.total,
        run.job.distinct);
  }

  /** The run {@code id}. */
  public synchronized DryRun get(Viewer viewer, String id) {
    viewer.require("a policy dry run", Role.TECHNICIAN, Role.SENIOR_LEADER);
    return find(id).view();
  }

  /** Cancels the run {@code id} (a finished run stays as it is). */
  public synchronized DryRun cancel(Viewer viewer, String id) {
    viewer.require("a policy dry run", Role.TECHNICIAN, Role.SENIOR_LEADER);
    Run run = find(id);
    if (run.state.equals("running")) {
      run.job.cancel();
    }
    return run.view();
  }

  /** The runs kept, newest first. */
  public synchronized List<DryRun> list(Viewer viewer) {
    viewer.require("a policy dry run", Role.TECHNICIAN, Role.SENIOR_LEADER);
    List<DryRun> all = new ArrayList<>();
    for (Run r : runs.values()) {
      all.add(0, r.view());
    }
    return all;
  }

  private Run find(String id) {
    Run run = id == null ? null : runs.get(id);
    if (run == null) {
      throw ReportException.notFound("there is no dry run " + id + " on this node (GET /api/v1/reports/dry-runs"
          + " lists them)");
    }
    return run;
  }

  /** Compiles the candidate beside the policy in force; errors name {@value #CANDIDATE}. */
  CompiledPolicy compile(String yaml) {
    Path dir = holder.policyFile().toAbsolutePath().getParent();
    Path file = dir.resolve(".dry-run-" + HexFormat.of().formatHex(bytes()) + ".yaml");
    try {
      Files.writeString(file, yaml, StandardCharsets.UTF_8);
      return PolicyCompiler.compileFile(file, clock);
    } catch (PolicyException e) {
      List<String> errors = new ArrayList<>();
      for (PolicyError err : e.errors()) {
        errors.add(err.toString().replace(file.toString(), CANDIDATE));
      }
      throw ReportException.invalidFile("policy", "the candidate policy has " + errors.size() + " error"
          + (errors.size() == 1 ? "" : "s") + ": " + errors.get(0) + (errors.size() > 1 ? " (and more: see details)"
          : ""), errors);
    } catch (IOException e) {
      throw ReportException.unavailable("cannot write the candidate beside the policy in " + dir + ": "
          + e.getMessage(), e);
    } finally {
      try {
        Files.deleteIfExists(file);
      } catch (IOException e) {
        log.warn("could not remove the dry run's candidate file {}: {}", file, e.toString());
      }
    }
  }

  /** Cancels a running job and stops the thread. */
  @Override
  public synchronized void close() {
    for (Run r : runs.values()) {
      if (r.state.equals("running")) {
        r.job.cancel();
      }
    }
    if (thread == null) {
      return;
    }
    thread.shutdownNow();
    try {
      thread.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
