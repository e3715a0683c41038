package org.schoolgate.policy.lists;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Function;
import java.util.zip.GZIPInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads one list file, plain or gzip ({@code .gz}), one entry per line. Blank lines and
 * {@code #} comments (whole lines, or after whitespace at the end of a line) are skipped, CR line endings are tolerated, duplicates and invalid lines are
 * counted; invalid lines are logged with file:line (the first few per file, then a count).
 */
public final class ListFileReader {
  private static final Logger log = LoggerFactory.getLogger(ListFileReader.class);
  private static final int LOGGED_INVALID_PER_FILE = 5;

  /** Receives entries; returns false when the category already had the entry. */
  @FunctionalInterface
  public interface Sink<T> {
    boolean add(T entry);
  }

  private ListFileReader() {}

  /** Reads a domain-per-line file. */
  public static ListStats readDomains(Path file, Sink<String> sink) throws IOException {
    return read(file, Entries::domain, sink);
  }

  /** Reads a {@code host/path}-per-line file. */
  public static ListStats readUrls(Path file, Sink<Entries.UrlEntry> sink) throws IOException {
    return read(file, Entries::url, sink);
  }

  /** The file to read for {@code base} in a squidGuard directory: plain if present, else {@code .gz}; null if neither. */
  public static Path plainOrGzip(Path dir, String base) {
    Path plain = dir.resolve(base);
    if (Files.isRegularFile(plain)) {
      return plain;
    }
    Path gz = dir.resolve(base + ".gz");
    return Files.isRegularFile(gz) ? gz : null;
  }

  private static <T> ListStats read(Path file, Function<String, T> parse, Sink<T> sink) throws IOException {
    int lines = 0;
    int entries = 0;
    int duplicates = 0;
    int invalid = 0;
    int skipped = 0;
    try (InputStream raw = Files.newInputStream(file);
        InputStream in = file.getFileName().toString().endsWith(".gz")
            ? new GZIPInputStream(raw, 1 << 16) : raw;
        BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16)) {
      String line;
      while ((line = reader.readLine()) != null) {
        lines++;
        String text = line.strip();
        if (text.isEmpty() || text.charAt(0) == '#') {
          skipped++;
          continue;
        }
        T entry = parse.apply(withoutTrailingComment(text));
        if (entry == null) {
          invalid++;
          if (invalid <= LOGGED_INVALID_PER_FILE) {
            log.warn("{}:{}: not a list entry, skipped: '{}'", file, lines, abbreviate(text));
          }
        } else if (sink.add(entry)) {
          entries++;
        } else {
          duplicates++;
        }
      }
    }
    if (invalid > LOGGED_INVALID_PER_FILE) {
      log.warn("{}: {} invalid lines in all, skipped", file, invalid);
    }
    return new ListStats(file, lines, entries, duplicates, invalid, skipped);
  }

  /** Drops a trailing comment: a '#' after whitespace ({@code example.com  # why}). */
  static String withoutTrailingComment(String text) {
    for (int i = 1; i < text.length(); i++) {
      if (text.charAt(i) == '#' && Character.isWhitespace(text.charAt(i - 1))) {
        return text.substring(0, i).strip();
      }
    }
    return text;
  }

  private static String abbreviate(String s) {
    return s.length() <= 80 ? s : s.substring(0, 77) + "...";
  }
}
