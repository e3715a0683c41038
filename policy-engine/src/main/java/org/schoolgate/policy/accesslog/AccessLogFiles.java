package org.schoolgate.policy.accesslog;

import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Objects;
import java.util.Optional;

/**
 * The names of the access log's daily files, {@code access-YYYY-MM-DD.jsonl} (one per local day in
 * the policy's zone): the one place the proxy's writer and the alert side's readers take them from.
 *
 * <pre>{@code
 * Path today = dir.resolve(AccessLogFiles.name(LocalDate.of(2026, 11, 23)));   // access-2026-11-23.jsonl
 * AccessLogFiles.dateOf("access-2026-11-23.jsonl");                           // Optional[2026-11-23]
 * }</pre>
 */
public final class AccessLogFiles {
  /** A glob for {@code Files.newDirectoryStream} that matches every day's file (and maybe more: check with {@link #dateOf}). */
  public static final String GLOB = "access-*.jsonl";
  private static final String PREFIX = "access-";
  private static final String SUFFIX = ".jsonl";
  /** {@code access-} + {@code YYYY-MM-DD} + {@code .jsonl}. */
  private static final int LENGTH = PREFIX.length() + 10 + SUFFIX.length();

  private AccessLogFiles() {}

  /** The file name of {@code day}'s access log, e.g. {@code access-2026-11-23.jsonl}. */
  public static String name(LocalDate day) {
    Objects.requireNonNull(day, "day");
    return PREFIX + DateTimeFormatter.ISO_LOCAL_DATE.format(day) + SUFFIX;
  }

  /** The day whose access log {@code fileName} is, or empty when it is not one of {@link #name}'s names. */
  public static Optional<LocalDate> dateOf(String fileName) {
    if (fileName == null || fileName.length() != LENGTH || !fileName.startsWith(PREFIX)
        || !fileName.endsWith(SUFFIX)) {
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
}
