package org.schoolgate.policy.compile;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.google.re2j.Pattern;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.zip.GZIPOutputStream;
import org.schoolgate.policy.CategoryId;
import org.schoolgate.policy.index.CategorySets;
import org.schoolgate.policy.index.HostIndex;
import org.schoolgate.policy.index.IndexBuilder;
import org.schoolgate.policy.lists.Entries;
import org.schoolgate.policy.lists.InvalidLine;
import org.schoolgate.policy.lists.ListFileReader;
import org.schoolgate.policy.lists.ListStats;
import org.schoolgate.policy.url.UrlParser;

/**
 * Fuzzes the list-file readers (see {@code docs/fuzzing.md}): a squidGuard {@code domains},
 * {@code urls} or {@code expressions} file, a hosts file or a plain list, as written or gzipped,
 * is read without any exception but an {@link IOException} for a broken gzip stream; the counts
 * add up; each invalid line is kept with its line number and the reason; every entry is in its
 * normal form, and the index built from the entries finds each of them. For expressions, the
 * matcher (with its literal prefilter) answers for every test URL exactly what RE2/J says for
 * each expression on its own.
 *
 * <p>Input: the first byte chooses the reader (low 3 bits: domains, urls, hosts, expressions,
 * plain) and gzip (bit 3); the rest is the file. In an expressions file, comment lines
 * {@code #? host/path} are test URLs.
 */
class ListFilesFuzzTest {
  private static final int CATEGORY = 0;
  private static final Path DIR = tempDir();

  private enum Kind { DOMAINS, URLS, HOSTS, EXPRESSIONS, PLAIN }

  @FuzzTest(maxDuration = "25s")
  void everyListFileReadsToNormalEntriesOrLinesWithTheirReason(byte[] input) throws IOException {
    if (input.length == 0) {
      return;
    }
    Kind kind = Kind.values()[(input[0] & 7) % Kind.values().length];
    boolean gzip = (input[0] & 8) != 0;
    boolean broken = gzip && (input[0] & 16) != 0; // the bytes as they are, named .gz
    byte[] content = java.util.Arrays.copyOfRange(input, 1, input.length);
    Path file = DIR.resolve(kind.name().toLowerCase(java.util.Locale.ROOT) + (gzip ? ".gz" : ""));
    Files.write(file, gzip && !broken ? gzip(content) : content);
    try {
      check(kind, gzip, broken, content, file);
    } finally {
      Files.deleteIfExists(file);
    }
  }

  private static void check(Kind kind, boolean gzip, boolean broken, byte[] content, Path file) {

    List<String> added = new ArrayList<>();
    Set<Object> distinct = new LinkedHashSet<>();
    List<Entries.UrlEntry> urls = new ArrayList<>();
    ListStats stats;
    try {
      stats = switch (kind) {
        case DOMAINS, PLAIN -> ListFileReader.readDomains(file, d -> sink(d, added, distinct));
        case HOSTS -> ListFileReader.readHosts(file, d -> sink(d, added, distinct));
        case URLS -> ListFileReader.readUrls(file, u -> {
          urls.add(u);
          return distinct.add(u);
        });
        case EXPRESSIONS -> ListFileReader.readExpressions(file, ExpressionMatcher::check,
            e -> sink(e, added, distinct));
      };
    } catch (IOException e) {
      assertThat(broken).as("an IOException (%s) from a readable file", e).isTrue();
      return;
    }
    if (broken) {
      return; // the bytes happened to be a gzip stream
    }

    int lines = lineCount(content);
    assertThat(stats.lines()).as("lines").isEqualTo(lines);
    assertThat(stats.entries()).as("entries").isEqualTo(distinct.size());
    int data = stats.entries() + stats.duplicates() + stats.invalid();
    if (kind == Kind.HOSTS) {
      assertThat(stats.skipped() + stats.invalid()).as("skipped + invalid lines").isLessThanOrEqualTo(lines);
    } else {
      assertThat(stats.skipped() + data).as("skipped + entries + duplicates + invalid").isEqualTo(lines);
    }
    checkInvalidLines(file, stats);

    switch (kind) {
      case DOMAINS, PLAIN, HOSTS -> checkDomains(added);
      case URLS -> checkUrls(urls);
      case EXPRESSIONS -> checkExpressions(added, testUrls(content));
    }
  }

  private static boolean sink(String entry, List<String> added, Set<Object> distinct) {
    added.add(entry);
    return distinct.add(entry);
  }

  private static void checkInvalidLines(Path file, ListStats stats) {
    List<InvalidLine> kept = stats.firstInvalid();
    assertThat(kept).hasSize(Math.min(stats.invalid(), ListStats.KEPT_INVALID));
    int previous = 0;
    for (InvalidLine line : kept) {
      assertThat(line.file()).isEqualTo(file);
      assertThat(line.line()).as("line number of %s", line).isGreaterThan(previous).isLessThanOrEqualTo(stats.lines());
      assertThat(line.problem()).as("problem of %s", line).isNotBlank();
      assertThat(line.text()).as("text of %s", line).isNotBlank().hasSizeLessThanOrEqualTo(InvalidLine.MAX_TEXT);
      previous = line.line();
    }
  }

  private static void checkDomains(List<String> domains) {
    IndexBuilder builder = new IndexBuilder(sets());
    for (String d : domains) {
      checkHost(d);
      builder.addDomain(d, CATEGORY);
    }
    HostIndex index = builder.build();
    for (String d : domains) {
      String host = d.indexOf(':') >= 0 ? "[" + d + "]" : d;
      assertThat(index.sets().contains(index.lookup(host, "/"), CATEGORY)).as("index finds %s", d).isTrue();
      if (d.indexOf(':') < 0 && !isDottedQuad(d) && d.length() <= 240) {
        assertThat(index.sets().contains(index.lookup("www." + d, "/"), CATEGORY))
            .as("index finds www.%s", d).isTrue();
      }
    }
  }

  private static void checkUrls(List<Entries.UrlEntry> entries) {
    IndexBuilder builder = new IndexBuilder(sets());
    for (Entries.UrlEntry e : entries) {
      checkHost(e.host());
      String prefix = e.pathPrefix();
      int q = prefix.indexOf('?');
      String path = q < 0 ? prefix : prefix.substring(0, q);
      if (!path.isEmpty()) {
        assertThat(UrlParser.normalizePath(path)).as("path of %s", e).isEqualTo(path);
      }
      builder.addUrl(e, CATEGORY);
    }
    HostIndex index = builder.build();
    for (Entries.UrlEntry e : entries) {
      String host = e.host().indexOf(':') >= 0 ? "[" + e.host() + "]" : e.host();
      String path = e.pathPrefix().isEmpty() ? "/" : e.pathPrefix();
      assertThat(index.sets().contains(index.lookup(host, path), CATEGORY)).as("index finds %s", e).isTrue();
    }
  }

  /** The matcher answers as RE2/J does for each expression alone, prefilter or not. */
  private static void checkExpressions(List<String> expressions, List<String> testUrls) {
    if (expressions.isEmpty()) {
      return;
    }
    CategorySets<Void> sets = sets();
    ExpressionMatcher.Builder builder = new ExpressionMatcher.Builder();
    expressions.forEach(e -> builder.add(CATEGORY, e));
    ExpressionMatcher matcher = builder.build(sets);
    List<Pattern> each = expressions.stream().map(e -> Pattern.compile(e, Pattern.CASE_INSENSITIVE)).toList();
    for (String url : testUrls) {
      int slash = url.indexOf('/');
      String host = slash < 0 ? url : url.substring(0, slash);
      String path = slash < 0 ? "" : url.substring(slash);
      if (host.isEmpty()) {
        continue;
      }
      boolean expected;
      try {
        String normal = UrlParser.normalizeHost(host) + path;
        expected = each.stream().anyMatch(p -> p.matcher(normal).find());
      } catch (IllegalArgumentException e) {
        expected = false;
      }
      boolean matched = sets.contains(matcher.match(host, path, sets), CATEGORY);
      assertThat(matched).as("expressions %s on host %s path %s", expressions, host, path).isEqualTo(expected);
    }
  }

  private static List<String> testUrls(byte[] content) {
    List<String> urls = new ArrayList<>();
    for (String line : new String(content, StandardCharsets.UTF_8).split("\r\n|\r|\n")) {
      if (line.startsWith("#? ")) {
        urls.add(line.substring(3));
      }
    }
    return urls;
  }

  private static void checkHost(String host) {
    assertThat(host).as("entry").isNotEmpty();
    if (host.indexOf(':') >= 0) {
      assertThat(UrlParser.normalizeHost("[" + host + "]")).as("entry %s normalised again", host).isEqualTo(host);
    } else {
      assertThat(UrlParser.isNormalDomain(host)).as("entry %s is normal", host).isTrue();
      assertThat(UrlParser.normalizeHost(host)).as("entry %s normalised again", host).isSameAs(host);
    }
  }

  private static boolean isDottedQuad(String host) {
    return host.chars().allMatch(c -> c == '.' || (c >= '0' && c <= '9'));
  }

  private static CategorySets<Void> sets() {
    return new CategorySets<>(List.of(new CategoryId("listed")), members -> null);
  }

  /** Lines as a BufferedReader counts them: ended by \n, \r\n or \r, a last unterminated one too. */
  private static int lineCount(byte[] content) {
    int lines = 0;
    int i = 0;
    int n = content.length;
    int lineStart = 0;
    while (i < n) {
      if (content[i] == '\n' || content[i] == '\r') {
        lines++;
        if (content[i] == '\r' && i + 1 < n && content[i + 1] == '\n') {
          i++;
        }
        lineStart = i + 1;
      }
      i++;
    }
    return lineStart < n ? lines + 1 : lines;
  }

  private static byte[] gzip(byte[] content) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(content);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  private static Path tempDir() {
    try {
      Path dir = Files.createTempDirectory("schoolgate-listfuzz");
      dir.toFile().deleteOnExit();
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
