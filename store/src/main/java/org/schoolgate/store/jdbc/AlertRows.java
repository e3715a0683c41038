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
import org.schoolgate.store.NewAlert;

/**
 * Writes and reads {@code alerts} rows inside the caller's transaction, so any store can raise an
 * alert together with the change that caused it (and its audit record).
 */
final class AlertRows {
  static final String COLUMNS = "id, raised_at, severity, kind, audience, subject, details, who, link,"
      + " idempotency_key, acknowledged_by, acknowledged_at";

  private final Database db;
  private final AuditWriter audit;

  AlertRows(Database db, AuditWriter audit) {
    this.db = db;
    this.audit = audit;
  }

  /**
   * Inserts {@code alert} and appends {@code alert.raised}; when its idempotency key is taken,
   * returns the existing alert and writes nothing. {@code ON CONFLICT DO NOTHING} (not a caught
   * unique violation) keeps a PostgreSQL transaction usable, and a concurrent raiser of the same
   * key waits for the first to commit and then finds its row.
   */
  Alert raise(Connection c, NewAlert alert, Actor raisedBy) throws SQLException {
    Optional<Alert> created = insert(c, alert, raisedBy);
    if (created.isPresent()) {
      return created.get();
    }
    return byKey(c, alert.idempotencyKey()).orElseThrow(() -> new SQLException("alert with key '"
        + alert.idempotencyKey() + "' conflicted on insert but cannot be read"));
  }

  /** Like {@link #raise}, but empty (and nothing written) when the idempotency key is taken. */
  Optional<Alert> insert(Connection c, NewAlert alert, Actor raisedBy) throws SQLException {
    Instant now = db.now();
    Long id = null;
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO alerts (raised_at, severity, kind, audience,"
        + " subject, details, who, link, idempotency_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
        + " ON CONFLICT (idempotency_key) DO NOTHING RETURNING id")) {
      ps.setLong(1, Database.micros(now));
      ps.setString(2, alert.severity().apiName());
      ps.setString(3, alert.kind());
      ps.setString(4, alert.audience().apiName());
      ps.setString(5, alert.subject());
      ps.setString(6, alert.details());
      ps.setString(7, alert.who());
      if (alert.link() == null) {
        ps.setNull(8, Types.VARCHAR);
      } else {
        ps.setString(8, alert.link());
      }
      ps.setString(9, alert.idempotencyKey());
      try (ResultSet rs = ps.executeQuery()) {
        if (rs.next()) {
          id = rs.getLong(1);
        }
      }
    }
    if (id == null) {
      return Optional.empty();
    }
    Alert raised = new Alert(new AlertId(id), now, alert, null, null);
    audit.append(c, new AuditEntry("alert.raised", raisedBy, target(raised.id()), alert.subject(), null,
        json(raised)), false);
    return Optional.of(raised);
  }

  static Optional<Alert> find(Connection c, AlertId id, String lockSuffix) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM alerts WHERE id = ?" + lockSuffix)) {
      ps.setLong(1, id.value());
      return first(readAll(ps));
    }
  }

  private static Optional<Alert> byKey(Connection c, String key) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM alerts WHERE idempotency_key = ?")) {
      ps.setString(1, key);
      return first(readAll(ps));
    }
  }

  static List<Alert> readAll(PreparedStatement ps) throws SQLException {
    List<Alert> alerts = new ArrayList<>();
    try (ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        alerts.add(read(rs));
      }
    }
    return alerts;
  }

  private static Optional<Alert> first(List<Alert> alerts) {
    return alerts.isEmpty() ? Optional.empty() : Optional.of(alerts.get(0));
  }

  private static Alert read(ResultSet rs) throws SQLException {
    long id = rs.getLong("id");
    String severity = rs.getString("severity");
    String audience = rs.getString("audience");
    NewAlert content = new NewAlert(
        Alert.Severity.parse(severity).orElseThrow(() -> new SQLException("alert " + id
            + " has an unknown severity '" + severity + "'")),
        rs.getString("kind"),
        Alert.Audience.parse(audience).orElseThrow(() -> new SQLException("alert " + id
            + " has an unknown audience '" + audience + "'")),
        rs.getString("subject"), rs.getString("details"), rs.getString("who"), rs.getString("link"),
        rs.getString("idempotency_key"));
    return new Alert(new AlertId(id), Database.instant(rs.getLong("raised_at")), content,
        rs.getString("acknowledged_by"), Database.instantOrNull(rs, "acknowledged_at"));
  }

  static String target(AlertId id) {
    return "alert:" + id.value();
  }

  /** The alert as JSON for the audit trail. */
  static String json(Alert a) {
    ObjectNode node = Json.object();
    node.put("id", a.id().value());
    node.put("raisedAt", a.raisedAt().toString());
    node.put("severity", a.content().severity().apiName());
    node.put("kind", a.content().kind());
    node.put("audience", a.content().audience().apiName());
    node.put("subject", a.content().subject());
    node.put("details", a.content().details());
    node.put("who", a.content().who());
    if (a.content().link() != null) {
      node.put("link", a.content().link());
    }
    node.put("idempotencyKey", a.content().idempotencyKey());
    if (a.acknowledged()) {
      node.put("acknowledgedBy", a.acknowledgedBy());
      node.put("acknowledgedAt", a.acknowledgedAt().toString());
    }
    return Json.text(node);
  }
}
