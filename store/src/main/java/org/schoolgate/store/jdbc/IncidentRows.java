package org.schoolgate.store.jdbc;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.schoolgate.store.Actor;
import org.schoolgate.store.Alert;
import org.schoolgate.store.AlertId;
import org.schoolgate.store.AuditEntry;
import org.schoolgate.store.Incident;
import org.schoolgate.store.IncidentAction;
import org.schoolgate.store.IncidentId;
import org.schoolgate.store.IncidentSettings;
import org.schoolgate.store.IncidentState;
import org.schoolgate.store.TimelineEntry;

/**
 * Reads and writes {@code incidents} and {@code incident_events} rows inside the caller's
 * transaction, and attaches a newly raised alert to its incident ({@link #attach}).
 */
final class IncidentRows {
  static final String COLUMNS = "id, state, owner, severity, who, kind, subject, opened_at, last_hit_at, hits,"
      + " critical_since, escalation_level, escalated_at, acknowledged_by, acknowledged_at, closed_by, closed_at,"
      + " outcome";
  private static final String EVENT_COLUMNS = "id, at, type, actor, alert_id, state, owner, action, text";

  private final Database db;
  private final AuditWriter audit;
  private final IncidentSettings settings;

  IncidentRows(Database db, AuditWriter audit, IncidentSettings settings) {
    this.db = db;
    this.audit = audit;
    this.settings = settings;
  }

  IncidentSettings settings() {
    return settings;
  }

  /** True when {@code alert} belongs in the incident log: for the DSL and not about something else already. */
  static boolean opensIncidents(Alert alert) {
    return alert.content().audience() == Alert.Audience.DSL && alert.content().link() == null;
  }

  /**
   * Joins {@code alert} (just inserted) to the open incident of the same person and kind family
   * whose last hit is within the join window, or opens one; records the hit and its audit record
   * ({@code incident.opened} or {@code incident.hit}). Callers have already appended to the audit
   * chain in this transaction, so the chain's lock serialises concurrent raisers and this lookup
   * sees every incident committed before.
   */
  Incident attach(Connection c, Alert alert, Actor by) throws SQLException {
    String who = alert.content().who();
    String family = settings.family(alert.content().kind());
    Instant at = alert.raisedAt();
    Alert.Severity severity = alert.content().severity();
    Optional<Incident> open;
    try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM incidents WHERE who = ? AND kind = ?"
        + " AND state <> 'closed' AND last_hit_at >= ? ORDER BY last_hit_at DESC, id DESC LIMIT 1" + db.forUpdate())) {
      ps.setString(1, who);
      ps.setString(2, family);
      ps.setLong(3, Database.micros(at.minus(settings.joinWindow())));
      open = first(readAll(ps));
    }
    boolean critical = severity == Alert.Severity.CRITICAL;
    Incident result;
    if (open.isPresent()) {
      Incident before = open.get();
      Alert.Severity max = severity.compareTo(before.severity()) > 0 ? severity : before.severity();
      Instant criticalSince = before.criticalSince() != null ? before.criticalSince() : critical ? at : null;
      Instant lastHit = at.isAfter(before.lastHitAt()) ? at : before.lastHitAt();
      try (PreparedStatement ps = c.prepareStatement("UPDATE incidents SET hits = hits + 1, last_hit_at = ?,"
          + " severity = ?, critical_since = ? WHERE id = ?")) {
        ps.setLong(1, Database.micros(lastHit));
        ps.setString(2, max.apiName());
        Database.setInstantOrNull(ps, 3, criticalSince);
        ps.setLong(4, before.id().value());
        ps.executeUpdate();
      }
      result = new Incident(before.id(), before.state(), before.owner(), max, before.who(), before.kind(),
          before.subject(), before.openedAt(), lastHit, before.hits() + 1, criticalSince, before.escalationLevel(),
          before.escalatedAt(), before.acknowledgedBy(), before.acknowledgedAt(), null, null, null);
      event(c, result.id(), at, TimelineEntry.Type.HIT, by, alert.id(), null, null, null, alert.content().subject());
      audit.append(c, new AuditEntry("incident.hit", by, target(result.id()), "alert " + alert.id() + ": "
          + alert.content().subject(), json(before), json(result)), false);
    } else {
      long id;
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO incidents (state, severity, who, kind, subject,"
          + " opened_at, last_hit_at, hits, critical_since, escalation_level) VALUES (?, ?, ?, ?, ?, ?, ?, 1, ?, 0)"
          + " RETURNING id")) {
        ps.setString(1, IncidentState.NEW.apiName());
        ps.setString(2, severity.apiName());
        ps.setString(3, who);
        ps.setString(4, family);
        ps.setString(5, alert.content().subject());
        ps.setLong(6, Database.micros(at));
        ps.setLong(7, Database.micros(at));
        Database.setInstantOrNull(ps, 8, critical ? at : null);
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          id = rs.getLong(1);
        }
      }
      result = new Incident(new IncidentId(id), IncidentState.NEW, null, severity, who, family,
          alert.content().subject(), at, at, 1, critical ? at : null, 0, null, null, null, null, null, null);
      event(c, result.id(), at, TimelineEntry.Type.HIT, by, alert.id(), null, null, null, alert.content().subject());
      audit.append(c, new AuditEntry("incident.opened", by, target(result.id()), "alert " + alert.id() + ": "
          + alert.content().subject(), null, json(result)), false);
    }
    try (PreparedStatement ps = c.prepareStatement("UPDATE alerts SET link = ? WHERE id = ?")) {
      ps.setString(1, result.id().link());
      ps.setLong(2, alert.id().value());
      ps.executeUpdate();
    }
    return result;
  }

  /**
   * The closed incident an event at {@code at} about this alert's person and kind family belonged
   * to, if the DSL closed it after that event: its span (opened − join window … closed) holds the
   * event and its last hit is within the join window before it. An alert raised late for such an
   * event (replayed from the access log after a restart, or held back while the store was down)
   * is something the DSL has already dealt with.
   */
  Optional<Incident> closedAfter(Connection c, Alert alert, Instant at) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM incidents WHERE who = ? AND kind = ?"
        + " AND state = 'closed' AND closed_at >= ? AND opened_at <= ? AND last_hit_at >= ?"
        + " ORDER BY closed_at DESC, id DESC LIMIT 1")) {
      ps.setString(1, alert.content().who());
      ps.setString(2, settings.family(alert.content().kind()));
      ps.setLong(3, Database.micros(at));
      ps.setLong(4, Database.micros(at.plus(settings.joinWindow())));
      ps.setLong(5, Database.micros(at.minus(settings.joinWindow())));
      return first(readAll(ps));
    }
  }

  /**
   * Records {@code alert} (just inserted, about an event at {@code at}) as a late hit of the
   * incident the DSL already closed: a timeline entry and {@code incident.hit} audit record, the
   * alert linked to it and marked planned with a note, so delivery never sends it. The incident
   * stays closed.
   */
  Incident attachClosed(Connection c, Alert alert, Incident closed, Instant at, Actor by) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("UPDATE incidents SET hits = hits + 1 WHERE id = ?")) {
      ps.setLong(1, closed.id().value());
      ps.executeUpdate();
    }
    Incident after = new Incident(closed.id(), closed.state(), closed.owner(), closed.severity(), closed.who(),
        closed.kind(), closed.subject(), closed.openedAt(), closed.lastHitAt(), closed.hits() + 1,
        closed.criticalSince(), closed.escalationLevel(), closed.escalatedAt(), closed.acknowledgedBy(),
        closed.acknowledgedAt(), closed.closedBy(), closed.closedAt(), closed.outcome());
    String late = "its event at " + at + " came before " + closed.closedBy() + " closed incident " + closed.id()
        + " at " + closed.closedAt() + ": not delivered";
    event(c, closed.id(), alert.raisedAt(), TimelineEntry.Type.HIT, by, alert.id(), null, null, null,
        alert.content().subject() + " (" + late + ")");
    audit.append(c, new AuditEntry("incident.hit", by, target(closed.id()), "alert " + alert.id() + ": "
        + alert.content().subject() + "; " + late, json(closed), json(after)), false);
    try (PreparedStatement ps = c.prepareStatement("UPDATE alerts SET link = ?, delivery_planned_at = ?,"
        + " delivery_note = ? WHERE id = ?")) {
      ps.setString(1, closed.id().link());
      ps.setLong(2, Database.micros(db.now()));
      String note = "incident " + closed.id() + " was closed by " + closed.closedBy() + " at " + closed.closedAt()
          + ", after this alert's event: not delivered";
      ps.setString(3, note.length() <= 300 ? note : note.substring(0, 299) + "…");
      ps.setLong(4, alert.id().value());
      ps.executeUpdate();
    }
    return after;
  }

  /** Appends one timeline entry. */
  void event(Connection c, IncidentId id, Instant at, TimelineEntry.Type type, Actor actor, AlertId alert,
      IncidentState state, String owner, IncidentAction action, String text) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO incident_events (incident_id, at, type, actor,"
        + " alert_id, state, owner, action, text) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
      ps.setLong(1, id.value());
      ps.setLong(2, Database.micros(at));
      ps.setString(3, type.apiName());
      ps.setString(4, actor.name());
      Database.setLongOrNull(ps, 5, alert == null ? null : alert.value());
      setText(ps, 6, state == null ? null : state.apiName());
      setText(ps, 7, owner);
      setText(ps, 8, action == null ? null : action.apiName());
      setText(ps, 9, text);
      ps.executeUpdate();
    }
  }

  static List<TimelineEntry> timeline(Connection c, IncidentId id) throws SQLException {
    List<TimelineEntry> entries = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement("SELECT " + EVENT_COLUMNS
        + " FROM incident_events WHERE incident_id = ? ORDER BY id")) {
      ps.setLong(1, id.value());
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          long alertId = rs.getLong("alert_id");
          AlertId alert = rs.wasNull() ? null : new AlertId(alertId);
          String state = rs.getString("state");
          String action = rs.getString("action");
          entries.add(new TimelineEntry(rs.getLong("id"), Database.instant(rs.getLong("at")),
              TimelineEntry.Type.valueOf(rs.getString("type").toUpperCase(java.util.Locale.ROOT)),
              rs.getString("actor"), alert,
              state == null ? null : IncidentState.parse(state).orElseThrow(() -> new SQLException(
                  "incident " + id + " has a timeline entry with an unknown state '" + state + "'")),
              rs.getString("owner"),
              action == null ? null : IncidentAction.parse(action).orElseThrow(() -> new SQLException(
                  "incident " + id + " has a timeline entry with an unknown action '" + action + "'")),
              rs.getString("text")));
        }
      }
    }
    return entries;
  }

  static Optional<Incident> find(Connection c, IncidentId id, String lockSuffix) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM incidents WHERE id = ?" + lockSuffix)) {
      ps.setLong(1, id.value());
      return first(readAll(ps));
    }
  }

  static List<Incident> readAll(PreparedStatement ps) throws SQLException {
    List<Incident> out = new ArrayList<>();
    try (ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        out.add(read(rs));
      }
    }
    return out;
  }

  private static Optional<Incident> first(List<Incident> incidents) {
    return incidents.isEmpty() ? Optional.empty() : Optional.of(incidents.get(0));
  }

  private static Incident read(ResultSet rs) throws SQLException {
    long id = rs.getLong("id");
    String state = rs.getString("state");
    String severity = rs.getString("severity");
    return new Incident(new IncidentId(id),
        IncidentState.parse(state).orElseThrow(() -> new SQLException("incident " + id + " has an unknown state '"
            + state + "'")),
        rs.getString("owner"),
        Alert.Severity.parse(severity).orElseThrow(() -> new SQLException("incident " + id
            + " has an unknown severity '" + severity + "'")),
        rs.getString("who"), rs.getString("kind"), rs.getString("subject"),
        Database.instant(rs.getLong("opened_at")), Database.instant(rs.getLong("last_hit_at")), rs.getInt("hits"),
        Database.instantOrNull(rs, "critical_since"), rs.getInt("escalation_level"),
        Database.instantOrNull(rs, "escalated_at"), rs.getString("acknowledged_by"),
        Database.instantOrNull(rs, "acknowledged_at"), rs.getString("closed_by"),
        Database.instantOrNull(rs, "closed_at"), rs.getString("outcome"));
  }

  private static void setText(PreparedStatement ps, int index, String value) throws SQLException {
    if (value == null) {
      ps.setNull(index, Types.VARCHAR);
    } else {
      ps.setString(index, value);
    }
  }

  static String target(IncidentId id) {
    return id.link();
  }

  /** The incident as JSON for the audit trail. */
  static String json(Incident i) {
    ObjectNode node = Json.object();
    node.put("id", i.id().value());
    node.put("state", i.state().apiName());
    if (i.owner() != null) {
      node.put("owner", i.owner());
    }
    node.put("severity", i.severity().apiName());
    node.put("who", i.who());
    node.put("kind", i.kind());
    node.put("subject", i.subject());
    node.put("openedAt", i.openedAt().toString());
    node.put("lastHitAt", i.lastHitAt().toString());
    node.put("hits", i.hits());
    node.put("escalationLevel", i.escalationLevel());
    if (i.acknowledgedBy() != null) {
      node.put("acknowledgedBy", i.acknowledgedBy());
    }
    if (i.closedAt() != null) {
      node.put("closedBy", i.closedBy());
      node.put("closedAt", i.closedAt().toString());
      node.put("outcome", i.outcome());
    }
    return Json.text(node);
  }
}
