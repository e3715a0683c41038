package org.schoolgate.store.jdbc;

import org.schoolgate.policy.testing.MutableClock;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Instant;
import org.schoolgate.store.DatabaseConfig;

/**
 * A fresh, migrated store for one test on one vendor, with a mutable clock and raw JDBC access
 * (for tampering and for asserting what is stored).
 */
final class TestDatabase implements AutoCloseable {
  /** Cheap Argon2id so tests stay fast; production uses {@link PasswordHasher.production()}. */
  static final PasswordHasher FAST_HASHER = new PasswordHasher(64, 1, 1);
  static final Instant START = Instant.parse("2026-03-02T08:00:00Z");

  private final Vendor vendor;
  private final DatabaseConfig config;
  private final MutableClock clock = new MutableClock(START);
  private JdbcStore store;

  /** The two databases every repository test runs on. */
  enum Vendor { SQLITE, POSTGRESQL }

  TestDatabase(Vendor vendor, DatabaseConfig config) {
    this.vendor = vendor;
    this.config = config;
  }

  static TestDatabase sqlite(Path dir) {
    return new TestDatabase(Vendor.SQLITE, DatabaseConfig.sqlite(dir));
  }

  static TestDatabase postgres(String jdbcUrl) {
    return new TestDatabase(Vendor.POSTGRESQL, new DatabaseConfig(jdbcUrl, "postgres", null));
  }

  Vendor vendor() {
    return vendor;
  }

  DatabaseConfig config() {
    return config;
  }

  MutableClock clock() {
    return clock;
  }

  /** The store, opened (and migrated) on first use. */
  synchronized JdbcStore store() {
    if (store == null) {
      store = JdbcStore.open(config, clock, FAST_HASHER);
    }
    return store;
  }

  /** Closes and opens the store again, as after a restart. */
  synchronized JdbcStore reopen() {
    if (store != null) {
      store.close();
    }
    store = null;
    return store();
  }

  /** A raw connection outside the store's pool (auto-commit), e.g. to tamper with rows. */
  Connection raw() throws SQLException {
    return DriverManager.getConnection(config.jdbcUrl(), config.user() == null ? "" : config.user(),
        config.password() == null ? "" : config.password());
  }

  @Override
  public synchronized void close() {
    if (store != null) {
      store.close();
      store = null;
    }
  }

  @Override
  public String toString() {
    return vendor.name().toLowerCase(java.util.Locale.ROOT);
  }
}
