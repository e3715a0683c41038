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
import org.schoolgate.policy.accesslog.OwnerOnly;

/**
 * A finished day's summaries, beside its Parquet copy ({@code access-YYYY-MM-DD.<kind>.parquet}),
 * each a few thousand rows where the day holds millions of lines:
 *
 * <ul>
 *   <li>{@link #HOURS}: requests (not DNS lines) by hour in the school's zone, group, deciding
 *       category and action — the blocked-requests report;
 *   <li>{@link #SITES}: blocked requests by host, person and deciding category — the top blocked
 *       sites (people are counted across days, so the person stays in the row);
 *   <li>{@link #BYPASSES}: bypass attempts by kind, group and person — the bypass report.
 * </ul>
 * They are written from the day's Parquet copy right after the conversion, with the copy's
 * modification time (the JSON lines' from before the conversion), so they are stale exactly when
 * the copy is. The aggregate reports read them for the whole days in their period and the lines,
 * counted the same way, for the rest (today, a stale day, part of a day) — see {@link Rollup}.
 * Hours are whole hours of the school's zone, so a day bucket is a sum of hour buckets wherever the
 * zone's offset is a whole number of hours (every UK zone).
 */
public enum DaySummary {
  HOURS(".hours.parquet", "SELECT date_trunc('hour', time) AS hour, " + Sql.GROUP + " AS \"group\", "
      + Sql.DECIDING_CATEGORY + " AS category, coalesce(action, '(none)') AS action, count(*)::BIGINT AS n", "TRUE"),
  SITES(".sites.parquet", "SELECT host, " + Sql.WHO + " AS who, " + Sql.DECIDING_CATEGORY
      + " AS category, count(*)::BIGINT AS n", "action = 'block' AND host IS NOT NULL"),
  BYPASSES(".bypasses.parquet", "SELECT kind, " + Sql.GROUP + " AS \"group\", " + Sql.WHO
      + " AS who, count(*)::BIGINT AS n", "kind IS NOT NULL");

  private final String suffix;
  private final String select;
  private final String where;

  DaySummary(String suffix, String select, String where) {
    this.suffix = suffix;
    this.select = select;
    this.where = where;
  }

  /** The summary file's name for {@code day}. */
  public String name(LocalDate day) {
    String parquet = AccessLogFiles.parquet(day);
    return parquet.substring(0, parquet.length() - AccessLogFiles.PARQUET.length()) + suffix;
  }

  /** The file suffix after {@code access-YYYY-MM-DD}. */
  public String suffix() {
    return suffix;
  }

  /** {@code requests} (a relation of log lines, already cut to the period) summarised this way. */
  String summarise(String requests) {
    return "(" + select + " FROM (SELECT *, " + Sql.BYPASS_KIND + " AS kind FROM " + requests + ") WHERE " + where
        + " GROUP BY ALL)";
  }

  /** Writes every summary of the Parquet copy {@code parquet} of {@code day}, each atomically, dated {@code time}. */
  static void writeAll(Connection c, Path dir, LocalDate day, Path parquet, FileTime time)
      throws SQLException, IOException {
    String lines = "(SELECT * FROM read_parquet(" + LogDatabase.quote(parquet.toAbsolutePath().toString())
        + ") WHERE event IS NULL)";
    for (DaySummary kind : values()) {
      Path target = dir.resolve(kind.name(day));
      Path tmp = dir.resolve(".tmp-" + target.getFileName());
      OwnerOnly.createFile(tmp); // blocked hosts by person: owner-only like the access log
      try (Statement s = c.createStatement()) {
        s.execute("COPY " + kind.summarise(lines) + " TO " + LogDatabase.quote(tmp.toAbsolutePath().toString())
            + " (FORMAT parquet, COMPRESSION zstd)");
      } catch (SQLException e) {
        Files.deleteIfExists(tmp);
        throw e;
      }
      OwnerOnly.narrow(tmp);
      Files.setLastModifiedTime(tmp, time);
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  /** True when every summary of {@code day} exists and is at least as new as {@code time}. */
  static boolean upToDate(Path dir, LocalDate day, FileTime time) throws IOException {
    for (DaySummary kind : values()) {
      Path f = dir.resolve(kind.name(day));
      if (!Files.isRegularFile(f) || Files.getLastModifiedTime(f).compareTo(time) < 0) {
        return false;
      }
    }
    return true;
  }
}
