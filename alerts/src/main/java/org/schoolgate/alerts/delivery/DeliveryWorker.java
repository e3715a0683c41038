package org.schoolgate.alerts.delivery;

import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.schoolgate.store.Alert;
import org.schoolgate.store.AlertId;
import org.schoolgate.store.Delivery;
import org.schoolgate.store.PlannedDelivery;
import org.schoolgate.store.Store;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers the alert outbox on one thread, {@code schoolgate-alert-delivery}: every
 * {@link DeliveryConfig#poll()} (500 ms), or at once after {@link #wake()}, it plans the alerts
 * nobody planned yet (routes, grouping) and sends the deliveries that are due, most overdue
 * first. A failed attempt that may pass later (server down, 408, 429, 5xx) is retried after
 * {@code firstRetry} doubling up to {@code maxRetry}, until {@code giveUpAfter} has passed since
 * planning (then failed, logged as an error and counted); a refusal fails at once. On start it
 * picks up whatever was pending before a restart. A delivery whose alert belongs to an incident the
 * DSL has closed is suppressed, not sent. No caller ever waits for it; a store outage
 * only costs rounds (logged, counted) until the store is back.
 *
 * <pre>{@code
 * DeliveryWorker worker = DeliveryWorker.start(store, config, registry, Clock.systemUTC());
 * worker.wake();    // optional: after raising an alert, to skip the poll wait
 * worker.close();   // finishes the message in flight, then stops
 * }</pre>
 */
public final class DeliveryWorker implements AutoCloseable {
  /** The thread's name. */
  public static final String THREAD = "schoolgate-alert-delivery";
  private static final Logger log = LoggerFactory.getLogger(DeliveryWorker.class);
  private static final int PLAN_BATCH = 100;
  private static final int SEND_BATCH = 50;
  private static final int CACHED_ALERTS = 1000;

  private final Store store;
  private final DeliveryConfig config;
  private final Clock clock;
  private final Planner planner;
  private final Channels channels;
  private final DeliveryMetrics metrics;
  private final ScheduledExecutorService executor;
  private final AtomicBoolean wakeQueued = new AtomicBoolean();
  private final Map<AlertId, Alert> alerts = new LinkedHashMap<>(64, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<AlertId, Alert> eldest) {
      return size() > CACHED_ALERTS;
    }
  };
  private volatile boolean closed;
  private boolean lastRoundFailed;

  private DeliveryWorker(Store store, DeliveryConfig config, MeterRegistry registry, Clock clock) {
    this.store = store;
    this.config = config;
    this.clock = clock;
    this.planner = new Planner(config, store.deliveries());
    this.channels = new Channels(config, clock);
    this.metrics = new DeliveryMetrics(registry);
    this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, THREAD);
      t.setDaemon(true);
      return t;
    });
  }

  /**
   * Starts delivering. Fails at once (before any thread starts) if the SMTP password cannot be
   * read.
   */
  public static DeliveryWorker start(Store store, DeliveryConfig config, MeterRegistry registry, Clock clock) {
    DeliveryWorker worker = new DeliveryWorker(Objects.requireNonNull(store, "store"),
        Objects.requireNonNull(config, "config"), Objects.requireNonNull(registry, "registry"),
        Objects.requireNonNull(clock, "clock"));
    log.info("alert delivery started: {} route(s), {}{} webhook(s)", config.routes().size(),
        config.smtp() == null ? "no smtp, " : config.smtp() + ", ", config.webhooks().size());
    worker.executor.scheduleWithFixedDelay(worker::round, 0, config.poll().toMillis(), TimeUnit.MILLISECONDS);
    return worker;
  }

  /** Runs a round soon instead of at the next poll. Never blocks. */
  public void wake() {
    if (!closed && wakeQueued.compareAndSet(false, true)) {
      try {
        executor.execute(() -> {
          wakeQueued.set(false);
          round();
        });
      } catch (java.util.concurrent.RejectedExecutionException e) {
        wakeQueued.set(false); // closing
      }
    }
  }

  private void round() {
    if (closed) {
      return;
    }
    try {
      while (!closed && planSome() == PLAN_BATCH) {
        // more to plan
      }
      while (!closed && sendSome() == SEND_BATCH) {
        // more due
      }
      Optional<Instant> oldest = store.deliveries().oldestPending();
      metrics.oldestPending(oldest.map(t -> Duration.between(t, clock.instant()).toSeconds()).orElse(0L));
      if (lastRoundFailed) {
        log.info("alert delivery is working again");
        lastRoundFailed = false;
      }
    } catch (RuntimeException e) {
      metrics.roundFailed();
      if (!lastRoundFailed) {
        log.warn("alert delivery round failed (retrying every {} ms): {}", config.poll().toMillis(), e.toString());
        lastRoundFailed = true;
      }
    }
  }

  private int planSome() {
    List<Alert> unplanned = store.deliveries().unplanned(PLAN_BATCH);
    for (Alert alert : unplanned) {
      if (closed) {
        break;
      }
      Planner.Plan plan = planner.plan(alert);
      if (!store.deliveries().plan(alert.id(), plan.deliveries(), plan.note())) {
        continue; // another node planned it
      }
      alerts.put(alert.id(), alert);
      if (plan.deliveries().isEmpty()) {
        metrics.noRoute();
        log.warn("alert {} ({} {} for {}) matches no delivery route: not sent", alert.id(),
            alert.content().severity().apiName(), alert.content().kind(), alert.content().audience().apiName());
      }
      for (PlannedDelivery d : plan.deliveries()) {
        if (d.state() == Delivery.State.SUPPRESSED) {
          metrics.suppressed(d.channel());
          log.info("alert {} to {}:{} {}", alert.id(), d.channel().apiName(), d.recipient(), d.reason());
        }
      }
    }
    return unplanned.size();
  }

  private int sendSome() {
    Instant now = clock.instant();
    List<Delivery> due = store.deliveries().claimDue(now, config.lease(), SEND_BATCH);
    Map<String, String> downThisRound = new HashMap<>();
    Map<AlertId, Optional<String>> closedIncidents = new HashMap<>();
    for (Delivery d : due) {
      if (closed) {
        // hand the rest back at once rather than at the end of its lease
        store.deliveries().markRetry(d.id(), now, d.lastError() == null ? "not tried before shutdown" : d.lastError());
        continue;
      }
      Optional<String> dealtWith = closedIncidents.computeIfAbsent(d.alertId(),
          id -> store.deliveries().closedIncident(id));
      if (dealtWith.isPresent()) {
        // the DSL closed the incident before this went out (or before a restart): never send it
        store.deliveries().markSuppressed(d.id(), dealtWith.get());
        metrics.suppressed(d.channel());
        log.info("alert {} to {}:{} {}", d.alertId(), d.channel().apiName(), d.recipient(), dealtWith.get());
        continue;
      }
      String target = channels.target(d);
      String down = downThisRound.get(target);
      Outcome outcome;
      if (down != null) {
        outcome = new Outcome.Retry("not tried: " + down);
      } else {
        outcome = sendOne(d);
        if (outcome instanceof Outcome.Retry r) {
          downThisRound.put(target, r.reason());
        }
      }
      record(d, outcome);
    }
    return due.size();
  }

  /** One attempt; a bug in formatting or sending is a retry (logged), never a lost delivery or a dead round. */
  private Outcome sendOne(Delivery d) {
    try {
      return channels.send(alert(d.alertId()), d);
    } catch (org.schoolgate.store.StoreUnavailableException e) {
      throw e;
    } catch (RuntimeException e) {
      log.error("alert {} to {}:{}: unexpected failure", d.alertId(), d.channel().apiName(), d.recipient(), e);
      return new Outcome.Retry("unexpected failure: " + e);
    }
  }

  private void record(Delivery d, Outcome outcome) {
    Instant now = clock.instant();
    if (outcome instanceof Outcome.Sent) {
      store.deliveries().markSent(d.id(), now);
      metrics.sent(d.channel());
      log.info("alert {} sent to {}:{}", d.alertId(), d.channel().apiName(), d.recipient());
    } else if (outcome instanceof Outcome.Reject r) {
      store.deliveries().markFailed(d.id(), r.reason());
      metrics.failed(d.channel());
      log.error("alert {} to {}:{} refused, not retried: {}", d.alertId(), d.channel().apiName(), d.recipient(),
          r.reason());
    } else if (outcome instanceof Outcome.Retry r) {
      if (!now.isBefore(d.createdAt().plus(config.giveUpAfter()))) {
        String reason = "gave up after " + d.attempts() + " attempt(s) over " + config.giveUpAfter() + ": "
            + r.reason();
        store.deliveries().markFailed(d.id(), reason);
        metrics.failed(d.channel());
        log.error("alert {} to {}:{} {}", d.alertId(), d.channel().apiName(), d.recipient(), reason);
        return;
      }
      Duration wait = backoff(d.attempts());
      store.deliveries().markRetry(d.id(), now.plus(wait), r.reason());
      metrics.retried(d.channel());
      log.warn("alert {} to {}:{} failed (attempt {}), retrying in {}: {}", d.alertId(), d.channel().apiName(),
          d.recipient(), d.attempts(), wait, r.reason());
    }
  }

  /** The wait after the {@code attempts}-th failed attempt: firstRetry doubling, at most maxRetry. */
  Duration backoff(int attempts) {
    Duration wait = config.firstRetry();
    for (int i = 1; i < attempts && wait.compareTo(config.maxRetry()) < 0; i++) {
      wait = wait.multipliedBy(2);
    }
    return wait.compareTo(config.maxRetry()) > 0 ? config.maxRetry() : wait;
  }

  private Alert alert(AlertId id) {
    Alert cached = alerts.get(id);
    if (cached != null) {
      return cached;
    }
    Alert alert = store.alerts().get(id).orElseThrow(() -> new IllegalStateException("alert " + id
        + " has deliveries but does not exist"));
    alerts.put(id, alert);
    return alert;
  }

  /** Stops: the message in flight is finished, then the thread ends (waits at most {@code timeout}). */
  public void close(Duration timeout) {
    if (closed) {
      return;
    }
    closed = true;
    executor.shutdown();
    try {
      if (!executor.awaitTermination(Math.max(1, timeout.toMillis()), TimeUnit.MILLISECONDS)) {
        log.warn("alert delivery did not stop within {}", timeout);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** {@link #close(Duration)} with 30 seconds. */
  @Override
  public void close() {
    close(Duration.ofSeconds(30));
  }
}
