package org.schoolgate.store.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.schoolgate.policy.UnblockId;
import org.schoolgate.store.Actor;
import org.schoolgate.store.AuditEntry;
import org.schoolgate.store.NewUnblock;
import org.schoolgate.store.StoreException;
import org.schoolgate.store.UnblockRecord;
import org.schoolgate.store.UnblockStatus;
import org.schoolgate.store.UnblockStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link UnblockStore} on the {@code unblocks} table. Every change locks its row, checks the state
 * machine, updates and appends its audit record in one transaction; approving a filter bypass
 * also raises its DSL alert ({@link BypassAlert}) in that transaction.
 */
final class JdbcUnblockStore implements UnblockStore {
  private static final Logger LOG = LoggerFactory.getLogger(JdbcUnblockStore.class);
  static final String EXPIRY = "system:expiry";

  private final Database db;
  private final AuditWriter audit;
  private final AlertRows alerts;

  JdbcUnblockStore(Database db, AuditWriter audit, AlertRows alerts) {
    this.db = db;
    this.audit = audit;
    this.alerts = alerts;
  }

  @Override
  public UnblockRecord request(NewUnblock request, Actor requester) {
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(requester, "requester");
    if (!request.until().isAfter(request.from())) {
      throw new StoreException("invalid", "the unblock ends (" + request.until() + ") before it starts ("
          + request.from() + "); give an end after the start", "until");
    }
    NewUnblock stored = new NewUnblock(request.target(), request.scope(), micro(request.from()),
        micro(request.until()), request.reason(), request.sensitive(), request.categories(), request.fromApproval());
    UnblockRecord record = db.write("storing an unblock request", c -> {
      Instant now = db.now();
      long id;
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO unblocks (status, target_kind, target_host,"
          + " target_path, target_category, scope_json, starts_at, ends_at, reason, sensitive, categories,"
          + " requested_by, requested_by_id, requested_at, starts_at_approval)"
          + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id")) {
        ps.setString(1, UnblockStatus.PENDING.name());
        UnblockRows.bindTarget(ps, 2, stored.target());
        ps.setString(6, UnblockRows.scopeJson(stored.scope()));
        ps.setLong(7, Database.micros(stored.from()));
        ps.setLong(8, Database.micros(stored.until()));
        ps.setString(9, stored.reason());
        ps.setBoolean(10, stored.sensitive());
        ps.setString(11, stored.categories());
        ps.setString(12, requester.name());
        Database.setLongOrNull(ps, 13, requester.account() == null ? null : requester.account().value());
        ps.setLong(14, Database.micros(now));
        ps.setBoolean(15, stored.fromApproval());
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          id = rs.getLong(1);
        }
      }
      UnblockRecord created = new UnblockRecord(new UnblockId(id), stored, UnblockStatus.PENDING, requester.name(),
          requester.account(), now, null, null, null, null, null);
      audit.append(c, new AuditEntry("unblock.requested", requester, target(created.id()), stored.reason(), null,
          UnblockRows.json(created)), true);
      return created;
    });
    LOG.info("unblock {} requested by {}: {}", record.id(), requester.name(), stored.target().text());
    return record;
  }

  @Override
  public UnblockRecord approve(UnblockId id, Actor approver, String note) {
    return decide(id, UnblockStatus.APPROVED, approver, note);
  }

  @Override
  public UnblockRecord deny(UnblockId id, Actor approver, String note) {
    return decide(id, UnblockStatus.DENIED, approver, note);
  }

  @Override
  public UnblockRecord cancel(UnblockId id, Actor requester, String note) {
    return decide(id, UnblockStatus.CANCELLED, requester, note);
  }

  @Override
  public UnblockRecord revoke(UnblockId id, Actor actor, String note) {
    Objects.requireNonNull(actor, "actor");
    UnblockRecord after = db.write("revoking unblock " + id, c -> {
      UnblockRecord before = lock(c, id);
      requireStatus(before, UnblockStatus.APPROVED, "revoked");
      return end(c, before, UnblockStatus.REVOKED, actor, db.now(), note);
    });
    LOG.info("unblock {} revoked by {}", id, actor.name());
    return after;
  }

  @Override
  public List<UnblockRecord> expireDue(Instant now) {
    Objects.requireNonNull(now, "now");
    List<UnblockRecord> expired = db.write("expiring unblocks", c -> {
      List<UnblockRecord> due = new ArrayList<>();
      try (PreparedStatement ps = c.prepareStatement("SELECT " + UnblockRows.COLUMNS
          + " FROM unblocks WHERE status = ? AND ends_at <= ? ORDER BY id" + db.forUpdate())) {
        ps.setString(1, UnblockStatus.APPROVED.name());
        ps.setLong(2, Database.micros(now));
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            due.add(UnblockRows.read(rs));
          }
        }
      }
      List<UnblockRecord> done = new ArrayList<>();
      Actor system = Actor.system("expiry");
      for (UnblockRecord before : due) {
        done.add(end(c, before, UnblockStatus.EXPIRED, system, before.request().until(), ""));
      }
      return done;
    });
    if (!expired.isEmpty()) {
      LOG.info("{} unblock(s) expired", expired.size());
    }
    return expired;
  }

  @Override
  public Optional<UnblockRecord> get(UnblockId id) {
    return db.read("reading unblock " + id, c -> find(c, id, ""));
  }

  @Override
  public List<UnblockRecord> list(Query query) {
    if (query.limit() < 1 || query.limit() > 1000) {
      throw new StoreException("invalid", "limit " + query.limit() + " is out of range (use 1-1000)", "limit");
    }
    StringBuilder sql = new StringBuilder("SELECT " + UnblockRows.COLUMNS + " FROM unblocks WHERE 1 = 1");
    if (query.status() != null) {
      sql.append(" AND status = ?");
    }
    if (query.requestedBy() != null) {
      sql.append(" AND requested_by_id = ?");
    }
    sql.append(" ORDER BY id DESC LIMIT ").append(query.limit());
    return db.read("listing unblocks", c -> {
      try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
        int i = 1;
        if (query.status() != null) {
          ps.setString(i++, query.status().name());
        }
        if (query.requestedBy() != null) {
          ps.setLong(i, query.requestedBy().value());
        }
        return readAll(ps);
      }
    });
  }

  @Override
  public List<UnblockRecord> inForce(Instant now) {
    return db.read("reading unblocks in force", c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT " + UnblockRows.COLUMNS
          + " FROM unblocks WHERE status = ? AND ends_at > ? ORDER BY id")) {
        ps.setString(1, UnblockStatus.APPROVED.name());
        ps.setLong(2, Database.micros(now));
        return readAll(ps);
      }
    });
  }

  @Override
  public long version() {
    return db.read("reading the unblock version", c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT unblock_version FROM audit_head WHERE id = 1");
          ResultSet rs = ps.executeQuery()) {
        return rs.next() ? rs.getLong(1) : 0L;
      }
    });
  }

  private UnblockRecord decide(UnblockId id, UnblockStatus to, Actor actor, String note) {
    Objects.requireNonNull(actor, "actor");
    String verb = to.apiName();
    UnblockRecord after = db.write("recording unblock " + id + " " + verb, c -> {
      UnblockRecord before = lock(c, id);
      requireStatus(before, UnblockStatus.PENDING, verb);
      Instant now = db.now();
      // "for N minutes": the N minutes start now, at approval, not when the teacher asked
      NewUnblock period = to == UnblockStatus.APPROVED && before.request().fromApproval()
          ? before.request().startingAt(micro(now)) : before.request();
      try (PreparedStatement ps = c.prepareStatement("UPDATE unblocks SET status = ?, decided_by = ?,"
          + " decided_at = ?, decision_note = ?, starts_at = ?, ends_at = ? WHERE id = ?")) {
        ps.setString(1, to.name());
        ps.setString(2, actor.name());
        ps.setLong(3, Database.micros(now));
        ps.setString(4, note);
        ps.setLong(5, Database.micros(period.from()));
        ps.setLong(6, Database.micros(period.until()));
        ps.setLong(7, id.value());
        ps.executeUpdate();
      }
      UnblockRecord changed = new UnblockRecord(before.id(), period, to, before.requestedBy(),
          before.requestedById(), before.requestedAt(), actor.name(), now, note, null, null);
      String type = to == UnblockStatus.APPROVED && before.request().bypass() ? "bypass.approved" : "unblock." + verb;
      audit.append(c, new AuditEntry(type, actor, target(id), note, UnblockRows.json(before),
          UnblockRows.json(changed)), true);
      if (to == UnblockStatus.APPROVED && before.request().bypass()) {
        // same transaction: a bypass is never in force without its alert (and both audit records)
        alerts.raise(c, BypassAlert.of(changed), actor);
      }
      return changed;
    });
    LOG.info("unblock {} {} by {}", id, verb, actor.name());
    return after;
  }

  private UnblockRecord end(Connection c, UnblockRecord before, UnblockStatus to, Actor actor, Instant at,
      String note) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "UPDATE unblocks SET status = ?, ended_by = ?, ended_at = ? WHERE id = ? AND status = ?")) {
      ps.setString(1, to.name());
      ps.setString(2, actor.name());
      ps.setLong(3, Database.micros(at));
      ps.setLong(4, before.id().value());
      ps.setString(5, UnblockStatus.APPROVED.name());
      if (ps.executeUpdate() != 1) {
        throw new SQLException("unblock " + before.id() + " changed while locked");
      }
    }
    UnblockRecord changed = new UnblockRecord(before.id(), before.request(), to, before.requestedBy(),
        before.requestedById(), before.requestedAt(), before.decidedBy(), before.decidedAt(), before.decisionNote(),
        actor.name(), at);
    audit.append(c, new AuditEntry("unblock." + to.apiName(), actor, target(before.id()), note,
        UnblockRows.json(before), UnblockRows.json(changed)), true);
    return changed;
  }

  private UnblockRecord lock(Connection c, UnblockId id) throws SQLException {
    return find(c, id, db.forUpdate())
        .orElseThrow(() -> new StoreException("not_found", "unblock " + id + " does not exist", "id"));
  }

  private static Optional<UnblockRecord> find(Connection c, UnblockId id, String lockSuffix) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT " + UnblockRows.COLUMNS + " FROM unblocks WHERE id = ?" + lockSuffix)) {
      ps.setLong(1, id.value());
      List<UnblockRecord> found = readAll(ps);
      return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
    }
  }

  private static List<UnblockRecord> readAll(PreparedStatement ps) throws SQLException {
    List<UnblockRecord> records = new ArrayList<>();
    try (ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        records.add(UnblockRows.read(rs));
      }
    }
    return records;
  }

  private static void requireStatus(UnblockRecord record, UnblockStatus required, String verb) {
    if (record.status() != required) {
      throw new StoreException("conflict", "unblock " + record.id() + " is " + record.status().apiName()
          + "; only " + (required == UnblockStatus.APPROVED ? "an approved" : "a pending") + " request can be " + verb,
          "status");
    }
  }

  private static Instant micro(Instant instant) {
    return instant.truncatedTo(java.time.temporal.ChronoUnit.MICROS);
  }

  static String target(UnblockId id) {
    return "unblock:" + id.value();
  }
}
