package org.schoolgate.store;

import java.time.Instant;
import java.util.Objects;

/**
 * One safeguarding concern about one person, made of the alerts ("hits") of one kind family
 * that came close enough together.
 *
 * @param owner the account name it is assigned to, or null
 * @param severity the highest severity of its alerts
 * @param who the person (user, group, device) as the alerts name them
 * @param kind the kind family of its alerts, e.g. {@code repeated-attempts}
 * @param subject the first alert's subject
 * @param hits how many alerts it holds
 * @param criticalSince when it first held a critical alert (the escalation clock), or null
 * @param escalationLevel 0 until escalated, then 1 (deputy DSL), 2 (headteacher)
 * @param escalatedAt the last escalation, or null
 * @param acknowledgedBy who first acknowledged it, or null
 * @param acknowledgedAt when, or null
 * @param closedBy who closed it, or null while open
 * @param closedAt when, or null while open
 * @param outcome why it was closed, or null while open
 */
public record Incident(
    IncidentId id, IncidentState state, String owner, Alert.Severity severity, String who, String kind,
    String subject, Instant openedAt, Instant lastHitAt, int hits, Instant criticalSince, int escalationLevel,
    Instant escalatedAt, String acknowledgedBy, Instant acknowledgedAt, String closedBy, Instant closedAt,
    String outcome) {
  public Incident {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(severity, "severity");
    Objects.requireNonNull(who, "who");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(openedAt, "openedAt");
    Objects.requireNonNull(lastHitAt, "lastHitAt");
    if ((state == IncidentState.CLOSED) != (closedAt != null)) {
      throw new IllegalArgumentException("incident " + id + " is " + state.apiName() + " with closedAt "
          + closedAt + " (expected: closedAt set exactly when closed)");
    }
  }

  public boolean closed() {
    return state == IncidentState.CLOSED;
  }
}
