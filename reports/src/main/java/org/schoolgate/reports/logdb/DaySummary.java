package org.schoolgate.reports.logdb;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import org.schoolgate.policy.accesslog.AccessLogFiles;

/**
 * A finished day's hourly summary, {@code access-YYYY-MM-DD.hours.parquet}: requests (not DNS
 * lines) counted by hour (in the school's zone), group, deciding category and action, a few
 * thousand rows where the day holds millions of lines. Written from the day's Parquet copy right
 * after the conversion, with the same modification time (the JSON lines' from before the
 * conversion), so it is stale exactly when the copy is. The aggregate reports read it for whole
 * days in their period and the lines only for the rest (today, a stale day, a partial day).
 */
public final class DaySummary {
  /** The summary's file suffix (after {@code access-YYYY-MM-DD}). */
  public static final String SUFFIX = ".hours.parquet";
  /** The summary's columns: {@code hour} (TIMESTAMPTZ), {@code group}, {@code category}, {@code action}, {@code n}. */
  static final String SELECT = "SELECT date_trunc('hour', time) AS hour, " + Sql.GROUP + " AS \"group\", "
      + Sql.DECIDING_CATEGORY + " AS category, coalesce(action, '(none)') AS action, count(*)::BIGINT AS n";

  private DaySummary() {}

  /** The summary file's name for {@code day}. */
  public static String name(LocalDate day) {
    String parquet = AccessLogFiles.parquet(day);
    return parquet.substring(0, parquet.length() - AccessLogFiles.PARQUET.length()) + SUFFIX;
  }

  /** Writes the summary of the Parquet copy {@code parquet} to {@code target} (atomically), dated {@code time}. */
  static void write(Connection c, Path parquet, Path target, FileTime time) throws SQLException, IOException {
    Path tmp = target.resolveSibling(".tmp-" + target.getFileName());
    try (Statement s = c.createStatement()) {
      s.execute("COPY (" + SELECT + " FROM read_parquet(" + LogDatabase.quote(parquet.toAbsolutePath().toString())
          + ") WHERE event IS NULL GROUP BY ALL ORDER BY hour) TO " + LogDatabase.quote(tmp.toAbsolutePath().toString())
          + " (FORMAT parquet, COMPRESSION zstd)");
    } catch (SQLException e) {
      Files.deleteIfExists(tmp);
      throw e;
    }
    Files.setLastModifiedTime(tmp, time);
    Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }
}
