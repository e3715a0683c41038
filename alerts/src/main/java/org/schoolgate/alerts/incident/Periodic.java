package org.schoolgate.alerts.incident;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** One named daemon thread running a task at a fixed delay, and its orderly stop. */
final class Periodic {
  private Periodic() {}

  /** Runs {@code task} every {@code period} (first run after one period) on a daemon thread. */
  static ScheduledExecutorService start(String threadName, Duration period, Runnable task) {
    ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, threadName);
      t.setDaemon(true);
      return t;
    });
    executor.scheduleWithFixedDelay(task, period.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
    return executor;
  }

  /**
   * Stops {@code executor} (null: nothing to stop); a run under way finishes first, waiting at
   * most 10 seconds.
   */
  static void stop(ScheduledExecutorService executor) {
    if (executor == null) {
      return;
    }
    executor.shutdown();
    try {
      executor.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
