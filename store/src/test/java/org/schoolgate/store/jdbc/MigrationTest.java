package org.schoolgate.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.schoolgate.store.AuditTrail;
import org.schoolgate.store.DatabaseConfig;
import org.schoolgate.store.Store;
import org.schoolgate.store.StoreUnavailableException;

class MigrationTest {

  @DatabaseTest
  void emptyDatabaseIsMigratedToTheCurrentSchemaOnOpen(TestDatabase db) throws Exception {
    JdbcStore store = db.store();

    assertThat(store.vendor()).isEqualTo(db.toString());
    try (Connection c = db.raw(); Statement s = c.createStatement()) {
      for (String table : List.of("accounts", "tokens", "unblocks", "audit", "audit_head", "alerts",
          "alert_deliveries", "incidents", "incident_events", "guest_vouchers", "account_groups")) {
        try (ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + table)) {
          assertThat(rs.next()).as(table).isTrue();
        }
      }
      try (ResultSet rs = s.executeQuery("SELECT seq, hash FROM audit_head")) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getLong(1)).isZero();
        assertThat(rs.getString(2)).isEqualTo("0".repeat(64));
      }
      assertThat(appliedVersions(s)).containsExactly("1", "2", "3", "4", "5", "6", "7", "10", "11", "12", "16", "22", "24");
    }
    assertThat(store.audit().verify()).isEqualTo(new AuditTrail.Verification.Valid(0, "0".repeat(64)));
  }

  @DatabaseTest
  void reopeningAMigratedDatabaseKeepsItsDataAndAppliesNothingTwice(TestDatabase db) throws Exception {
    db.store().audit().append(new org.schoolgate.store.AuditEntry("policy.reloaded",
        org.schoolgate.store.Actor.system("sighup"), "policy", "", null, null));

    JdbcStore reopened = db.reopen();

    assertThat(reopened.audit().query(AuditTrail.Query.all())).hasSize(1);
    try (Connection c = db.raw(); Statement s = c.createStatement()) {
      assertThat(appliedVersions(s)).containsExactly("1", "2", "3", "4", "5", "6", "7", "10", "11", "12", "16", "22", "24");
    }
  }

  @Test
  void sqliteConnectionsUseWalForeignKeysABusyTimeoutAndImmediateTransactions(@TempDir Path dir) throws Exception {
    DatabaseConfig config = DatabaseConfig.sqlite(dir);
    try (com.zaxxer.hikari.HikariDataSource pool = Pools.create(config);
        Connection c = pool.getConnection(); Statement s = c.createStatement()) {
      assertThat(pragma(s, "journal_mode")).isEqualToIgnoringCase("wal");
      assertThat(pragma(s, "foreign_keys")).isEqualTo("1");
      assertThat(pragma(s, "busy_timeout")).isEqualTo(Integer.toString(Pools.SQLITE_BUSY_TIMEOUT_MS));
      assertThat(pool.getMaximumPoolSize()).isEqualTo(1);
      s.execute("CREATE TABLE t (x INTEGER)");
      // the file holds password hashes: owner only, and SQLite's side files follow it
      for (String file : List.of("schoolgate.db", "schoolgate.db-wal", "schoolgate.db-shm")) {
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve(file))))
            .as(file).isEqualTo("rw-------");
      }
    }
  }

  private static String pragma(Statement s, String name) throws Exception {
    try (ResultSet rs = s.executeQuery("PRAGMA " + name)) {
      rs.next();
      return rs.getString(1);
    }
  }

  @Test
  void publicOpenUsesProductionArgon2AndSignsIn(@TempDir Path dir) {
    try (Store store = Store.open(DatabaseConfig.sqlite(dir.resolve("data")), Clock.systemUTC())) {
      store.accounts().create("admin", "Admin", "first admin password".toCharArray(),
          java.util.Set.of(org.schoolgate.store.Role.ADMIN), org.schoolgate.store.Actor.system("cli"));

      assertThat(store.accounts().login("admin", "first admin password".toCharArray(), "127.0.0.1"))
          .isInstanceOf(org.schoolgate.store.AccountStore.LoginOutcome.Success.class);
      assertThat(store.vendor()).isEqualTo("sqlite");
    }
    assertThat(dir.resolve("data").resolve("schoolgate.db")).exists();
  }

  @Test
  void anUnopenableDatabaseFailsWithTheUrlAndNoPassword(@TempDir Path dir) throws Exception {
    Path notADirectory = Files.writeString(dir.resolve("file"), "x");
    String url = "jdbc:sqlite:" + notADirectory.resolve("schoolgate.db");

    assertThatThrownBy(() -> Store.open(new DatabaseConfig(url, null, null), Clock.systemUTC()))
        .isInstanceOf(StoreUnavailableException.class)
        .hasMessageContaining(url);
  }

  @Test
  void anUnreachablePostgresFailsWithTheUrlButNeverThePassword() {
    String url = "jdbc:postgresql://127.0.0.1:1/schoolgate?connectTimeout=2&password=hunter2-secret";

    assertThatThrownBy(() -> Store.open(new DatabaseConfig(url, "sg", "s3cret-password"), Clock.systemUTC()))
        .isInstanceOf(StoreUnavailableException.class)
        .hasMessageContaining("jdbc:postgresql://127.0.0.1:1/schoolgate")
        .hasMessageNotContaining("hunter2-secret")
        .hasMessageNotContaining("s3cret-password");
  }

  @Test
  void aFileThatIsNotADatabaseFailsToMigrateWithTheUrl(@TempDir Path dir) throws Exception {
    Files.write(dir.resolve("schoolgate.db"), new byte[4096]);
    Files.writeString(dir.resolve("schoolgate.db"), "this is not an SQLite database, just text".repeat(100));
    DatabaseConfig config = DatabaseConfig.sqlite(dir);

    assertThatThrownBy(() -> Store.open(config, Clock.systemUTC()))
        .isInstanceOf(StoreUnavailableException.class)
        .hasMessageContaining(config.jdbcUrl());
  }

  private static List<String> appliedVersions(Statement s) throws Exception {
    List<String> versions = new ArrayList<>();
    try (ResultSet rs = s.executeQuery(
        "SELECT version FROM flyway_schema_history WHERE success = TRUE AND version IS NOT NULL ORDER BY installed_rank")) {
      while (rs.next()) {
        versions.add(rs.getString(1));
      }
    }
    return versions;
  }
}
