package org.schoolgate.alerts;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.schoolgate.store.Actor;
import org.schoolgate.store.AlertStore;
import org.schoolgate.store.NewAlert;
import org.schoolgate.store.StoreUnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns access events into alerts: {@link #offer} puts an event on a bounded queue and never
 * blocks (a full queue drops it and counts {@value #DROPPED}); one thread, {@code
 * schoolgate-alerts}, evaluates the {@link AlertRules} and raises each alert into the outbox as
 * {@code system:alerts}. While the store is unavailable it retries the same alert (same
 * idempotency key) with doubling waits, so an alert it decided to raise is not lost while the
 * process lives; events queue up behind it meanwhile.
 *
 * <pre>{@code
 * AlertEngine engine = AlertEngine.start(store.alerts(), registry, AlertSettings.DEFAULTS);
 * engine.offer(input);   // from any thread: never blocks
 * engine.close();        // evaluates what is queued, then stops
 * }</pre>
 */
public final class AlertEngine implements AutoCloseable {
  /** Events dropped because the queue was full (or the engine closed). */
  public static final String DROPPED = "schoolgate.alerts.dropped";
  /** Alerts raised into the outbox, by kind. */
  public static final String RAISED = "schoolgate.alerts.raised";
  /** Attempts to raise an alert that failed because the store was unavailable. */
  public static final String RETRIES = "schoolgate.alerts.retries";
  private static final Logger log = LoggerFactory.getLogger(AlertEngine.class);
  private static final Actor ACTOR = Actor.system("alerts");
  private static final AccessInput STOP = new AccessInput(java.time.Instant.EPOCH, java.time.ZoneOffset.UTC,
      null, null, null, null, null, List.of(), "stop", null, null);

  private final AlertStore alerts;
  private final AlertRules rules;
  private final AlertSettings settings;
  private final BlockingQueue<AccessInput> queue;
  private final MeterRegistry registry;
  private final Counter dropped;
  private final Counter retries;
  private final Thread thread;
  private volatile boolean closed;

  private AlertEngine(AlertStore alerts, MeterRegistry registry, AlertSettings settings) {
    this.alerts = alerts;
    this.settings = settings;
    this.rules = new AlertRules(settings);
    this.registry = registry;
    // one slot more than the capacity for the stop marker
    this.queue = new ArrayBlockingQueue<>(settings.queueCapacity() + 1);
    this.dropped = Counter.builder(DROPPED).description("Access events the alert rules never saw (queue full)")
        .register(registry);
    this.retries = Counter.builder(RETRIES).description("Alert raises retried because the store was unavailable")
        .register(registry);
    Gauge.builder("schoolgate.alerts.queue", queue, BlockingQueue::size)
        .description("Access events waiting for the alert rules").register(registry);
    this.thread = new Thread(this::run, "schoolgate-alerts");
    this.thread.setDaemon(true);
  }

  /** Starts the {@code schoolgate-alerts} thread. */
  public static AlertEngine start(AlertStore alerts, MeterRegistry registry, AlertSettings settings) {
    AlertEngine engine = new AlertEngine(Objects.requireNonNull(alerts, "alerts"),
        Objects.requireNonNull(registry, "registry"), Objects.requireNonNull(settings, "settings"));
    engine.thread.start();
    return engine;
  }

  /** Queues {@code event} for the rules; drops and counts it when the queue is full. Never blocks. */
  public void offer(AccessInput event) {
    if (closed || queue.size() >= settings.queueCapacity() || !queue.offer(event)) {
      dropped.increment();
    }
  }

  private void run() {
    try {
      while (true) {
        AccessInput event = queue.poll(1, TimeUnit.SECONDS);
        if (event == STOP || (event == null && closed)) {
          break; // a full queue may have refused the marker: closed and idle ends it too
        }
        if (event == null) {
          continue;
        }
        List<NewAlert> raise;
        try {
          raise = rules.evaluate(event);
        } catch (RuntimeException e) {
          log.error("alert rules failed on an event for {}", event.host(), e);
          continue;
        }
        for (NewAlert alert : raise) {
          raiseUntilStored(alert);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void raiseUntilStored(NewAlert alert) {
    long waitNanos = settings.firstRetry().toNanos();
    while (true) {
      try {
        alerts.raise(alert, ACTOR);
        Counter.builder(RAISED).tag("kind", alert.kind()).description("Alerts raised into the outbox, by kind")
            .register(registry).increment();
        return;
      } catch (StoreUnavailableException e) {
        retries.increment();
        log.warn("could not raise alert {} ({}); retrying in {} ms", alert.idempotencyKey(), e.getMessage(),
            TimeUnit.NANOSECONDS.toMillis(waitNanos));
      } catch (RuntimeException e) {
        log.error("alert {} rejected by the store; not retried", alert.idempotencyKey(), e);
        return;
      }
      java.util.concurrent.locks.LockSupport.parkNanos(this, waitNanos); // the backoff, on this thread only
      waitNanos = Math.min(waitNanos * 2, settings.maxRetry().toNanos());
    }
  }

  /** Events waiting for the rules. */
  public int depth() {
    return queue.size();
  }

  /**
   * Stops taking events, evaluates and raises what is queued, and stops the thread, waiting at
   * most {@code timeout} (a store that stays down keeps the thread retrying until the process ends).
   */
  public void close(Duration timeout) {
    if (closed) {
      return;
    }
    closed = true;
    queue.offer(STOP);
    try {
      thread.join(Math.max(1, timeout.toMillis()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** {@link #close(Duration)} with 10 seconds. */
  @Override
  public void close() {
    close(Duration.ofSeconds(10));
  }
}
