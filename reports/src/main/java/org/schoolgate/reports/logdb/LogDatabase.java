package org.schoolgate.reports.logdb;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.ZoneId;
import java.util.Objects;
import java.util.function.Supplier;
import org.duckdb.DuckDBConnection;
import org.schoolgate.reports.ReportsSettings;

/**
 * One in-memory DuckDB database over the access-log directory. Each report takes its own
 * connection ({@link #connect()}: a duplicate of the root connection, so reports run side by
 * side), set to the school's time zone, so {@code date_trunc('day', time)} is a school day.
 * Every call blocks: admin threads and the reports' own threads only.
 *
 * <pre>{@code
 * try (LogDatabase db = LogDatabase.open(accessLogDir, ReportsSettings.DEFAULTS, () -> zone);
 *     Connection c = db.connect();
 *     Statement s = c.createStatement();
 *     ResultSet r = s.executeQuery("SELECT count(*) FROM " + db.source(period).requests())) { ... }
 * }</pre>
 */
public final class LogDatabase implements AutoCloseable {
  /** A table with the log's columns and no rows: the relation of a period without files. */
  static final String EMPTY = "schoolgate_empty_log";

  private final Path dir;
  private final Supplier<ZoneId> zone;
  private final DuckDBConnection root;

  private LogDatabase(Path dir, Supplier<ZoneId> zone, DuckDBConnection root) {
    this.dir = dir;
    this.zone = zone;
    this.root = root;
  }

  /**
   * Opens the database over {@code accessLogDir} (created when missing); DuckDB may spill to
   * {@code accessLogDir/.reports-tmp} past {@code settings.memoryLimitMb()}.
   *
   * @param zone the policy's time zone, read for each connection (a reload may change it)
   */
  public static LogDatabase open(Path accessLogDir, ReportsSettings settings, Supplier<ZoneId> zone) {
    Objects.requireNonNull(accessLogDir, "accessLogDir");
    Objects.requireNonNull(settings, "settings");
    Objects.requireNonNull(zone, "zone");
    try {
      Files.createDirectories(accessLogDir);
      Path spill = accessLogDir.resolve(".reports-tmp");
      Connection c = DriverManager.getConnection("jdbc:duckdb:");
      try (Statement s = c.createStatement()) {
        s.execute("SET threads = " + settings.threads());
        s.execute("SET memory_limit = '" + settings.memoryLimitMb() + "MB'");
        s.execute("SET temp_directory = " + quote(spill.toAbsolutePath().toString()));
        s.execute("SET preserve_insertion_order = false");
        s.execute("CREATE TABLE " + EMPTY + " (" + LogColumns.TABLE_COLUMNS + ")");
      } catch (SQLException e) {
        c.close();
        throw e;
      }
      return new LogDatabase(accessLogDir, zone, c.unwrap(DuckDBConnection.class));
    } catch (SQLException | IOException e) {
      throw new IllegalStateException("cannot open the reports database over " + accessLogDir + ": " + e.getMessage(),
          e);
    }
  }

  /** A new connection in the school's time zone; close it after use. */
  public Connection connect() throws SQLException {
    Connection c = root.duplicate();
    try (Statement s = c.createStatement()) {
      s.execute("SET TimeZone = " + quote(zone.get().getId()));
    } catch (SQLException e) {
      c.close();
      throw e;
    }
    return c;
  }

  /** The access-log directory. */
  public Path dir() {
    return dir;
  }

  /** The school's time zone now. */
  public ZoneId zone() {
    return zone.get();
  }

  /** The period split into summarised whole days and the rest ({@link Rollup}). */
  public Rollup rollup(org.schoolgate.reports.Period period) throws IOException {
    return Rollup.of(dir, period);
  }

  /** The day files of {@code period} as one relation. */
  public LogSource source(org.schoolgate.reports.Period period) throws IOException {
    return LogSource.of(dir, period.firstDay(), period.lastDay());
  }

  /** {@code text} as a SQL string literal. */
  static String quote(String text) {
    return "'" + text.replace("'", "''") + "'";
  }

  @Override
  public void close() {
    try {
      root.close();
    } catch (SQLException e) {
      // closing: nothing left to do with it
    }
  }
}
