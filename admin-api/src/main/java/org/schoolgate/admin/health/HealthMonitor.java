package org.schoolgate.admin.health;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the {@link HealthChecks} every period and publishes the {@link HealthReport} that
 * {@code /healthz} and the {@code schoolgate.health{check}} gauges ({@code AdminMetrics}) read, so
 * answering a load balancer never waits for a database.
 *
 * <p>One scheduler thread ({@code schoolgate-health}) starts each round; the checks run side by
 * side on {@code schoolgate-health-check-N} threads (one per check at most). A check that has not
 * answered within the timeout is reported degraded ("did not answer within 4s"); while it still
 * runs, later rounds report it degraded again instead of starting it twice, so a hung database
 * call never piles up threads. Changes of a check's status are logged once.
 *
 * <pre>{@code
 * try (HealthMonitor health = HealthMonitor.start(HealthChecks.of(checks), clock)) {
 *   health.report().status();   // the last round
 * }
 * }</pre>
 */
public final class HealthMonitor implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(HealthMonitor.class);

  private final HealthChecks checks;
  private final Clock clock;
  private final ScheduledExecutorService scheduler;
  private final ExecutorService runners;
  /** The check still running from an earlier round, and since when (scheduler thread only). */
  private final Map<String, Future<CheckResult>> running = new HashMap<>();
  private final Map<String, Instant> runningSince = new HashMap<>();
  private volatile HealthReport report;

  private HealthMonitor(HealthChecks checks, Clock clock) {
    this.checks = checks;
    this.clock = clock;
    this.scheduler = new ScheduledThreadPoolExecutor(1, daemon("schoolgate-health"));
    int n = Math.max(1, checks.checks().size());
    this.runners = new ThreadPoolExecutor(n, n, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(n),
        daemon("schoolgate-health-check-"));
    ((ThreadPoolExecutor) runners).allowCoreThreadTimeOut(true);
  }

  /**
   * Runs a first round before returning (so the first {@code /healthz} is a real answer), then
   * one every {@code checks.period()}.
   */
  public static HealthMonitor start(HealthChecks checks, Clock clock) {
    Objects.requireNonNull(checks, "checks");
    Objects.requireNonNull(clock, "clock");
    HealthMonitor monitor = new HealthMonitor(checks, clock);
    try {
      monitor.scheduler.submit(monitor::round).get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException e) {
      throw new IllegalStateException("the first health round failed", e.getCause());
    }
    long period = checks.period().toMillis();
    monitor.scheduler.scheduleWithFixedDelay(monitor::round, period, period, TimeUnit.MILLISECONDS);
    return monitor;
  }

  /** The checks' names, in order (the gauges' fixed tag set). */
  public java.util.List<String> names() {
    return checks.checks().stream().map(HealthCheck::name).toList();
  }

  /** The last round's report. */
  public HealthReport report() {
    return report;
  }

  /** Runs a round now and returns its report (waits for it; not from a request thread). */
  public HealthReport refresh() throws InterruptedException {
    try {
      scheduler.submit(this::round).get();
    } catch (ExecutionException e) {
      throw new IllegalStateException("a health round failed", e.getCause());
    }
    return report;
  }

  /** One round: start every check that is not still running, wait for all up to the timeout, publish. */
  private void round() {
    Instant started = clock.instant();
    long deadline = System.nanoTime() + checks.timeout().toNanos();
    Map<String, CheckResult> results = new LinkedHashMap<>();
    for (HealthCheck c : checks.checks()) {
      if (!running.containsKey(c.name())) {
        running.put(c.name(), runners.submit(c::check));
        runningSince.put(c.name(), started);
      }
    }
    for (HealthCheck c : checks.checks()) {
      results.put(c.name(), await(c.name(), deadline));
    }
    HealthReport previous = report;
    report = new HealthReport(started, results);
    logChanges(previous, report);
  }

  private CheckResult await(String name, long deadline) {
    Future<CheckResult> future = running.get(name);
    try {
      CheckResult result = future.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      running.remove(name);
      return result == null ? CheckResult.degraded("the check answered nothing") : result;
    } catch (TimeoutException e) {
      return CheckResult.degraded("the check did not answer within " + pretty(checks.timeout())
          + " (running since " + runningSince.get(name) + ")");
    } catch (ExecutionException e) {
      running.remove(name);
      return CheckResult.degraded("the check failed: " + e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return CheckResult.degraded("the check was interrupted");
    }
  }

  /** Logs each check whose status changed since the previous round (not the first round: start-up). */
  private static void logChanges(HealthReport previous, HealthReport now) {
    if (previous == null) {
      return;
    }
    now.results().forEach((name, r) -> {
      CheckResult before = previous.results().get(name);
      if (before == null || before.status() != r.status()) {
        if (r.status() == HealthStatus.OK) {
          log.info("health: {} is ok again: {}", name, r.text());
        } else {
          log.warn("health: {} is {}: {}", name, r.status().apiName(), r.text());
        }
      }
    });
  }

  private static String pretty(Duration d) {
    return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
  }

  private static java.util.concurrent.ThreadFactory daemon(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix.endsWith("-") ? prefix + n.incrementAndGet() : prefix);
      t.setDaemon(true);
      return t;
    };
  }

  /** Stops the rounds; a check still running is interrupted. */
  @Override
  public void close() {
    scheduler.shutdownNow();
    runners.shutdownNow();
  }
}
