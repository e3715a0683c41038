package org.schoolgate.reports.logdb;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import org.schoolgate.policy.accesslog.AccessLogFiles;
import org.schoolgate.reports.Period;

/**
 * A period split for the aggregate reports: the whole days that have an up-to-date
 * {@link DaySummary} (read from it), and the rest (read from the day files).
 *
 * @param summaries the summaries of whole days in the period
 * @param rest the day files of the other days (filter them by the period's times)
 */
public record Rollup(List<Path> summaries, LogSource rest) {
  public Rollup {
    summaries = List.copyOf(summaries);
  }

  static Rollup of(Path dir, Period period) throws IOException {
    ZoneId zone = period.zone();
    List<Path> summaries = new ArrayList<>();
    List<LocalDate> rest = new ArrayList<>();
    for (LocalDate d = period.firstDay(); !d.isAfter(period.lastDay()); d = d.plusDays(1)) {
      boolean whole = !d.atStartOfDay(zone).toInstant().isBefore(period.from())
          && !d.plusDays(1).atStartOfDay(zone).toInstant().isAfter(period.to());
      Path summary = dir.resolve(DaySummary.name(d));
      Path json = dir.resolve(AccessLogFiles.jsonLines(d));
      boolean fresh = Files.isRegularFile(summary) && (!Files.isRegularFile(json)
          || !Files.getLastModifiedTime(json).toInstant().isAfter(Files.getLastModifiedTime(summary).toInstant()));
      if (whole && fresh) {
        summaries.add(summary);
      } else {
        rest.add(d);
      }
    }
    return new Rollup(summaries, LogSource.ofDays(dir, rest));
  }

  /**
   * Requests by {@code hour}, {@code group}, {@code category}, {@code action} with their count
   * {@code n}, over the whole period, as a parenthesised relation: the summaries plus the other
   * days' lines counted the same way.
   */
  public String hours(Period period) {
    String lines = "(" + DaySummary.SELECT + " FROM " + rest.requests() + " WHERE "
        + Sql.between(period.from(), period.to()) + " GROUP BY ALL)";
    if (summaries.isEmpty()) {
      return lines;
    }
    StringBuilder files = new StringBuilder("[");
    for (Path f : summaries) {
      files.append(files.length() == 1 ? "" : ", ").append(LogDatabase.quote(f.toAbsolutePath().toString()));
    }
    files.append(']');
    return "(SELECT hour, \"group\", category, action, n FROM read_parquet(" + files + ") UNION ALL BY NAME "
        + lines + ")";
  }
}
