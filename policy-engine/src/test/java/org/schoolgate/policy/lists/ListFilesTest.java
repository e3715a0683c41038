package org.schoolgate.policy.lists;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.schoolgate.policy.TestPolicies;
import org.schoolgate.policy.compile.CategoryLoad;
import org.schoolgate.policy.compile.CompiledPolicy;

/** List files: plain or gzip, comments, blank lines, CRLF, duplicates and invalid lines. */
class ListFilesTest {
  @TempDir Path dir;

  private static final String MESSY = "# a comment\r\n\r\nExample.COM\r\nexample.com.\r\n*.wild.test\r\n"
      + ".leading.test\r\nnot a domain\r\nhttp://x.test/path\r\n   \r\nbücher.example  # a comment after an entry\r\n";

  @Test
  void plainAndGzipFilesCountEveryLine() throws IOException {
    Path plain = dir.resolve("domains");
    Files.writeString(plain, MESSY);
    Path gz = dir.resolve("domains.gz");
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
      out.write(MESSY.getBytes(StandardCharsets.UTF_8));
    }
    for (Path file : List.of(plain, gz)) {
      Set<String> seen = new HashSet<>();
      List<String> added = new ArrayList<>();
      ListStats s = ListFileReader.readDomains(file, d -> seen.add(d) && added.add(d));
      assertThat(added).containsExactly("example.com", "wild.test", "leading.test", "xn--bcher-kva.example");
      assertThat(s).isEqualTo(new ListStats(file, 10, 4, 1, 2, 3, List.of(
          new InvalidLine(file, 7, "not a domain",
              "host 'not a domain' contains ' ' (expected: letters, digits, '-' and '.')"),
          new InvalidLine(file, 8, "http://x.test/path",
              "'http://x.test/path' has a '/' (expected: a domain only; host/path entries belong in a urls file)"))));
      assertThat(s.firstInvalid().get(0)).hasToString(file + ":7: host 'not a domain' contains ' '"
          + " (expected: letters, digits, '-' and '.'): not a domain");
    }
  }

  @Test
  void keepsOnlyTheFirstTwentyInvalidLinesButCountsThemAll() throws IOException {
    StringBuilder text = new StringBuilder("good.example\n");
    for (int i = 0; i < 30; i++) {
      text.append("bad^").append(i).append(".example\n");
    }
    text.append("x".repeat(300)).append(" tail\n");
    Path file = Files.writeString(dir.resolve("domains"), text);

    ListStats s = ListFileReader.readDomains(file, d -> true);

    assertThat(s.entries()).isEqualTo(1);
    assertThat(s.invalid()).isEqualTo(31);
    assertThat(s.firstInvalid()).hasSize(ListStats.KEPT_INVALID);
    assertThat(s.firstInvalid()).extracting(InvalidLine::line).containsExactly(
        2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21);
    assertThat(s.firstInvalid().get(19).text()).isEqualTo("bad^19.example");
  }

  @Test
  void aVeryLongInvalidLineIsKeptShortened() throws IOException {
    Path file = Files.writeString(dir.resolve("domains"), "x".repeat(300) + " tail\n");

    InvalidLine bad = ListFileReader.readDomains(file, d -> true).firstInvalid().get(0);

    assertThat(bad.text()).hasSize(InvalidLine.MAX_TEXT).endsWith("xxx...");
  }

  @Test
  void unicodeAndPunycodeSpellingsOfAListedDomainAreOneEntry() throws IOException {
    Path file = Files.writeString(dir.resolve("domains"),
        "straße.de\nxn--strae-oqa.de\nSTRASSE.de\nxn--bcher-kva.example\nBÜCHER.example\n"
            + "xn--a.example\nwww.xn--ab--cd.example\n");
    Set<String> seen = new HashSet<>();
    List<String> added = new ArrayList<>();

    ListStats s = ListFileReader.readDomains(file, d -> seen.add(d) && added.add(d));

    assertThat(added).containsExactly("xn--strae-oqa.de", "strasse.de", "xn--bcher-kva.example");
    assertThat(s.duplicates()).isEqualTo(2);
    assertThat(s.firstInvalid()).extracting(InvalidLine::line, InvalidLine::problem).containsExactly(
        org.assertj.core.groups.Tuple.tuple(6, "host 'xn--a.example' is not a valid international domain name:"
            + " an xn-- label does not decode to a label that encodes back to it"
            + " (expected: a name browsers accept, in Unicode or as valid xn-- punycode)"),
        org.assertj.core.groups.Tuple.tuple(7, "host 'www.xn--ab--cd.example' is not a valid international domain name:"
            + " an xn-- label is not valid punycode"
            + " (expected: a name browsers accept, in Unicode or as valid xn-- punycode)"));
  }

  @Test
  void aPolicyListedInUnicodeBlocksThePunycodeRequestAndTheOtherWayRound() throws IOException {
    Path cat = Files.createDirectories(dir.resolve("lists/mine/shops"));
    Files.writeString(cat.resolve("domains"), "straße.de\nxn--80ak6aa92e.com\n");
    CompiledPolicy policy = TestPolicies.compile(dir, """
        lists:
          - { name: mine, format: squidguard, path: lists/mine }
        groups:
          pupils: { subnets: [10.0.0.0/8] }
        categories:
          shops: { sources: [mine/shops] }
        matrix:
          shops: { default: unacceptable }
        """);

    for (String host : List.of("xn--strae-oqa.de", "www.XN--STRAE-OQA.de", "straße.de", "www.STRAẞE.de",
        "аррӏе.com", "xn--80ak6aa92e.com")) {
      assertThat(policy.categoriesOf(host, "/").joined()).as(host).isEqualTo("shops");
    }
    assertThat(policy.categoriesOf("strasse.de", "/").joined()).isEmpty();
  }

  @Test
  void squidGuardDirectoriesPlainFilesAndInlineEntriesAllFeedACategory() throws IOException {
    Path cat = Files.createDirectories(dir.resolve("lists/mine/games"));
    Files.writeString(cat.resolve("domains"), "roblox.com\nminiclip.com\n");
    Files.writeString(cat.resolve("urls"), "example.org/games/\n");
    Files.writeString(dir.resolve("extra.txt"), "# extra\npoki.com\nroblox.com\n");
    CompiledPolicy policy = TestPolicies.compile(dir, """
        lists:
          - { name: mine, format: squidguard, path: lists/mine }
          - { name: absent, format: squidguard, path: lists/absent, required: false }
        groups:
          pupils: { subnets: [10.0.0.0/8] }
        categories:
          games:
            sources: [mine/games, absent/games]
            files: [extra.txt]
            domains: [crazygames.com, poki.com]
            urls: [example.net/play/]
        matrix:
          games: { default: unacceptable }
        """);
    assertThat(policy.loads()).extracting(CategoryLoad::source, CategoryLoad::kind,
        l -> l.stats().entries(), l -> l.stats().duplicates()).containsExactly(
        org.assertj.core.groups.Tuple.tuple("mine/games", "domains", 2, 0),
        org.assertj.core.groups.Tuple.tuple("mine/games", "urls", 1, 0),
        org.assertj.core.groups.Tuple.tuple(dir.resolve("extra.txt").toString(), "domains", 1, 1),
        org.assertj.core.groups.Tuple.tuple("domains", "domains", 1, 1),
        org.assertj.core.groups.Tuple.tuple("urls", "urls", 1, 0));
    assertThat(policy.entryCount()).isEqualTo(6);
    assertThat(policy.categoriesOf("www.poki.com", "/").joined()).isEqualTo("games");
    assertThat(policy.categoriesOf("example.org", "/games/x").joined()).isEqualTo("games");
    assertThat(policy.categoriesOf("example.net", "/play/x").joined()).isEqualTo("games");
    assertThat(policy.warnings()).extracting(w -> w.field()).containsExactly("lists.absent.path");
  }

  @Test
  void aSchoolListFileHoldsDomainsAndHostPathPrefixesAndSaysWhatIsWrongWithABadLine() throws IOException {
    Path file = Files.writeString(dir.resolve("school.txt"), """
        # the school's block list
        example.com  # added by a technician: a reason
        https://www.example.org/games/
        http://plain.example/
        bad^name.example
        """);
    List<String> domains = new ArrayList<>();
    List<Entries.UrlEntry> urls = new ArrayList<>();

    ListStats s = ListFileReader.readEntries(file, domains::add, urls::add);

    assertThat(domains).containsExactly("example.com", "plain.example");
    assertThat(urls).containsExactly(new Entries.UrlEntry("www.example.org", "/games/"));
    assertThat(s.entries()).isEqualTo(3);
    assertThat(s.firstInvalid()).singleElement().satisfies(l -> assertThat(l.text()).isEqualTo("bad^name.example"));
    assertThat(Entries.parseEntry("Example.COM/Games/").text()).isEqualTo("example.com/Games/");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> Entries.parseEntry("user@example.com"))
        .hasMessageContaining("(expected: a domain only, e.g. example.com)");
  }
}
