package org.schoolgate.reports.logdb;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import org.schoolgate.policy.accesslog.AccessLogFiles;
import org.schoolgate.reports.Period;

/**
 * A period split for the aggregate reports: the whole days whose {@link DaySummary summaries}
 * are up to date (read from them), and the rest (read from the day files, cut to the period).
 *
 * @param days the whole days read from their summaries
 * @param rest the day files of the other days
 */
public record Rollup(Path dir, Period period, List<LocalDate> days, LogSource rest) {
  public Rollup {
    days = List.copyOf(days);
  }

  static Rollup of(Path dir, Period period) throws IOException {
    ZoneId zone = period.zone();
    List<LocalDate> summarised = new ArrayList<>();
    List<LocalDate> rest = new ArrayList<>();
    for (LocalDate d = period.firstDay(); !d.isAfter(period.lastDay()); d = d.plusDays(1)) {
      boolean whole = !d.atStartOfDay(zone).toInstant().isBefore(period.from())
          && !d.plusDays(1).atStartOfDay(zone).toInstant().isAfter(period.to());
      Path json = dir.resolve(AccessLogFiles.jsonLines(d));
      FileTime lines = Files.isRegularFile(json) ? Files.getLastModifiedTime(json) : FileTime.fromMillis(0);
      if (whole && DaySummary.upToDate(dir, d, lines)) {
        summarised.add(d);
      } else {
        rest.add(d);
      }
    }
    return new Rollup(dir, period, summarised, LogSource.ofDays(dir, rest));
  }

  /**
   * The period's requests summarised as {@code kind}, as a parenthesised relation: the whole
   * days' summaries plus the other days' lines summarised the same way (rows of the same key may
   * repeat across days: sum {@code n}).
   */
  public String relation(DaySummary kind) {
    String lines = kind.summarise("(SELECT * FROM " + rest.requests() + " WHERE "
        + Sql.between(period.from(), period.to()) + ")");
    if (days.isEmpty()) {
      return lines;
    }
    StringBuilder files = new StringBuilder("[");
    for (LocalDate d : days) {
      files.append(files.length() == 1 ? "" : ", ")
          .append(LogDatabase.quote(dir.resolve(kind.name(d)).toAbsolutePath().toString()));
    }
    files.append(']');
    return "(SELECT * FROM read_parquet(" + files + ") UNION ALL BY NAME " + lines + ")";
  }
}
