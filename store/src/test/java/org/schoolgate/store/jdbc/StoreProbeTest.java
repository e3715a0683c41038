package org.schoolgate.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import org.schoolgate.policy.testing.Eventually;
import org.schoolgate.store.AuditTrail;
import org.schoolgate.store.StoreProbe;

/** {@code Store.probe()}: whether the database takes a write, without writing anything. */
class StoreProbeTest {

  @DatabaseTest
  void aWorkingDatabaseIsWritableAndTheProbeChangesNothing(TestDatabase db) {
    JdbcStore store = db.store();

    StoreProbe probe = store.probe();

    assertThat(probe).isInstanceOf(StoreProbe.Writable.class);
    assertThat(probe.vendor()).isEqualTo(db.toString());
    assertThat(store.audit().verify()).isEqualTo(new AuditTrail.Verification.Valid(0, "0".repeat(64)));
  }

  /**
   * PostgreSQL made read-only (as a standby after a fail-over is): the probe says so, and says
   * writable again once it is not. SQLite held by another process's exclusive lock (a backup, an
   * open {@code sqlite3} shell): unusable after the busy timeout, writable once released.
   */
  @DatabaseTest
  void aDatabaseThatRefusesWritesIsUnusableUntilItTakesThemAgain(TestDatabase db) throws Exception {
    JdbcStore store = db.store();
    assertThat(store.probe()).isInstanceOf(StoreProbe.Writable.class);
    try (Connection raw = db.raw(); Statement s = raw.createStatement()) {
      if (db.vendor() == TestDatabase.Vendor.POSTGRESQL) {
        String name = raw.getCatalog();
        s.execute("ALTER DATABASE " + name + " SET default_transaction_read_only = on");
        terminateOtherSessions(s, name); // the pool's sessions started writable
        Eventually.within(Duration.ofSeconds(30), () -> assertThat(store.probe()).isInstanceOfSatisfying(
            StoreProbe.Unusable.class, u -> assertThat(u.problem()).contains("read-only transaction")));
        s.execute("ALTER DATABASE " + name + " RESET default_transaction_read_only");
        terminateOtherSessions(s, name);
      } else {
        s.execute("BEGIN EXCLUSIVE");
        assertThat(store.probe()).isInstanceOfSatisfying(StoreProbe.Unusable.class,
            u -> assertThat(u.problem()).contains("checking that the database takes writes").contains("locked"));
        s.execute("COMMIT");
      }
    }
    Eventually.within(Duration.ofSeconds(30), () -> assertThat(store.probe()).isInstanceOf(StoreProbe.Writable.class));
  }

  @DatabaseTest
  void aClosedStoreIsUnusable(TestDatabase db) {
    JdbcStore store = db.store();
    store.close();

    assertThat(store.probe()).isInstanceOfSatisfying(StoreProbe.Unusable.class,
        u -> assertThat(u.problem()).contains("checking that the database takes writes"));
  }

  private static void terminateOtherSessions(Statement s, String database) throws Exception {
    s.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" + database
        + "' AND pid <> pg_backend_pid()");
  }
}
