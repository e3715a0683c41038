package org.schoolgate.policy.accesslog;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The names of the access log's day files, the one place the proxy's writer, the alert side's
 * readers and the reports take them from. The proxy writes each event to the file of its date in
 * the policy's time zone ({@code access-2026-11-23.jsonl}); the reports keep a Parquet copy of a
 * finished day beside it ({@code access-2026-11-23.parquet}).
 *
 * <pre>{@code
 * Path today = dir.resolve(AccessLogFiles.name(LocalDate.of(2026, 11, 23)));   // access-2026-11-23.jsonl
 * AccessLogFiles.dateOf("access-2026-11-23.jsonl");                           // Optional[2026-11-23]
 * NavigableMap<LocalDate, Path> days = AccessLogFiles.jsonLinesByDay(dir);
 * }</pre>
 */
public final class AccessLogFiles {
  private static final String PREFIX = "access-";
  /** The JSON-lines day file's suffix. */
  public static final String JSON_LINES = ".jsonl";
  /** The Parquet copy's suffix. */
  public static final String PARQUET = ".parquet";
  /** A glob for {@code Files.newDirectoryStream} that matches every day's file (and maybe more: check with {@link #dateOf}). */
  public static final String GLOB = PREFIX + "*" + JSON_LINES;

  private AccessLogFiles() {}

  /** The file name of {@code day}'s access log, e.g. {@code access-2026-11-23.jsonl}. */
  public static String name(LocalDate day) {
    return jsonLines(day);
  }

  /** {@code access-YYYY-MM-DD.jsonl}. */
  public static String jsonLines(LocalDate date) {
    Objects.requireNonNull(date, "day");
    return PREFIX + DateTimeFormatter.ISO_LOCAL_DATE.format(date) + JSON_LINES;
  }

  /** {@code access-YYYY-MM-DD.parquet}. */
  public static String parquet(LocalDate date) {
    Objects.requireNonNull(date, "day");
    return PREFIX + DateTimeFormatter.ISO_LOCAL_DATE.format(date) + PARQUET;
  }

  /** The day whose access log {@code fileName} is, or empty when it is not one of {@link #name}'s names. */
  public static Optional<LocalDate> dateOf(String fileName) {
    return day(fileName, JSON_LINES);
  }

  /**
   * The day of a file named {@code access-YYYY-MM-DD<suffix>}; empty for any other name (a
   * temporary file, the alert checkpoint, a file someone left there).
   */
  public static Optional<LocalDate> day(String fileName, String suffix) {
    if (fileName == null || !fileName.startsWith(PREFIX) || !fileName.endsWith(suffix)
        || fileName.length() != PREFIX.length() + 10 + suffix.length()) {
      return Optional.empty();
    }
    String date = fileName.substring(PREFIX.length(), PREFIX.length() + 10);
    for (int i = 0; i < date.length(); i++) {
      char c = date.charAt(i);
      boolean dash = i == 4 || i == 7;
      if (dash ? c != '-' : c < '0' || c > '9') {
        return Optional.empty();
      }
    }
    try {
      return Optional.of(LocalDate.parse(date));
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  /** The JSON-lines day files in {@code dir} by day, oldest first; empty when {@code dir} does not exist. */
  public static NavigableMap<LocalDate, Path> jsonLinesByDay(Path dir) throws IOException {
    return byDay(dir, JSON_LINES);
  }

  /** The day files in {@code dir} with {@code suffix} by day, oldest first; empty when {@code dir} does not exist. */
  public static NavigableMap<LocalDate, Path> byDay(Path dir, String suffix) throws IOException {
    NavigableMap<LocalDate, Path> days = new TreeMap<>();
    if (!Files.isDirectory(dir)) {
      return days;
    }
    try (DirectoryStream<Path> all = Files.newDirectoryStream(dir, PREFIX + "*" + suffix)) {
      for (Path f : all) {
        day(f.getFileName().toString(), suffix).ifPresent(d -> days.put(d, f));
      }
    }
    return days;
  }
}
