package org.schoolgate.store;

import java.util.List;
import java.util.Optional;

/**
 * The alert outbox: alerts are written here first (in the same transaction as whatever raised
 * them, where the store raises them itself, as for an approved filter bypass) and read by people
 * and, later, by delivery. Raising is idempotent on {@link NewAlert#idempotencyKey()}.
 *
 * <pre>{@code
 * store.alerts().list(new AlertStore.Query(Alert.Audience.DSL, true, 50));
 * store.alerts().acknowledge(id, caller.actor());
 * }</pre>
 */
public interface AlertStore {

  /**
   * Stores {@code alert} (audited as {@code alert.raised} by {@code raisedBy}) and returns it; if
   * an alert with the same idempotency key exists, returns that one and writes nothing. A new
   * alert for the DSL without a link of its own opens or joins its incident ({@link IncidentStore})
   * in the same transaction and is returned with {@code link} {@code incident:<id>}.
   */
  Alert raise(NewAlert alert, Actor raisedBy);

  /**
   * As {@link #raise(NewAlert, Actor)} for an alert about an event at {@code occurredAt} (the
   * alert rules' input). When the DSL has already closed the incident that event belonged to
   * (closed after the event; raised late, e.g. replayed from the access log after a restart), the
   * alert is recorded as a late hit of that closed incident and is never delivered.
   */
  Alert raise(NewAlert alert, Actor raisedBy, java.time.Instant occurredAt);

  /** Newest first. */
  List<Alert> list(Query query);

  /**
   * Marks the alert acknowledged by {@code actor}; audited as {@code alert.acknowledged}.
   * {@code not_found} if there is none, {@code conflict} if someone already acknowledged it.
   */
  Alert acknowledge(AlertId id, Actor actor);

  Optional<Alert> get(AlertId id);

  /**
   * @param audience only alerts for this audience, or null for all
   * @param unacknowledgedOnly only alerts nobody has acknowledged yet
   * @param limit at most this many (1-1000)
   */
  record Query(Alert.Audience audience, boolean unacknowledgedOnly, int limit) {}
}
