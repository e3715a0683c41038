package org.schoolgate.store.jdbc;

import java.sql.PreparedStatement;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.schoolgate.store.Actor;
import org.schoolgate.store.Alert;
import org.schoolgate.store.AlertId;
import org.schoolgate.store.AlertStore;
import org.schoolgate.store.AuditEntry;
import org.schoolgate.store.Incident;
import org.schoolgate.store.NewAlert;
import org.schoolgate.store.StoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link AlertStore} on the {@code alerts} table; each change and its audit record in one
 * transaction. A new alert for the DSL (with no link of its own) opens or joins its incident in
 * the same transaction and links to it ({@code incident:<id>}).
 */
final class JdbcAlertStore implements AlertStore {
  private static final Logger LOG = LoggerFactory.getLogger(JdbcAlertStore.class);

  private final Database db;
  private final AuditWriter audit;
  private final AlertRows rows;

  private final IncidentRows incidents;

  JdbcAlertStore(Database db, AuditWriter audit, AlertRows rows, IncidentRows incidents) {
    this.db = db;
    this.audit = audit;
    this.rows = rows;
    this.incidents = incidents;
  }

  @Override
  public Alert raise(NewAlert alert, Actor raisedBy) {
    return raise(alert, raisedBy, null);
  }

  @Override
  public Alert raise(NewAlert alert, Actor raisedBy, Instant occurredAt) {
    Objects.requireNonNull(alert, "alert");
    Objects.requireNonNull(raisedBy, "raisedBy");
    Alert raised = db.write("raising alert " + alert.idempotencyKey(), c -> {
      Optional<Alert> created = rows.insert(c, alert, raisedBy);
      if (created.isEmpty()) {
        return rows.raise(c, alert, raisedBy); // the key is taken: the first alert, nothing written
      }
      Alert a = created.get();
      if (!IncidentRows.opensIncidents(a)) {
        return a;
      }
      // same transaction: an alert for the DSL is never stored without its incident
      Optional<Incident> closed = occurredAt == null ? Optional.empty() : incidents.closedAfter(c, a, occurredAt);
      Incident incident = closed.isPresent() ? incidents.attachClosed(c, a, closed.get(), occurredAt, raisedBy)
          : incidents.attach(c, a, raisedBy);
      NewAlert linked = new NewAlert(alert.severity(), alert.kind(), alert.audience(), alert.subject(),
          alert.details(), alert.who(), incident.id().link(), alert.idempotencyKey());
      return new Alert(a.id(), a.raisedAt(), linked, null, null);
    });
    LOG.info("alert {} ({} {} for {}): {}", raised.id(), alert.severity().apiName(), alert.kind(),
        alert.audience().apiName(), alert.subject());
    return raised;
  }

  @Override
  public List<Alert> list(Query query) {
    Objects.requireNonNull(query, "query");
    if (query.limit() < 1 || query.limit() > 1000) {
      throw new StoreException("invalid", "limit " + query.limit() + " is out of range (use 1-1000)", "limit");
    }
    StringBuilder sql = new StringBuilder("SELECT " + AlertRows.COLUMNS + " FROM alerts WHERE 1 = 1");
    if (query.audience() != null) {
      sql.append(" AND audience = ?");
    }
    if (query.unacknowledgedOnly()) {
      sql.append(" AND acknowledged_at IS NULL");
    }
    sql.append(" ORDER BY id DESC LIMIT ").append(query.limit());
    return db.read("listing alerts", c -> {
      try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
        if (query.audience() != null) {
          ps.setString(1, query.audience().apiName());
        }
        return AlertRows.readAll(ps);
      }
    });
  }

  @Override
  public Alert acknowledge(AlertId id, Actor actor) {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(actor, "actor");
    Alert after = db.write("acknowledging alert " + id, c -> {
      Alert before = AlertRows.find(c, id, db.forUpdate())
          .orElseThrow(() -> new StoreException("not_found", "alert " + id + " does not exist", "id"));
      if (before.acknowledged()) {
        throw new StoreException("conflict", "alert " + id + " was already acknowledged by "
            + before.acknowledgedBy() + " at " + before.acknowledgedAt(), "id");
      }
      Instant now = db.now();
      try (PreparedStatement ps = c.prepareStatement("UPDATE alerts SET acknowledged_by = ?, acknowledged_at = ?"
          + " WHERE id = ? AND acknowledged_at IS NULL")) {
        ps.setString(1, actor.name());
        ps.setLong(2, Database.micros(now));
        ps.setLong(3, id.value());
        if (ps.executeUpdate() != 1) {
          throw new java.sql.SQLException("alert " + id + " changed while locked");
        }
      }
      Alert changed = new Alert(before.id(), before.raisedAt(), before.content(), actor.name(), now);
      audit.append(c, new AuditEntry("alert.acknowledged", actor, AlertRows.target(id), before.content().subject(),
          AlertRows.json(before), AlertRows.json(changed)), false);
      return changed;
    });
    LOG.info("alert {} acknowledged by {}", id, actor.name());
    return after;
  }

  @Override
  public Optional<Alert> get(AlertId id) {
    Objects.requireNonNull(id, "id");
    return db.read("reading alert " + id, c -> AlertRows.find(c, id, ""));
  }
}
