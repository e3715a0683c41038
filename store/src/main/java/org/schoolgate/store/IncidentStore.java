package org.schoolgate.store;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The DSL's incident log. Alerts for the DSL open or join incidents by themselves when they are
 * raised ({@link AlertStore#raise}); people then view, acknowledge, assign, escalate, note, act on
 * and close them. Every change and every view (one incident, a list) writes its audit record
 * ({@code incident.*}) in the same transaction. Refusals are {@link StoreException}s: {@code
 * not_found} (missing, or not visible to the viewer), {@code conflict} (the state machine says
 * no), {@code invalid} (bad input, with the field).
 *
 * <p>States: {@code new → acknowledged | escalated | closed}; {@code escalated → acknowledged |
 * escalated (next level) | closed}; {@code acknowledged → escalated | closed}; {@code closed} is
 * final. Notes and actions may be added in any state, also after closing.
 *
 * <pre>{@code
 * IncidentStore incidents = store.incidents();
 * List<Incident> open = incidents.list(new IncidentStore.Query(IncidentState.NEW, null, null, null, null, 50),
 *     Viewer.all(caller.actor()));
 * incidents.acknowledge(id, caller.actor());
 * incidents.close(id, "spoke to pupil and parents; no further concern", caller.actor());
 * }</pre>
 */
public interface IncidentStore {
  /** The highest escalation level: 1 the deputy DSL, 2 the headteacher. */
  int MAX_ESCALATION = 2;
  /** Longest note, action text or outcome. */
  int MAX_TEXT = 4000;

  /** The join window and kind families in use. */
  IncidentSettings settings();

  /** The incident with its timeline; audited as {@code incident.viewed}. */
  IncidentHistory get(IncidentId id, Viewer viewer);

  /** Most recently hit first; audited as {@code incident.listed} (the filter as the reason). */
  List<Incident> list(Query query, Viewer viewer);

  /**
   * Incidents open at some time in {@code [from, to)} (opened before {@code to}, not closed before
   * {@code from}), oldest first, for reports; audited as {@code incident.listed}.
   */
  List<Incident> activity(Instant from, Instant to, Actor reader);

  /** Assigns it to the account named {@code owner}; audited as {@code incident.assigned}. */
  Incident assign(IncidentId id, String owner, Actor actor);

  /** {@code new} or {@code escalated} → {@code acknowledged}; audited as {@code incident.acknowledged}. */
  Incident acknowledge(IncidentId id, Actor actor);

  /**
   * Escalates to {@code level} (must be the current level + 1, at most {@link #MAX_ESCALATION}):
   * state {@code escalated}, and, in the same transaction, an alert of kind {@code escalation-<level>}
   * for the DSL audience (idempotency key {@code escalation:<id>:<level>}, link {@code incident:<id>})
   * that delivery routes to the next contact. Audited as {@code incident.escalated}. {@code conflict}
   * when closed or already at that level.
   */
  Incident escalate(IncidentId id, int level, String reason, Actor actor);

  /** {@link #escalate(IncidentId, int, String, Actor)} to the next level (manual escalation). */
  Incident escalate(IncidentId id, String reason, Actor actor);

  /**
   * The escalator's {@link #escalate}: escalates to {@code level} only if, checked under the row's
   * lock, the incident is still critical, unacknowledged, open, at level {@code level - 1} and due
   * ({@code level × after} after it became critical, at {@code now}); otherwise empty, nothing written.
   */
  Optional<Incident> escalateIfDue(IncidentId id, int level, Instant now, Duration after, Actor actor);

  /** Closes it with {@code outcome} (required); final. Audited as {@code incident.closed}. */
  Incident close(IncidentId id, String outcome, Actor actor);

  /** Adds a free-text note; audited as {@code incident.note}. */
  IncidentHistory note(IncidentId id, String text, Viewer viewer);

  /**
   * Records an action taken ({@code text} required for {@link IncidentAction#OTHER}); audited as
   * {@code incident.action}.
   */
  IncidentHistory action(IncidentId id, IncidentAction action, String text, Viewer viewer);

  /**
   * Critical incidents nobody has acknowledged whose next escalation is due at {@code now}: level
   * {@code n + 1} falls due {@code (n + 1) × after} after the incident became critical, up to
   * {@link #MAX_ESCALATION}. Not audited (the system reading its own work list).
   */
  List<Due> dueForEscalation(Instant now, Duration after);

  /** An incident and the escalation level now due. */
  record Due(Incident incident, int level) {}

  /**
   * Who is looking: {@code all} (dsl, senior-leader) sees every incident; otherwise only those
   * assigned to {@code actor.name()} (others are {@code not_found}).
   */
  record Viewer(Actor actor, boolean all) {
    public Viewer {
      Objects.requireNonNull(actor, "actor");
    }

    public static Viewer all(Actor actor) {
      return new Viewer(actor, true);
    }

    public static Viewer assignee(Actor actor) {
      return new Viewer(actor, false);
    }

    /** True when this viewer may see {@code incident}. */
    public boolean sees(Incident incident) {
      return all || actor.name().equals(incident.owner());
    }
  }

  /**
   * A filter; every field but {@code limit} may be null.
   *
   * @param who the person exactly, or its user part ({@code sam} matches {@code sam (ks3-4)})
   * @param since last hit at or after
   * @param limit at most this many (1-1000)
   */
  record Query(IncidentState state, Alert.Severity severity, String owner, String who, Instant since, int limit) {
    public static Query recent(int limit) {
      return new Query(null, null, null, null, null, limit);
    }

    /** The filter as text for the audit trail: {@code state=new severity=critical limit=50}. */
    public String describe() {
      StringBuilder s = new StringBuilder();
      if (state != null) {
        s.append("state=").append(state.apiName()).append(' ');
      }
      if (severity != null) {
        s.append("severity=").append(severity.apiName()).append(' ');
      }
      if (owner != null) {
        s.append("owner=").append(owner).append(' ');
      }
      if (who != null) {
        s.append("who=").append(who).append(' ');
      }
      if (since != null) {
        s.append("since=").append(since).append(' ');
      }
      return s.append("limit=").append(limit).toString();
    }
  }
}
