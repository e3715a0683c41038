package org.schoolgate.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.Statement;
import org.schoolgate.store.Actor;
import org.schoolgate.store.AuditEntry;
import org.schoolgate.store.AuditRecord;
import org.schoolgate.store.AuditTrail;

/**
 * Two nodes on one database append to one audit chain, each record naming its node; the name is
 * part of the record's hash (changing it breaks the chain), and records written without a name
 * (one node, older releases) verify as before.
 */
class AuditNodeTest {

  @DatabaseTest
  void twoNodesWriteOneChainAndEachRecordNamesItsNode(TestDatabase db) throws Exception {
    db.store().audit().append(entry("before-nodes"));
    try (JdbcStore a = JdbcStore.open(db.config().withNode("proxy-a"), db.clock(), TestDatabase.FAST_HASHER);
        JdbcStore b = JdbcStore.open(db.config().withNode("proxy-b"), db.clock(), TestDatabase.FAST_HASHER)) {
      a.audit().append(entry("on-a"));
      b.audit().append(entry("on-b"));
      a.audit().append(entry("on-a-again"));

      assertThat(a.audit().query(AuditTrail.Query.all())).extracting(AuditRecord::target, AuditRecord::node)
          .containsExactly(org.assertj.core.groups.Tuple.tuple("before-nodes", null),
              org.assertj.core.groups.Tuple.tuple("on-a", "proxy-a"),
              org.assertj.core.groups.Tuple.tuple("on-b", "proxy-b"),
              org.assertj.core.groups.Tuple.tuple("on-a-again", "proxy-a"));
      assertThat(b.audit().verify()).isInstanceOfSatisfying(AuditTrail.Verification.Valid.class,
          v -> assertThat(v.records()).isEqualTo(4));

      try (Connection c = db.raw(); Statement s = c.createStatement()) {
        s.executeUpdate("UPDATE audit SET node = 'proxy-a' WHERE target = 'on-b'");
      }
      assertThat(a.audit().verify()).isInstanceOfSatisfying(AuditTrail.Verification.Broken.class,
          v -> assertThat(v.seq()).isEqualTo(3));
    }
  }

  private static AuditEntry entry(String target) {
    return new AuditEntry("policy.reloaded", Actor.system("test"), target, "", null, null);
  }
}
