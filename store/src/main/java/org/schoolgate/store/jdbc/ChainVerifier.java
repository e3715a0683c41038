package org.schoolgate.store.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.schoolgate.store.AuditRecord;
import org.schoolgate.store.AuditTrail.Verification;

/**
 * Walks the audit chain in seq order on one snapshot and names the first record that does not
 * fit: a gap (deleted), a previous hash that is not the preceding record's hash (reordered or
 * inserted), content that does not match its hash (edited), or a chain shorter or longer than
 * the head row says (truncated tail, appended without the head).
 */
final class ChainVerifier {
  private final Database db;

  ChainVerifier(Database db) {
    this.db = db;
  }

  Verification verify() {
    return db.snapshot("verifying the audit trail", this::walk);
  }

  private Verification walk(Connection c) throws SQLException {
    long headSeq;
    String headHash;
    try (PreparedStatement ps = c.prepareStatement("SELECT seq, hash FROM audit_head WHERE id = 1");
        ResultSet rs = ps.executeQuery()) {
      if (!rs.next()) {
        return new Verification.Broken(0, "the chain head (audit_head) is missing (deleted)");
      }
      headSeq = rs.getLong(1);
      headHash = rs.getString(2);
    }
    long expected = 1;
    String previous = AuditHash.GENESIS;
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT " + AuditWriter.COLUMNS + " FROM audit ORDER BY seq")) {
      ps.setFetchSize(500);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          AuditRecord r = AuditWriter.read(rs);
          Verification.Broken broken = check(r, expected, previous, headSeq);
          if (broken != null) {
            return broken;
          }
          previous = r.hash();
          expected++;
        }
      }
    }
    long last = expected - 1;
    if (last < headSeq) {
      return new Verification.Broken(expected, "record " + expected + " is missing (deleted): the chain ends at record "
          + last + " but " + headSeq + " records were written");
    }
    if (!previous.equals(headHash)) {
      return new Verification.Broken(last, "record " + last
          + ": hash does not match the recorded chain head (edited or replaced)");
    }
    return new Verification.Valid(last, previous);
  }

  private static Verification.Broken check(AuditRecord r, long expected, String previous, long headSeq) {
    long seq = r.seq();
    if (seq > headSeq && seq == expected) {
      return new Verification.Broken(seq, "record " + seq + " is beyond the recorded chain head (record " + headSeq
          + "): inserted");
    }
    if (seq < expected) {
      return new Verification.Broken(seq, "record " + seq + " appears twice or out of order (inserted)");
    }
    if (seq > expected) {
      return new Verification.Broken(expected, "record " + expected + " is missing (deleted)");
    }
    if (!previous.equals(r.prevHash())) {
      String which = seq == 1 ? "the chain start" : "record " + (seq - 1);
      return new Verification.Broken(seq, "record " + seq + ": previous hash does not match " + which
          + " (reordered or inserted)");
    }
    String actual = AuditHash.of(r.prevHash(), seq, Database.micros(r.at()), r.type(), r.actor(), r.address(),
        r.target(), r.reason(), r.before(), r.after(), r.node());
    if (!actual.equals(r.hash())) {
      return new Verification.Broken(seq, "record " + seq + ": content does not match its hash (edited)");
    }
    return null;
  }
}
