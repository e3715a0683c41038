package org.schoolgate.policy.lists;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.zip.GZIPInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads one list file, plain or gzip ({@code .gz}), one entry per line. A UTF-8 byte-order mark
 * is dropped, CRLF and CR line endings are tolerated, blank lines and {@code #} comments (whole
 * lines, or after whitespace at the end of a line; not in expression files, where {@code #} may be
 * part of a pattern) are skipped, duplicates and invalid lines are counted; invalid lines are
 * logged with file:line and the reason (the first few per file, then a count) and the first
 * {@value ListStats#KEPT_INVALID} are kept in {@link ListStats#firstInvalid()}. Nothing here is
 * fatal but an unreadable file.
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
    return read(file, true, one(Entries::parseDomain), sink);
  }

  /** Reads a {@code host/path}-per-line file. */
  public static ListStats readUrls(Path file, Sink<Entries.UrlEntry> sink) throws IOException {
    return read(file, true, one(Entries::parseUrl), sink);
  }

  /**
   * Reads a file of the school's own entries (a category's {@code files:}): a domain per line, or
   * a {@code host/path} prefix where a path follows the host ({@link Entries#parseEntry}).
   * Entries and duplicates count both kinds.
   */
  public static ListStats readEntries(Path file, Sink<String> domains, Sink<Entries.UrlEntry> urls)
      throws IOException {
    return read(file, true, one(Entries::parseEntry), entry -> entry instanceof Entries.Domain d
        ? domains.add(d.name()) : urls.add((Entries.UrlEntry) entry));
  }

  /**
   * Reads a hosts file: {@code address name [name...]} per line, e.g. {@code 0.0.0.0 ads.example}
   * or {@code 127.0.0.1 a.example b.example}. Names such as {@code localhost} are ignored (a line
   * of only those counts as skipped). Entries and duplicates count names, not lines.
   */
  public static ListStats readHosts(Path file, Sink<String> sink) throws IOException {
    return read(file, true, HostsLine::names, sink);
  }

  /**
   * Reads a squidGuard {@code expressions} file: one regular expression per line, checked with
   * {@code check} (which throws {@link IllegalArgumentException} with the reason for a pattern it
   * cannot use, e.g. a backreference).
   */
  public static ListStats readExpressions(Path file, Function<String, String> check, Sink<String> sink)
      throws IOException {
    return read(file, false, text -> List.of(check.apply(text)), sink);
  }

  /** The file to read for {@code base} in a directory: plain if present, else {@code .gz}; null if neither. */
  public static Path plainOrGzip(Path dir, String base) {
    Path plain = dir.resolve(base);
    if (Files.isRegularFile(plain)) {
      return plain;
    }
    Path gz = dir.resolve(base + ".gz");
    return Files.isRegularFile(gz) ? gz : null;
  }

  private static <T> Function<String, List<T>> one(Function<String, T> parse) {
    return text -> {
      T entry = parse.apply(text);
      return entry == null ? null : List.of(entry);
    };
  }

  /**
   * The parse function returns the entries of a line (empty: nothing to add, counted as skipped),
   * or null or throws {@link IllegalArgumentException} for an invalid line.
   */
  private static <T> ListStats read(Path file, boolean trailingComments, Function<String, List<T>> parse,
      Sink<T> sink) throws IOException {
    int lines = 0;
    int entries = 0;
    int duplicates = 0;
    int invalid = 0;
    int skipped = 0;
    List<InvalidLine> firstInvalid = new ArrayList<>();
    try (InputStream raw = Files.newInputStream(file);
        InputStream in = file.getFileName().toString().endsWith(".gz")
            ? new GZIPInputStream(raw, 1 << 16) : raw;
        BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16)) {
      String line;
      while ((line = reader.readLine()) != null) {
        lines++;
        if (lines == 1 && !line.isEmpty() && line.charAt(0) == '\uFEFF') {
          line = line.substring(1);
        }
        String text = line.strip();
        if (text.isEmpty() || text.charAt(0) == '#') {
          skipped++;
          continue;
        }
        List<T> parsed;
        String reason = "not a list entry";
        try {
          parsed = parse.apply(trailingComments ? withoutTrailingComment(text) : text);
        } catch (IllegalArgumentException e) {
          parsed = null;
          reason = e.getMessage();
        }
        if (parsed == null) {
          invalid++;
          if (invalid <= LOGGED_INVALID_PER_FILE) {
            log.warn("{}:{}: {}, skipped: '{}'", file, lines, reason, abbreviate(text));
          }
          if (invalid <= ListStats.KEPT_INVALID) {
            firstInvalid.add(new InvalidLine(file, lines, text, reason));
          }
          continue;
        }
        if (parsed.isEmpty()) {
          skipped++;
        }
        for (T entry : parsed) {
          if (sink.add(entry)) {
            entries++;
          } else {
            duplicates++;
          }
        }
      }
    }
    if (invalid > LOGGED_INVALID_PER_FILE) {
      log.warn("{}: {} invalid lines in all, skipped", file, invalid);
    }
    return new ListStats(file, lines, entries, duplicates, invalid, skipped, firstInvalid);
  }

  /** Drops a trailing comment: a '#' after whitespace ({@code example.com  # why}). */
  public static String withoutTrailingComment(String text) {
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
