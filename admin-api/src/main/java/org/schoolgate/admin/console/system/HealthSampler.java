package org.schoolgate.admin.console.system;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Samples the meters the health page shows, every {@value #EVERY_SECONDS} s on the daemon thread
 * {@value #THREAD}, keeping the last {@value #KEPT} samples (ten minutes) for the rates and the
 * chart. Reads the shared registry by meter name (the proxy's, the resolver's and the alert
 * engine's catalogues register there in deploy); meters that are absent (the proxy is not running
 * in this process) read as zero. Nothing here blocks on I/O.
 */
public final class HealthSampler implements AutoCloseable {
  static final String THREAD = "schoolgate-console-health";
  static final int EVERY_SECONDS = 10;
  static final int KEPT = 60;

  /** Cumulative counts and current levels at one moment. */
  public record Sample(Instant at, double requests, double blocks, double dnsQueries, double dnsFailures,
      double interceptions, double accessLogQueue, double accessLogDropped, double alertQueue,
      double deliveryOldestPendingSeconds, double failClosed) {}

  private final MeterRegistry registry;
  private final Clock clock;
  private final ArrayDeque<Sample> samples = new ArrayDeque<>();
  private ScheduledExecutorService thread;

  HealthSampler(MeterRegistry registry, Clock clock) {
    this.registry = registry;
    this.clock = clock;
  }

  /** Takes a first sample and starts the thread. */
  public static HealthSampler start(MeterRegistry registry, Clock clock) {
    HealthSampler s = new HealthSampler(registry, clock);
    s.sample();
    s.thread = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, THREAD);
      t.setDaemon(true);
      return t;
    });
    s.thread.scheduleWithFixedDelay(s::sampleQuietly, EVERY_SECONDS, EVERY_SECONDS, TimeUnit.SECONDS);
    return s;
  }

  private void sampleQuietly() {
    try {
      sample();
    } catch (RuntimeException e) {
      org.slf4j.LoggerFactory.getLogger(HealthSampler.class).warn("health sample failed", e);
    }
  }

  /** Takes a sample now (the thread does this; tests call it directly). */
  public Sample sample() {
    Sample s = new Sample(clock.instant(), sum("schoolgate.requests", null),
        sum("schoolgate.requests", "block"), sum("schoolgate.dns.queries", null), sum("schoolgate.dns.failures", null),
        sum("schoolgate.interceptions", null), sum("schoolgate.accesslog.queue.depth", null),
        sum("schoolgate.accesslog.dropped", null), sum("schoolgate.alerts.queue", null),
        sum("schoolgate.alerts.delivery.oldest.pending.seconds", null), sum("schoolgate.decision.failclosed", null));
    synchronized (samples) {
      samples.addLast(s);
      while (samples.size() > KEPT) {
        samples.removeFirst();
      }
    }
    return s;
  }

  /** The kept samples, oldest first. */
  public List<Sample> samples() {
    synchronized (samples) {
      return new ArrayList<>(samples);
    }
  }

  private double sum(String name, String action) {
    double total = 0;
    for (Meter m : registry.find(name).meters()) {
      if (action != null && !action.equals(m.getId().getTag("action"))) {
        continue;
      }
      if (m instanceof Counter c) {
        total += c.count();
      } else if (m instanceof FunctionCounter f) {
        total += f.count();
      } else if (m instanceof Gauge g) {
        double v = g.value();
        total += Double.isNaN(v) ? 0 : v;
      }
    }
    return total;
  }

  @Override
  public void close() {
    if (thread != null) {
      thread.shutdownNow();
    }
  }
}
