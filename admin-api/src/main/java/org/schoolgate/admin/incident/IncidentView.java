package org.schoolgate.admin.incident;

import java.time.Instant;
import java.util.List;
import org.schoolgate.store.Incident;
import org.schoolgate.store.IncidentHistory;
import org.schoolgate.store.TimelineEntry;

/** An incident as the API shows it. */
public record IncidentView(
    long id, String state, String owner, String severity, String who, String kind, String subject,
    Instant openedAt, Instant lastHitAt, int hits, Instant criticalSince, int escalationLevel, Instant escalatedAt,
    String acknowledgedBy, Instant acknowledgedAt, String closedBy, Instant closedAt, String outcome) {

  public static IncidentView of(Incident i) {
    return new IncidentView(i.id().value(), i.state().apiName(), i.owner(), i.severity().apiName(), i.who(),
        i.kind(), i.subject(), i.openedAt(), i.lastHitAt(), i.hits(), i.criticalSince(), i.escalationLevel(),
        i.escalatedAt(), i.acknowledgedBy(), i.acknowledgedAt(), i.closedBy(), i.closedAt(), i.outcome());
  }

  /** One timeline entry: {@code type} is hit, state, assigned, note or action. */
  public record Entry(long seq, Instant at, String type, String actor, Long alert, String state, String owner,
      String action, String text) {
    static Entry of(TimelineEntry e) {
      return new Entry(e.seq(), e.at(), e.type().apiName(), e.actor(), e.alert() == null ? null : e.alert().value(),
          e.state() == null ? null : e.state().apiName(), e.owner(), e.action() == null ? null : e.action().apiName(),
          e.text());
    }
  }

  /** An incident with its timeline, oldest entry first. */
  public record Detail(IncidentView incident, List<Entry> timeline) {
    public static Detail of(IncidentHistory h) {
      return new Detail(IncidentView.of(h.incident()), h.timeline().stream().map(Entry::of).toList());
    }
  }
}
