package org.schoolgate.alerts;

import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.schoolgate.store.Actor;
import org.schoolgate.store.AlertStore;
import org.schoolgate.store.AlertTally;
import org.schoolgate.store.NewAlert;
import org.schoolgate.store.StoreUnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns access events into alerts: {@link #offer} puts an event on a bounded queue; one thread,
 * {@code schoolgate-alerts}, evaluates the {@link AlertRules} (tuned by the policy's
 * {@code alerts:} section when a policy supplier is given) and raises each alert into the outbox
 * as {@code system:alerts}. While the store is unavailable it retries the same alert (same
 * idempotency key) with doubling waits, so an alert it decided to raise is not lost while the
 * process lives; events queue up behind it meanwhile. Each alert is raised with its event's time,
 * so one that comes late for an incident the DSL has since closed (a replay after a restart, a
 * long store outage) joins that incident quietly and is never delivered.
 *
 * <p>A full queue loses nothing: the event is counted ({@value #OVERFLOW}) and evaluated on the
 * caller's thread (the proxy's access-log thread, never an event loop), which tries each alert
 * once and, if the store is unavailable, leaves it to the engine's thread to retry. Events
 * offered after {@link #close} are dropped and counted ({@value #DROPPED}).
 *
 * <p>Started with a checkpoint directory (the access-log directory), the engine's thread records
 * its {@link Checkpoint} — the last event whose alerts are safely in the outbox — in
 * {@code alerts.checkpoint} there, at most once a second and on close, so that after a crash
 * {@code org.schoolgate.alerts.replay.AlertReplay} raises the alerts of the events that followed
 * it from the access-log files ({@link #replay}) before live events arrive. The checkpoint counts
 * only events this thread handled, in the order offered, and never moves while an alert waits to
 * be retried; it assumes one caller offering events in the log's order (the access-log thread).
 *
 * <p>Started with an {@link AlertTally} (several nodes on one PostgreSQL), the engine's thread also
 * publishes the attempts the threshold rules counted here and reads the other nodes' about once a
 * second ({@link #SYNC_EVERY_NANOS}; one batched upsert and one select, never per request), then
 * raises what the others' counts tip over a threshold; counts it cannot publish are kept and
 * published with the next batch.
 *
 * <pre>{@code
 * AlertEngine engine = AlertEngine.start(store.alerts(), registry, AlertSettings.DEFAULTS,
 *     () -> holder.current().alertPolicy());
 * engine.offer(input);   // from the access-log thread: queues, or evaluates inline when full
 * engine.close();        // evaluates what is queued, then stops
 * }</pre>
 */
public final class AlertEngine implements AutoCloseable {
  /** Events (and system alerts) dropped because they were offered after the engine closed. */
  public static final String DROPPED = "schoolgate.alerts.dropped";
  /** Events that found the queue full and were evaluated on the caller's thread instead. */
  public static final String OVERFLOW = "schoolgate.alerts.overflow";
  /** Alerts raised into the outbox, by kind. */
  public static final String RAISED = "schoolgate.alerts.raised";
  /** Attempts to raise an alert that failed because the store was unavailable. */
  public static final String RETRIES = "schoolgate.alerts.retries";
  private static final Logger log = LoggerFactory.getLogger(AlertEngine.class);
  private static final long CHECKPOINT_EVERY_NANOS = 1_000_000_000L;
  private static final long SYNC_EVERY_NANOS = 1_000_000_000L;
  /**
   * How long the thread naps when the queue runs empty before it waits on the queue: an offer
   * wakes only a thread waiting on the queue (a futex call on each side, per event: under load,
   * with the access log handing on its batches event by event, that was 7 % of the proxy's CPU on
   * keep-alive requests), so a napping thread collects what arrives meanwhile for nothing. Alerts
   * come at most this much later.
   */
  static final long NAP_NANOS = 5_000_000L;
  private static final long FORGET_EVERY_NANOS = 600_000_000_000L;
  /** Shared counts older than this before the latest event are deleted (this node's own rows). */
  private static final Duration TALLY_KEPT = Duration.ofHours(6);
  private static final Actor ACTOR = Actor.system("alerts");
  private static final AccessInput STOP = new AccessInput(java.time.Instant.EPOCH, java.time.ZoneOffset.UTC,
      null, null, null, null, null, List.of(), "stop", null, null);

  private final AlertStore alerts;
  private final AlertRules rules;
  private final AlertSettings settings;
  private final BlockingQueue<AccessInput> queue;
  private final AlertMetrics metrics;
  /** Alerts decided on a caller's thread that the store refused for now: the engine's thread retries them. */
  private final java.util.Queue<Raise> pending = new java.util.concurrent.ConcurrentLinkedQueue<>();
  private final Thread thread;
  private volatile boolean closed;
  /** Where the checkpoint is kept, or null (no checkpoint). */
  private final CheckpointFile checkpointFile;
  /** The checkpoint found at start, or null. */
  private final Checkpoint startedAt;
  /** The last event handled (replay on the starting thread, then the engine's thread). */
  private final java.util.concurrent.atomic.AtomicReference<Checkpoint> position =
      new java.util.concurrent.atomic.AtomicReference<>();
  /** Set by the first {@link #offer}: replay is over. */
  private volatile boolean live;
  // the engine's thread only
  private Checkpoint written;
  private long writtenAtNanos;
  private long lastWriteError;
  /** Null: one node. */
  private final AlertTally tally;
  private long syncedAtNanos;
  private long forgotAtNanos = System.nanoTime();
  private long lastSyncError;

  /** An alert and the time of the event that raised it (the store keeps a closed incident's late alerts quiet). */
  private record Raise(NewAlert alert, java.time.Instant occurredAt) {}

  private AlertEngine(AlertStore alerts, MeterRegistry registry, AlertSettings settings,
      java.util.function.Supplier<org.schoolgate.policy.search.AlertPolicy> policy, java.nio.file.Path checkpointDir,
      AlertTally tally) {
    this.alerts = alerts;
    this.tally = tally;
    this.checkpointFile = checkpointDir == null ? null : new CheckpointFile(checkpointDir);
    this.startedAt = checkpointFile == null ? null : checkpointFile.read().orElse(null);
    this.position.set(startedAt);
    this.written = startedAt;
    this.settings = settings;
    this.rules = policy == null && tally == null ? new AlertRules(settings)
        : new AlertRules(settings, policy == null ? () -> null : policy, tally);
    // one slot more than the capacity for the stop marker
    this.queue = new ArrayBlockingQueue<>(settings.queueCapacity() + 1);
    this.metrics = new AlertMetrics(registry, queue);
    this.thread = new Thread(this::run, "schoolgate-alerts");
    this.thread.setDaemon(true);
  }

  /** Starts the {@code schoolgate-alerts} thread; the rules are tuned by {@code settings} alone. */
  public static AlertEngine start(AlertStore alerts, MeterRegistry registry, AlertSettings settings) {
    return start(alerts, registry, settings, null);
  }

  /**
   * Starts the {@code schoolgate-alerts} thread; the rules read their thresholds, windows and
   * themes from {@code policy} per event (e.g. {@code () -> holder.current().alertPolicy()};
   * {@code settings} when it is null or returns null).
   */
  public static AlertEngine start(AlertStore alerts, MeterRegistry registry, AlertSettings settings,
      java.util.function.Supplier<org.schoolgate.policy.search.AlertPolicy> policy) {
    return start(alerts, registry, settings, policy, null);
  }

  /**
   * As {@link #start(AlertStore, MeterRegistry, AlertSettings, java.util.function.Supplier)}, and
   * the engine's thread keeps its {@link Checkpoint} in {@code alerts.checkpoint} in
   * {@code checkpointDir} (the access-log directory; null: no checkpoint). The checkpoint found
   * there now is {@link #checkpointAtStart()}; run the replay before offering live events.
   */
  public static AlertEngine start(AlertStore alerts, MeterRegistry registry, AlertSettings settings,
      java.util.function.Supplier<org.schoolgate.policy.search.AlertPolicy> policy, java.nio.file.Path checkpointDir) {
    return start(alerts, registry, settings, policy, checkpointDir, null);
  }

  /**
   * As {@link #start(AlertStore, MeterRegistry, AlertSettings, java.util.function.Supplier,
   * java.nio.file.Path)}, the threshold rules counting across the nodes that share {@code tally}
   * ({@code store.alertTally()} on PostgreSQL; null: this node alone, as on SQLite).
   */
  public static AlertEngine start(AlertStore alerts, MeterRegistry registry, AlertSettings settings,
      java.util.function.Supplier<org.schoolgate.policy.search.AlertPolicy> policy, java.nio.file.Path checkpointDir,
      AlertTally tally) {
    AlertEngine engine = new AlertEngine(Objects.requireNonNull(alerts, "alerts"),
        Objects.requireNonNull(registry, "registry"), Objects.requireNonNull(settings, "settings"), policy,
        checkpointDir, tally);
    engine.thread.start();
    return engine;
  }

  /** The checkpoint directory the engine was started with, if any. */
  public java.util.Optional<java.nio.file.Path> checkpointDir() {
    return java.util.Optional.ofNullable(checkpointFile).map(f -> f.path().getParent());
  }

  /** The checkpoint read from the checkpoint directory at start; empty without one (or without a directory). */
  public java.util.Optional<Checkpoint> checkpointAtStart() {
    return java.util.Optional.ofNullable(startedAt);
  }

  /** The alert policy the rules read now (for the windows a replay has to warm). */
  public org.schoolgate.policy.search.AlertPolicy policy() {
    return rules.policy();
  }

  /**
   * Evaluates an event read back from the access log, on the caller's thread, before any live
   * event: with {@code raise} its alerts are raised (each tried once; one the store refuses for
   * now is left to the engine's thread to retry) and returned; without, they are discarded (the
   * event only warms the rules' windows) and none are returned. Either way the checkpoint moves
   * past the event. Events must come in the log's order.
   *
   * @throws IllegalStateException after the first {@link #offer} or {@link #close}
   */
  public List<NewAlert> replay(AccessInput event, boolean raise) {
    if (live || closed) {
      throw new IllegalStateException("replay the access log before offering live events to the alert engine");
    }
    List<NewAlert> out;
    try {
      out = rules.evaluate(event);
    } catch (RuntimeException e) {
      log.error("alert rules failed on a replayed event for {}", event.host(), e);
      out = List.of();
    }
    if (raise) {
      for (NewAlert alert : out) {
        Raise r = new Raise(alert, event.time());
        if (!raiseOnce(r)) {
          pending.add(r);
        }
      }
    }
    position.updateAndGet(p -> Checkpoint.after(p, event.time()));
    return raise ? out : List.of();
  }

  /**
   * Starts the checkpoint at {@code checkpoint} when there is none yet (a fresh install: the log
   * before it is never replayed); the engine's thread writes it.
   */
  public void startCheckpointAt(Checkpoint checkpoint) {
    Objects.requireNonNull(checkpoint, "checkpoint");
    position.compareAndSet(null, checkpoint);
  }

  /**
   * Queues {@code event} for the rules. When the queue is full the event is counted
   * ({@value #OVERFLOW}) and evaluated here, on the caller's thread: each alert is tried once,
   * and one the store refuses for now is left to the engine's thread to retry. Call it from a
   * thread that may block briefly (JDBC), never from an event loop. After {@link #close} events
   * are dropped and counted ({@value #DROPPED}).
   */
  public void offer(AccessInput event) {
    if (!live) {
      live = true;
    }
    if (closed) {
      metrics.dropped();
      return;
    }
    if (queue.size() < settings.queueCapacity() && queue.offer(event)) {
      return;
    }
    metrics.overflow();
    for (NewAlert alert : evaluate(event)) {
      Raise r = new Raise(alert, event.time());
      if (!raiseOnce(r)) {
        pending.add(r);
      }
    }
  }

  /**
   * Hands a system alert (one no access event raises, such as the access log failing) to the
   * engine's thread, which raises it like the rules' alerts: retried while the store is
   * unavailable, idempotent on its key. Never blocks; after {@link #close} it is dropped and
   * counted ({@value #DROPPED}).
   */
  public void raise(NewAlert alert) {
    Objects.requireNonNull(alert, "alert");
    if (closed) {
      metrics.dropped();
      log.warn("alert {} raised after the alert engine closed; dropped", alert.idempotencyKey());
      return;
    }
    pending.add(new Raise(alert, java.time.Instant.now()));
  }

  /** Raises {@code r}; false when the store is unavailable (to be retried). */
  private boolean raiseOnce(Raise r) {
    NewAlert alert = r.alert();
    try {
      alerts.raise(alert, ACTOR, r.occurredAt());
      raised(alert);
      return true;
    } catch (StoreUnavailableException e) {
      metrics.retry();
      log.warn("could not raise alert {} ({}); the alert thread retries it", alert.idempotencyKey(), e.getMessage());
      return false;
    } catch (RuntimeException e) {
      log.error("alert {} rejected by the store; not retried", alert.idempotencyKey(), e);
      return true;
    }
  }

  private void raised(NewAlert alert) {
    metrics.raised(alert.kind());
  }

  /**
   * Declares the kinds of the system alerts the caller will {@link #raise}, so each is counted
   * under its own kind in {@value #RAISED} (its meter registered now, not when raised); an
   * undeclared kind counts as {@code other}. The rules' own kinds need no declaring.
   */
  public void declareKinds(java.util.Collection<String> kinds) {
    metrics.kinds(kinds);
  }

  private void raisePending() {
    Raise r;
    while ((r = pending.poll()) != null) {
      raiseUntilStored(r);
    }
  }

  /** The next event: at once when one waits, else after a nap, else within the wait. */
  private AccessInput next() throws InterruptedException {
    AccessInput event = queue.poll();
    if (event == null) {
      java.util.concurrent.locks.LockSupport.parkNanos(NAP_NANOS);
      event = queue.poll(pending.isEmpty() ? 1000 : 1, TimeUnit.MILLISECONDS);
    }
    return event;
  }

  private void run() {
    try {
      while (true) {
        raisePending();
        AccessInput event = next();
        if (event == STOP || (event == null && closed)) {
          raisePending();
          sync(true);
          checkpoint(true);
          break; // a full queue may have refused the marker: closed and idle ends it too
        }
        if (event == null) {
          sync(false);
          checkpoint(false);
          continue;
        }
        evaluateAndRaise(event);
        position.updateAndGet(p -> Checkpoint.after(p, event.time()));
        sync(false);
        checkpoint(false);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void evaluateAndRaise(AccessInput event) {
    for (NewAlert alert : evaluate(event)) {
      raiseUntilStored(new Raise(alert, event.time()));
    }
  }

  /** The alerts {@code event} raises; none (logged) if the rules fail on it. */
  private List<NewAlert> evaluate(AccessInput event) {
    try {
      return rules.evaluate(event);
    } catch (RuntimeException e) {
      log.error("alert rules failed on an event for {}", event.host(), e);
      return List.of();
    }
  }

  /**
   * With several nodes, at most once a second (unless {@code now}): publishes this node's counted
   * attempts, reads the other nodes' and raises the alerts they tip over a threshold; every ten
   * minutes deletes this node's old counts. A database that fails keeps the counts for the next
   * round (logged at most once a minute).
   */
  private void sync(boolean now) {
    long nanos = System.nanoTime();
    if (tally == null || (!now && nanos - syncedAtNanos < SYNC_EVERY_NANOS)) {
      return;
    }
    syncedAtNanos = nanos;
    List<AlertTally.Count> mine = rules.drainCounted();
    try {
      tally.add(mine);
    } catch (RuntimeException e) {
      rules.unpublished(mine);
      syncFailed(nanos, e);
      return;
    }
    java.time.Instant since = rules.othersSince();
    if (since == null) {
      return;
    }
    try {
      List<NewAlert> tipped = rules.othersRead(tally.others(since));
      for (NewAlert alert : tipped) {
        raiseUntilStored(new Raise(alert, rules.lastEvent()));
      }
      if (nanos - forgotAtNanos > FORGET_EVERY_NANOS) {
        forgotAtNanos = nanos;
        tally.forget(since.minus(TALLY_KEPT));
      }
    } catch (RuntimeException e) {
      syncFailed(nanos, e);
    }
  }

  private void syncFailed(long nanos, RuntimeException e) {
    if (lastSyncError == 0 || nanos - lastSyncError > 60_000_000_000L) {
      lastSyncError = nanos;
      log.warn("cannot share alert counts with the other nodes ({}); counting on", e.toString());
    }
  }

  /**
   * Writes the checkpoint when it moved, at most once a second unless {@code now}, and only while
   * no alert waits to be retried (an event offered before the last one handled may own it).
   */
  private void checkpoint(boolean now) {
    if (checkpointFile == null) {
      return;
    }
    Checkpoint at = position.get();
    if (at == null || at.equals(written) || !pending.isEmpty()) {
      return;
    }
    long nanos = System.nanoTime();
    if (!now && written != null && nanos - writtenAtNanos < CHECKPOINT_EVERY_NANOS) {
      return;
    }
    try {
      checkpointFile.write(at);
      written = at;
      writtenAtNanos = nanos;
    } catch (java.io.IOException | RuntimeException e) {
      writtenAtNanos = nanos; // try again in a second
      if (lastWriteError == 0 || nanos - lastWriteError > 60_000_000_000L) {
        lastWriteError = nanos;
        log.error("cannot write the alert checkpoint {}: {}", checkpointFile.path(), e.toString());
      }
    }
  }

  private void raiseUntilStored(Raise r) {
    NewAlert alert = r.alert();
    long waitNanos = settings.firstRetry().toNanos();
    while (true) {
      try {
        alerts.raise(alert, ACTOR, r.occurredAt());
        raised(alert);
        return;
      } catch (StoreUnavailableException e) {
        metrics.retry();
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

  /** Alerts decided on a caller's thread that wait for the engine's thread to retry them. */
  public int pendingAlerts() {
    return pending.size();
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
