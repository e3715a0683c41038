package org.schoolgate.reports.logdb;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;
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
  /** The directory of every node's access-log directory, or null (this node's log only). */
  private final Path nodeLogs;
  private final Supplier<ZoneId> zone;
  private final DuckDBConnection root;

  private LogDatabase(Path dir, Path nodeLogs, Supplier<ZoneId> zone, DuckDBConnection root) {
    this.dir = dir;
    this.nodeLogs = nodeLogs;
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
      return new LogDatabase(accessLogDir, settings.nodeLogs(), zone, c.unwrap(DuckDBConnection.class));
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

  /** The access-log directory (this node's: the one the maintenance converts and prunes). */
  public Path dir() {
    return dir;
  }

  /**
   * The directories the reports read: this node's access-log directory, and with
   * {@link ReportsSettings#nodeLogs()} every directory in it (the other nodes' logs; this node's
   * own, when it is there too, once). Read when a report runs, so a node added later is included.
   *
   * @throws IOException when the node-logs directory cannot be listed (a report then fails and
   *     says so, rather than leaving the other nodes out silently)
   */
  public List<Path> dirs() throws IOException {
    return dirs(dir, nodeLogs);
  }

  /** {@code own} and every directory in {@code nodeLogs} (null: none), each once, in name order. */
  public static List<Path> dirs(Path own, Path nodeLogs) throws IOException {
    List<Path> out = new ArrayList<>();
    out.add(own);
    if (nodeLogs == null) {
      return out;
    }
    List<Path> nodes;
    try (Stream<Path> list = Files.list(nodeLogs)) {
      nodes = list.filter(Files::isDirectory).filter(p -> !p.getFileName().toString().startsWith(".")).sorted()
          .toList();
    } catch (IOException e) {
      throw new IOException("cannot list the nodes' access logs in " + nodeLogs + " (reports.node-logs): " + e, e);
    }
    for (Path node : nodes) {
      if (!Files.exists(own) || !Files.isSameFile(node, own)) {
        out.add(node);
      }
    }
    return out;
  }

  /** The school's time zone now. */
  public ZoneId zone() {
    return zone.get();
  }

  /** The period split into summarised whole days and the rest ({@link Rollup}). */
  public Rollup rollup(org.schoolgate.reports.Period period) throws IOException {
    return Rollup.of(dirs(), period);
  }

  /** The day files of {@code period} as one relation. */
  public LogSource source(org.schoolgate.reports.Period period) throws IOException {
    return LogSource.of(dirs(), period.firstDay(), period.lastDay());
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
