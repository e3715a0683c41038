package org.schoolgate.store;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Delivery of the alert outbox: which alerts still need planning, the deliveries planned for
 * each (one per alert, channel and recipient), and their progress. Safe with several nodes on
 * one PostgreSQL database: an alert is planned by exactly one caller of {@link #plan}, and a due
 * delivery is handed to one caller of {@link #claimDue} at a time (until its lease lapses).
 *
 * <pre>{@code
 * for (Alert a : deliveries.unplanned(100)) deliveries.plan(a.id(), planned, null);
 * for (Delivery d : deliveries.claimDue(now, Duration.ofMinutes(1), 50)) { send; deliveries.markSent(d.id(), now); }
 * }</pre>
 */
public interface DeliveryStore {

  /** Alerts nobody has planned yet, oldest first (at most {@code limit}, 1-1000). */
  List<Alert> unplanned(int limit);

  /**
   * Marks {@code alert} planned and creates {@code deliveries} (due at once), all in one
   * transaction. Returns false, writing nothing, when the alert was already planned (by another
   * node, or before a restart). {@code note} (at most 300 characters, may be null) says why, e.g.
   * {@code no route} for an alert without deliveries.
   */
  boolean plan(AlertId alert, List<PlannedDelivery> deliveries, String note);

  /**
   * The newest pending or sent delivery to {@code recipient} over {@code channel} of an alert with
   * this {@code who} and {@code kind} raised after {@code since}: the message a new alert
   * would be grouped into.
   */
  Optional<Delivery> lastMessage(String who, String kind, Delivery.Channel channel, String recipient, Instant since);

  /**
   * Claims up to {@code limit} (1-1000) pending deliveries due at {@code now}, most overdue first:
   * each one's attempts go up by one and it is not due again until {@code now + lease} unless
   * marked first, so a sender that dies leaves it to be claimed again after the lease.
   */
  List<Delivery> claimDue(Instant now, Duration lease, int limit);

  /** Pending → sent. False if the delivery was not pending. */
  boolean markSent(DeliveryId id, Instant at);

  /** Pending stays pending, due again at {@code next}; records the error. False if not pending. */
  boolean markRetry(DeliveryId id, Instant next, String error);

  /** Pending → suppressed with {@code reason}. False if not pending. */
  boolean markSuppressed(DeliveryId id, String reason);

  /** Pending → failed (given up) with {@code error}. False if not pending. */
  boolean markFailed(DeliveryId id, String error);

  /** The deliveries of one alert, in the order they were planned. */
  List<Delivery> forAlert(AlertId alert);

  /** The note {@link #plan} recorded for an alert, if it was planned with one. */
  Optional<String> planNote(AlertId alert);

  /**
   * Why {@code alert} must not be sent any more, if it must not: it belongs to an incident the DSL
   * has closed (e.g. {@code incident 7 was closed by dsl at 2026-11-23T10:30:00Z}). Delivery asks
   * before each send, so what was pending when the incident was closed — or when Schoolgate
   * stopped — is suppressed, not sent.
   */
  Optional<String> closedIncident(AlertId alert);

  /** When the oldest still-pending delivery was created, if any is pending. */
  Optional<Instant> oldestPending();
}
