package org.schoolgate.store.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import org.schoolgate.store.AuditEntry;
import org.schoolgate.store.AuditRecord;

/**
 * Appends one record to the chain inside the caller's transaction. Locks the one {@code
 * audit_head} row first ({@code FOR UPDATE} on PostgreSQL; SQLite write transactions already hold
 * the file lock), so appends from any connection or node form one chain, and moves the head on in
 * the same transaction.
 */
final class AuditWriter {
  private final Database db;

  AuditWriter(Database db) {
    this.db = db;
  }

  /**
   * Takes the chain's lock now (PostgreSQL; SQLite write transactions hold the file already), for
   * work that locks other rows before it appends: everyone then locks the head first, so two
   * transactions never wait for each other's rows (an alert joining an incident appends before it
   * locks the incident).
   */
  void lockHead(Connection c) throws SQLException {
    if (!db.postgres()) {
      return;
    }
    try (PreparedStatement ps = c.prepareStatement("SELECT seq FROM audit_head WHERE id = 1 FOR UPDATE");
        ResultSet rs = ps.executeQuery()) {
      if (!rs.next()) {
        throw new SQLException("audit_head row is missing: the audit trail's chain head was deleted");
      }
    }
  }

  /** Appends {@code entry}; {@code unblockChange} also moves the unblock version on. */
  AuditRecord append(Connection c, AuditEntry entry, boolean unblockChange) throws SQLException {
    long headSeq;
    String headHash;
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT seq, hash FROM audit_head WHERE id = 1" + db.forUpdate());
        ResultSet rs = ps.executeQuery()) {
      if (!rs.next()) {
        throw new SQLException("audit_head row is missing: the audit trail's chain head was deleted");
      }
      headSeq = rs.getLong(1);
      headHash = rs.getString(2);
    }
    long seq = headSeq + 1;
    Instant at = db.now();
    long atMicros = Database.micros(at);
    String address = entry.actor().address();
    String node = db.node();
    String hash = AuditHash.of(headHash, seq, atMicros, entry.type(), entry.actor().name(), address,
        entry.target(), entry.reason(), entry.before(), entry.after(), node);
    try (PreparedStatement ps = c.prepareStatement(
        "INSERT INTO audit (seq, at, type, actor, address, target, reason, before_state, after_state, prev_hash, hash,"
            + " node) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
      ps.setLong(1, seq);
      ps.setLong(2, atMicros);
      ps.setString(3, entry.type());
      ps.setString(4, entry.actor().name());
      ps.setString(5, address);
      ps.setString(6, entry.target());
      ps.setString(7, entry.reason());
      ps.setString(8, entry.before());
      ps.setString(9, entry.after());
      ps.setString(10, headHash);
      ps.setString(11, hash);
      ps.setString(12, node);
      ps.executeUpdate();
    }
    String moveHead = unblockChange
        ? "UPDATE audit_head SET seq = ?, hash = ?, unblock_version = ? WHERE id = 1 AND seq = ?"
        : "UPDATE audit_head SET seq = ?, hash = ? WHERE id = 1 AND seq = ?";
    try (PreparedStatement ps = c.prepareStatement(moveHead)) {
      int i = 1;
      ps.setLong(i++, seq);
      ps.setString(i++, hash);
      if (unblockChange) {
        ps.setLong(i++, seq);
      }
      ps.setLong(i, headSeq);
      if (ps.executeUpdate() != 1) {
        throw new SQLException("audit_head moved during append of record " + seq + " (concurrent writer without lock)");
      }
    }
    return new AuditRecord(seq, at, entry.type(), entry.actor().name(), address, entry.target(), entry.reason(),
        entry.before(), entry.after(), headHash, hash, node);
  }

  static AuditRecord read(ResultSet rs) throws SQLException {
    return new AuditRecord(rs.getLong("seq"), Database.instant(rs.getLong("at")), rs.getString("type"),
        rs.getString("actor"), rs.getString("address"), rs.getString("target"), rs.getString("reason"),
        rs.getString("before_state"), rs.getString("after_state"), rs.getString("prev_hash"), rs.getString("hash"),
        rs.getString("node"));
  }

  static final String COLUMNS =
      "seq, at, type, actor, address, target, reason, before_state, after_state, prev_hash, hash, node";
}
