package org.schoolgate.alerts.incident;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;
import org.schoolgate.store.Actor;
import org.schoolgate.store.Incident;
import org.schoolgate.store.IncidentStore;
import org.schoolgate.store.StoreException;
import org.schoolgate.store.StoreUnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Escalates critical incidents nobody acknowledged: {@code after} (default 30 minutes) after an
 * incident became critical it goes to level 1 (an {@code escalation-1} alert, which delivery routes
 * to the deputy DSL), another {@code after} later to level 2 ({@code escalation-2}, the
 * headteacher). The store re-checks each one under its row lock and raises the alert in the same
 * transaction (idempotency key {@code escalation:<incident>:<level>}), so several nodes or a
 * restart never escalate twice. {@link #tick} does one round; {@link #start} runs it every
 * {@code period} on the {@code schoolgate-escalation} thread, reading time from the injected clock.
 *
 * <pre>{@code
 * IncidentEscalator escalator = IncidentEscalator.start(store.incidents(), clock,
 *     IncidentEscalator.DEFAULT_AFTER, IncidentEscalator.DEFAULT_PERIOD);
 * escalator.close();
 * }</pre>
 */
public final class IncidentEscalator implements AutoCloseable {
  /** How long a critical incident may stay unacknowledged before each escalation. */
  public static final Duration DEFAULT_AFTER = Duration.ofMinutes(30);
  /** How often the thread looks. */
  public static final Duration DEFAULT_PERIOD = Duration.ofSeconds(30);
  static final Actor ACTOR = Actor.system("escalation");
  private static final Logger log = LoggerFactory.getLogger(IncidentEscalator.class);

  private final IncidentStore incidents;
  private final Clock clock;
  private final Duration after;
  private ScheduledExecutorService executor;

  /** An escalator without a thread: call {@link #tick} yourself (tests, tools). */
  public IncidentEscalator(IncidentStore incidents, Clock clock, Duration after) {
    this.incidents = Objects.requireNonNull(incidents, "incidents");
    this.clock = Objects.requireNonNull(clock, "clock");
    if (after == null || after.isNegative() || after.isZero()) {
      throw new IllegalArgumentException("escalation time " + after
          + " is not valid (expected: a positive duration, e.g. PT30M)");
    }
    this.after = after;
  }

  /** Starts the {@code schoolgate-escalation} thread, ticking every {@code period}. */
  public static IncidentEscalator start(IncidentStore incidents, Clock clock, Duration after, Duration period) {
    if (period == null || period.isNegative() || period.isZero()) {
      throw new IllegalArgumentException("escalation period " + period + " is not valid (expected: a positive"
          + " duration, e.g. PT30S)");
    }
    IncidentEscalator escalator = new IncidentEscalator(incidents, clock, after);
    escalator.executor = Periodic.start("schoolgate-escalation", period, escalator::tickSafely);
    return escalator;
  }

  /** The escalation time in use. */
  public Duration after() {
    return after;
  }

  /**
   * Escalates every incident due at {@code now} by one level and returns them (an incident two
   * levels behind catches up one level per tick). Blocks on the store.
   */
  public List<Incident> tick(Instant now) {
    List<Incident> escalated = new ArrayList<>();
    for (IncidentStore.Due due : incidents.dueForEscalation(now, after)) {
      try {
        incidents.escalateIfDue(due.incident().id(), due.level(), now, after, ACTOR).ifPresent(escalated::add);
      } catch (StoreException e) {
        log.warn("incident {} was not escalated: {}", due.incident().id(), e.getMessage());
      }
    }
    if (!escalated.isEmpty()) {
      log.info("{} incident(s) escalated", escalated.size());
    }
    return escalated;
  }

  private void tickSafely() {
    try {
      tick(clock.instant());
    } catch (StoreUnavailableException e) {
      log.warn("escalation check skipped, the store is unavailable: {}", e.getMessage());
    } catch (RuntimeException e) {
      log.error("escalation check failed", e);
    }
  }

  /** Stops the thread (a tick under way finishes first, waiting at most 10 seconds). */
  @Override
  public void close() {
    Periodic.stop(executor);
  }
}
