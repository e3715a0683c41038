package org.schoolgate.store.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import javax.sql.DataSource;
import org.schoolgate.store.StoreException;
import org.schoolgate.store.StoreUnavailableException;

/**
 * The pool, the vendor and the clock, with helpers to run work in a transaction. Database
 * failures become {@link StoreUnavailableException} (after a rollback); {@link StoreException}s
 * thrown by the work roll back and pass through unchanged.
 */
final class Database {

  /** Work on a connection. */
  @FunctionalInterface
  interface Work<T> {
    T run(Connection connection) throws SQLException;
  }

  private final DataSource dataSource;
  private final boolean postgres;
  private final Clock clock;
  private final String node;

  Database(DataSource dataSource, boolean postgres, Clock clock) {
    this(dataSource, postgres, clock, null);
  }

  Database(DataSource dataSource, boolean postgres, Clock clock, String node) {
    this.dataSource = dataSource;
    this.postgres = postgres;
    this.clock = clock;
    this.node = node;
  }

  /** This node's name, written into the audit records it appends (null: unnamed). */
  String node() {
    return node;
  }

  boolean postgres() {
    return postgres;
  }

  /** The clock's time, truncated to the microseconds the database keeps. */
  Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MICROS);
  }

  /** {@code " FOR UPDATE"} on PostgreSQL; nothing on SQLite, whose write transactions lock the file. */
  String forUpdate() {
    return postgres ? " FOR UPDATE" : "";
  }

  /** Runs {@code work} in one transaction (on SQLite an IMMEDIATE one: the write lock is taken at once). */
  <T> T write(String what, Work<T> work) {
    try (Connection c = dataSource.getConnection()) {
      return inTransaction(c, work);
    } catch (SQLException e) {
      throw unavailable(what, e);
    }
  }

  /** Runs read-only {@code work} in auto-commit mode. */
  <T> T read(String what, Work<T> work) {
    try (Connection c = dataSource.getConnection()) {
      return work.run(c);
    } catch (SQLException e) {
      throw unavailable(what, e);
    }
  }

  /**
   * Runs read-only {@code work} on one consistent snapshot (REPEATABLE READ on PostgreSQL; a
   * transaction on SQLite).
   */
  <T> T snapshot(String what, Work<T> work) {
    try (Connection c = dataSource.getConnection()) {
      if (!postgres) {
        return inTransaction(c, work);
      }
      int isolation = c.getTransactionIsolation();
      c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
      try {
        return inTransaction(c, work);
      } finally {
        c.setTransactionIsolation(isolation);
      }
    } catch (SQLException e) {
      throw unavailable(what, e);
    }
  }

  /**
   * Begins a write transaction (on SQLite an IMMEDIATE one, which takes the write lock), runs an
   * UPDATE that matches no row and rolls back: nothing is written, but a read-only, unreachable or
   * locked database fails here as a write would.
   */
  void probe() {
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      try (java.sql.Statement s = c.createStatement()) {
        s.executeUpdate("UPDATE audit_head SET seq = seq WHERE seq < 0");
      } finally {
        try {
          c.rollback();
        } finally {
          c.setAutoCommit(true);
        }
      }
    } catch (SQLException e) {
      throw unavailable("checking that the database takes writes", e);
    }
  }

  /** Runs {@code work} on {@code c} in one transaction: commit, or roll back and rethrow. */
  private static <T> T inTransaction(Connection c, Work<T> work) throws SQLException {
    c.setAutoCommit(false);
    try {
      T result = work.run(c);
      c.commit();
      return result;
    } catch (SQLException | RuntimeException e) {
      rollbackQuietly(c, e);
      throw e;
    } finally {
      c.setAutoCommit(true);
    }
  }

  private static void rollbackQuietly(Connection c, Exception cause) {
    try {
      c.rollback();
    } catch (SQLException rollbackFailure) {
      cause.addSuppressed(rollbackFailure);
    }
  }

  private static StoreUnavailableException unavailable(String what, SQLException e) {
    return new StoreUnavailableException("database error while " + what + ": " + e.getMessage(), e);
  }

  /** True when {@code e} is a unique-constraint violation (either vendor). */
  static boolean isUniqueViolation(SQLException e) {
    if ("23505".equals(e.getSQLState())) {
      return true;
    }
    String message = e.getMessage();
    return message != null && message.contains("UNIQUE constraint failed");
  }

  static long micros(Instant instant) {
    return ChronoUnit.MICROS.between(Instant.EPOCH, instant);
  }

  static Instant instant(long micros) {
    return Instant.EPOCH.plus(micros, ChronoUnit.MICROS);
  }

  /** The instant in column {@code column}, or null. */
  static Instant instantOrNull(ResultSet rs, String column) throws SQLException {
    long value = rs.getLong(column);
    return rs.wasNull() ? null : instant(value);
  }

  /** The instant in column number {@code column}, or null. */
  static Instant instantOrNull(ResultSet rs, int column) throws SQLException {
    long value = rs.getLong(column);
    return rs.wasNull() ? null : instant(value);
  }

  static void setInstantOrNull(PreparedStatement ps, int index, Instant instant) throws SQLException {
    if (instant == null) {
      ps.setNull(index, Types.BIGINT);
    } else {
      ps.setLong(index, micros(instant));
    }
  }

  static void setLongOrNull(PreparedStatement ps, int index, Long value) throws SQLException {
    if (value == null) {
      ps.setNull(index, Types.BIGINT);
    } else {
      ps.setLong(index, value);
    }
  }
}
