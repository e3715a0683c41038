package org.schoolgate.reports.logdb;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.schoolgate.policy.accesslog.AccessLogFiles;

/**
 * The day files of some days as one SQL relation. A day is read from its Parquet copy when that
 * copy is at least as new as the JSON lines (a late event appended after the conversion makes the
 * copy stale until it is converted again), else from its JSON lines; days without files add
 * nothing.
 *
 * @param parquet the Parquet files read
 * @param jsonLines the JSON-lines files read
 */
public record LogSource(List<Path> parquet, List<Path> jsonLines) {
  public LogSource {
    parquet = List.copyOf(parquet);
    jsonLines = List.copyOf(jsonLines);
  }

  /** The files of the days {@code first} to {@code last} in each of {@code dirs} (every node's log). */
  static LogSource of(List<Path> dirs, LocalDate first, LocalDate last) throws IOException {
    List<LocalDate> days = new ArrayList<>();
    for (LocalDate d = first; !d.isAfter(last); d = d.plusDays(1)) {
      days.add(d);
    }
    List<Path> parquet = new ArrayList<>();
    List<Path> json = new ArrayList<>();
    for (Path dir : dirs) {
      LogSource one = ofDays(dir, days);
      parquet.addAll(one.parquet());
      json.addAll(one.jsonLines());
    }
    return new LogSource(parquet, json);
  }

  /** The files of both sources. */
  LogSource and(LogSource other) {
    List<Path> parquet = new ArrayList<>(this.parquet);
    parquet.addAll(other.parquet);
    List<Path> json = new ArrayList<>(this.jsonLines);
    json.addAll(other.jsonLines);
    return new LogSource(parquet, json);
  }

  /** The files of {@code days} in {@code dir}. */
  static LogSource ofDays(Path dir, List<LocalDate> days) throws IOException {
    List<Path> parquet = new ArrayList<>();
    List<Path> json = new ArrayList<>();
    for (LocalDate d : days) {
      Path p = dir.resolve(AccessLogFiles.parquet(d));
      Path j = dir.resolve(AccessLogFiles.jsonLines(d));
      boolean hasJson = Files.isRegularFile(j);
      if (Files.isRegularFile(p) && (!hasJson || !Files.getLastModifiedTime(j).toInstant()
          .isAfter(Files.getLastModifiedTime(p).toInstant()))) {
        parquet.add(p);
      } else if (hasJson) {
        json.add(j);
      }
    }
    return new LogSource(parquet, json);
  }

  /** Every line (requests and DNS queries), as a parenthesised relation. */
  public String all() {
    List<String> parts = new ArrayList<>();
    if (!parquet.isEmpty()) {
      parts.add("SELECT * FROM read_parquet(" + list(parquet) + ", union_by_name = true)");
    }
    if (!jsonLines.isEmpty()) {
      parts.add("SELECT * FROM " + LogColumns.readJson(list(jsonLines)));
    }
    if (parts.isEmpty()) {
      return "(SELECT * FROM " + LogDatabase.EMPTY + ")";
    }
    return "(" + String.join(" UNION ALL BY NAME ", parts) + ")";
  }

  /** Requests through the proxy only (no DNS lines), as a parenthesised relation. */
  public String requests() {
    return "(SELECT * FROM " + all() + " WHERE event IS NULL)";
  }

  /** The filtering resolver's DNS lines only. */
  public String dns() {
    return "(SELECT * FROM " + all() + " WHERE event = 'dns')";
  }

  /** How many files are read. */
  public int files() {
    return parquet.size() + jsonLines.size();
  }

  private static String list(List<Path> files) {
    StringBuilder b = new StringBuilder("[");
    for (Path f : files) {
      b.append(b.length() == 1 ? "" : ", ").append(LogDatabase.quote(f.toAbsolutePath().toString()));
    }
    return b.append(']').toString();
  }
}
