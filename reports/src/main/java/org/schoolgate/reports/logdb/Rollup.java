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
 * are up to date (read from them), and the rest (read from the day files, cut to the period) —
 * per log directory (one per node when the reports read every node's log), so one node's stale
 * day does not keep another's summaries from being used.
 *
 * @param days the whole days read from their summaries, each in its directory
 * @param rest the day files of the other days
 */
public record Rollup(Period period, List<Summarised> days, LogSource rest) {
  public Rollup {
    days = List.copyOf(days);
  }

  /** A day read from its summaries in {@code dir}. */
  public record Summarised(Path dir, LocalDate day) {}

  static Rollup of(List<Path> dirs, Period period) throws IOException {
    List<Summarised> summarised = new ArrayList<>();
    LogSource rest = new LogSource(List.of(), List.of());
    for (Path dir : dirs) {
      List<LocalDate> lines = new ArrayList<>();
      for (LocalDate d = period.firstDay(); !d.isAfter(period.lastDay()); d = d.plusDays(1)) {
        if (whole(period, d) && DaySummary.upToDate(dir, d, linesTime(dir, d))) {
          summarised.add(new Summarised(dir, d));
        } else {
          lines.add(d);
        }
      }
      rest = rest.and(LogSource.ofDays(dir, lines));
    }
    return new Rollup(period, summarised, rest);
  }

  private static boolean whole(Period period, LocalDate d) {
    ZoneId zone = period.zone();
    return !d.atStartOfDay(zone).toInstant().isBefore(period.from())
        && !d.plusDays(1).atStartOfDay(zone).toInstant().isAfter(period.to());
  }

  private static FileTime linesTime(Path dir, LocalDate d) throws IOException {
    Path json = dir.resolve(AccessLogFiles.jsonLines(d));
    return Files.isRegularFile(json) ? Files.getLastModifiedTime(json) : FileTime.fromMillis(0);
  }

  /**
   * The period's requests summarised as {@code kind}, as a parenthesised relation: the whole
   * days' summaries plus the other days' lines summarised the same way (rows of the same key may
   * repeat across days and nodes: sum {@code n}).
   */
  public String relation(DaySummary kind) {
    String lines = kind.summarise("(SELECT * FROM " + rest.requests() + " WHERE "
        + Sql.between(period.from(), period.to()) + ")");
    if (days.isEmpty()) {
      return lines;
    }
    StringBuilder files = new StringBuilder("[");
    for (Summarised s : days) {
      files.append(files.length() == 1 ? "" : ", ")
          .append(LogDatabase.quote(s.dir().resolve(kind.name(s.day())).toAbsolutePath().toString()));
    }
    files.append(']');
    return "(SELECT * FROM read_parquet(" + files + ") UNION ALL BY NAME " + lines + ")";
  }
}
