package org.schoolgate.alerts.incident;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends the weekly digest when its time comes: {@link #runIfDue} builds the digest of the week
 * before the due send time and hands it to {@code sender} (e.g. the SMTP sender); a failure (store
 * down, mail refused) leaves it due, so the next check tries again. {@link #start} checks every
 * {@code period} on the {@code schoolgate-digest} thread, so the store and the access-log files
 * are read there, never on a proxy or admin thread. The first send is the schedule's next time
 * after start-up (a digest due while the process was down is not sent late).
 *
 * <pre>{@code
 * DigestRunner runner = DigestRunner.start(new WeeklyDigest(store.incidents(), logDir),
 *     DigestSchedule.mondayMorning(zone, clock), clock, message -> mail.send(dslAddress, message),
 *     Duration.ofMinutes(1));
 * }</pre>
 */
public final class DigestRunner implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(DigestRunner.class);

  private final WeeklyDigest digest;
  private final DigestSchedule schedule;
  private final Clock clock;
  private final Consumer<DigestMessage> sender;
  private Instant due;
  private ScheduledExecutorService executor;

  /** A runner without a thread: call {@link #runIfDue} yourself. */
  public DigestRunner(WeeklyDigest digest, DigestSchedule schedule, Clock clock, Consumer<DigestMessage> sender) {
    this.digest = Objects.requireNonNull(digest, "digest");
    this.schedule = Objects.requireNonNull(schedule, "schedule");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.sender = Objects.requireNonNull(sender, "sender");
    this.due = schedule.next(clock.instant());
  }

  /** Starts the {@code schoolgate-digest} thread, checking every {@code period}. */
  public static DigestRunner start(WeeklyDigest digest, DigestSchedule schedule, Clock clock,
      Consumer<DigestMessage> sender, Duration period) {
    if (period == null || period.isNegative() || period.isZero()) {
      throw new IllegalArgumentException("digest check period " + period
          + " is not valid (expected: a positive duration, e.g. PT1M)");
    }
    DigestRunner runner = new DigestRunner(digest, schedule, clock, sender);
    runner.executor = Periodic.start("schoolgate-digest", period, runner::check);
    return runner;
  }

  /** When the next digest is due. */
  public synchronized Instant due() {
    return due;
  }

  /**
   * At or after the due time: builds the digest of the week before it, sends it, and moves the due
   * time on to the next send time after {@code now}; returns what was sent. Before: empty.
   */
  public synchronized Optional<DigestMessage> runIfDue(Instant now) {
    if (now.isBefore(due)) {
      return Optional.empty();
    }
    DigestMessage message = digest.build(schedule.weekBefore(due));
    sender.accept(message);
    log.info("weekly digest sent: {}", message.subject());
    due = schedule.next(now);
    return Optional.of(message);
  }

  private void check() {
    try {
      runIfDue(clock.instant());
    } catch (RuntimeException e) {
      log.warn("the weekly digest was not sent (will retry): {}", e.toString());
    }
  }

  /** Stops the thread (a digest under way finishes first, waiting at most 10 seconds). */
  @Override
  public void close() {
    Periodic.stop(executor);
  }
}
