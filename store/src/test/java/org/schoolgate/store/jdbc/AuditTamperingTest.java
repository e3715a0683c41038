package org.schoolgate.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.schoolgate.store.Actor;
import org.schoolgate.store.AuditEntry;
import org.schoolgate.store.AuditRecord;
import org.schoolgate.store.AuditTrail;
import org.schoolgate.store.AuditTrail.Verification;

/** Tampers with the audit table directly over JDBC and expects verify() to name the first broken record. */
class AuditTamperingTest {
  private static final int RECORDS = 10;

  @DatabaseTest
  void editedContentIsReportedAtThatRecord(TestDatabase db) throws Exception {
    chain(db);

    sql(db, "UPDATE audit SET reason = 'nothing happened' WHERE seq = 7");

    assertThat(db.store().audit().verify())
        .isEqualTo(new Verification.Broken(7, "record 7: content does not match its hash (edited)"));
  }

  @DatabaseTest
  void editedTimestampIsReportedAsEdited(TestDatabase db) throws Exception {
    chain(db);

    sql(db, "UPDATE audit SET at = at + 1 WHERE seq = 3");

    assertThat(db.store().audit().verify())
        .isEqualTo(new Verification.Broken(3, "record 3: content does not match its hash (edited)"));
  }

  @DatabaseTest
  void deletedRecordIsReportedAsMissing(TestDatabase db) throws Exception {
    chain(db);

    sql(db, "DELETE FROM audit WHERE seq = 4");

    assertThat(db.store().audit().verify())
        .isEqualTo(new Verification.Broken(4, "record 4 is missing (deleted)"));
  }

  @DatabaseTest
  void deletedFirstRecordIsReportedAsMissing(TestDatabase db) throws Exception {
    chain(db);

    sql(db, "DELETE FROM audit WHERE seq = 1");

    assertThat(db.store().audit().verify())
        .isEqualTo(new Verification.Broken(1, "record 1 is missing (deleted)"));
  }

  @DatabaseTest
  void swappedRecordsAreReportedAsReordered(TestDatabase db) throws Exception {
    chain(db);

    sql(db, "UPDATE audit SET seq = -5 WHERE seq = 5");
    sql(db, "UPDATE audit SET seq = 5 WHERE seq = 6");
    sql(db, "UPDATE audit SET seq = 6 WHERE seq = -5");

    assertThat(db.store().audit().verify()).isEqualTo(new Verification.Broken(5,
        "record 5: previous hash does not match record 4 (reordered or inserted)"));
  }

  @DatabaseTest
  void recordEditedAndRehashedIsCaughtByTheNextRecordsLink(TestDatabase db) throws Exception {
    chain(db);
    AuditRecord seven = db.store().audit().query(new AuditTrail.Query(null, null, null, null, 6, 1)).get(0);
    String forged = AuditHash.of(seven.prevHash(), 7, Database.micros(seven.at()), seven.type(), seven.actor(),
        seven.address(), seven.target(), "forged reason", seven.before(), seven.after());

    try (Connection c = db.raw();
        PreparedStatement ps = c.prepareStatement("UPDATE audit SET reason = ?, hash = ? WHERE seq = 7")) {
      ps.setString(1, "forged reason");
      ps.setString(2, forged);
      ps.executeUpdate();
    }

    assertThat(db.store().audit().verify()).isEqualTo(new Verification.Broken(8,
        "record 8: previous hash does not match record 7 (reordered or inserted)"));
  }

  @DatabaseTest
  void recordInsertedInTheMiddleIsReported(TestDatabase db) throws Exception {
    chain(db);
    AuditRecord five = db.store().audit().query(new AuditTrail.Query(null, null, null, null, 4, 1)).get(0);
    // make room for a forged record 6, consistently hashed and linked to record 5
    sql(db, "UPDATE audit SET seq = -seq WHERE seq >= 6");
    sql(db, "UPDATE audit SET seq = 1 - seq WHERE seq < 0");
    sql(db, "UPDATE audit_head SET seq = seq + 1");
    insert(db, 6, five.hash(), five.at().toEpochMilli() * 1000, "forged");

    assertThat(db.store().audit().verify()).isEqualTo(new Verification.Broken(7,
        "record 7: previous hash does not match record 6 (reordered or inserted)"));
  }

  @DatabaseTest
  void truncatedTailIsReportedAgainstTheChainHead(TestDatabase db) throws Exception {
    chain(db);

    sql(db, "DELETE FROM audit WHERE seq > 8");

    assertThat(db.store().audit().verify()).isEqualTo(new Verification.Broken(9,
        "record 9 is missing (deleted): the chain ends at record 8 but 10 records were written"));
  }

  @DatabaseTest
  void recordAppendedBehindTheStoresBackIsReported(TestDatabase db) throws Exception {
    chain(db);
    AuditRecord last = db.store().audit().query(new AuditTrail.Query(null, null, null, null, 9, 1)).get(0);

    insert(db, 11, last.hash(), Database.micros(last.at()), "appended");

    assertThat(db.store().audit().verify()).isEqualTo(new Verification.Broken(11,
        "record 11 is beyond the recorded chain head (record 10): inserted"));
  }

  @DatabaseTest
  void emptiedTableIsReported(TestDatabase db) throws Exception {
    chain(db);

    sql(db, "DELETE FROM audit");

    assertThat(db.store().audit().verify()).isEqualTo(new Verification.Broken(1,
        "record 1 is missing (deleted): the chain ends at record 0 but 10 records were written"));
  }

  @DatabaseTest
  void appendsContinueAValidChainAfterVerification(TestDatabase db) throws Exception {
    chain(db);
    assertThat(db.store().audit().verify()).isInstanceOf(Verification.Valid.class);

    AuditRecord next = db.store().audit().append(new AuditEntry("policy.reloaded", Actor.system("sighup"), "policy",
        "", null, null));

    assertThat(next.seq()).isEqualTo(RECORDS + 1);
    assertThat(db.store().audit().verify()).isEqualTo(new Verification.Valid(RECORDS + 1, next.hash()));
    try (Connection c = db.raw(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT seq, hash FROM audit_head")) {
      rs.next();
      assertThat(rs.getLong(1)).isEqualTo(RECORDS + 1);
      assertThat(rs.getString(2)).isEqualTo(next.hash());
    }
  }

  private static void chain(TestDatabase db) {
    for (int i = 1; i <= RECORDS; i++) {
      db.store().audit().append(new AuditEntry("test.event", new Actor(null, "user" + i, "10.0.0." + i),
          "thing:" + i, "reason " + i, i % 2 == 0 ? null : "{\"n\":" + i + "}", "{\"n\":" + (i + 1) + "}"));
      db.clock().advance(Duration.ofSeconds(1));
    }
    assertThat(db.store().audit().verify()).isInstanceOf(Verification.Valid.class);
  }

  private static void insert(TestDatabase db, long seq, String prevHash, long atMicros, String reason)
      throws SQLException {
    String hash = AuditHash.of(prevHash, seq, atMicros, "test.event", "mallory", null, "thing:x", reason, null, null);
    try (Connection c = db.raw(); PreparedStatement ps = c.prepareStatement(
        "INSERT INTO audit (seq, at, type, actor, address, target, reason, before_state, after_state, prev_hash, hash)"
            + " VALUES (?, ?, 'test.event', 'mallory', NULL, 'thing:x', ?, NULL, NULL, ?, ?)")) {
      ps.setLong(1, seq);
      ps.setLong(2, atMicros);
      ps.setString(3, reason);
      ps.setString(4, prevHash);
      ps.setString(5, hash);
      ps.executeUpdate();
    }
  }

  private static void sql(TestDatabase db, String sql) throws SQLException {
    try (Connection c = db.raw(); Statement s = c.createStatement()) {
      s.executeUpdate(sql);
    }
  }
}
