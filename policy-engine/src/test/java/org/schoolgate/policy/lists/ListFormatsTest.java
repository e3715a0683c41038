package org.schoolgate.policy.lists;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.schoolgate.policy.TestPolicies.facts;
import static org.schoolgate.policy.TestPolicies.london;

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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.schoolgate.policy.Allocations;
import org.schoolgate.policy.Decision;
import org.schoolgate.policy.PolicyException;
import org.schoolgate.policy.Rule;
import org.schoolgate.policy.TestPolicies;
import org.schoolgate.policy.compile.CategoryLoad;
import org.schoolgate.policy.compile.CompiledPolicy;
import org.schoolgate.policy.compile.PolicyCompiler;

/** List formats beyond plain domains: hosts files, {@code format: plain}, expressions, BOMs. */
class ListFormatsTest {
  @TempDir Path dir;

  private static final String HOSTS = "\uFEFF# ad servers\r\n127.0.0.1 localhost\r\n::1 localhost ip6-localhost\r\n"
      + "0.0.0.0 ads.example\r\n127.0.0.1 track.example pixel.example # two names\r\n0.0.0.0 ads.example\r\n"
      + "ads-without-address.example\r\n0.0.0.0 bad_host!.example\r\n\r\n";

  private static ListStats read(Path file, List<String> added) throws IOException {
    Set<String> seen = new HashSet<>();
    return ListFileReader.readHosts(file, d -> seen.add(d) && added.add(d));
  }

  @Test
  void hostsFilesListTheirNamesAndIgnoreTheMachineItself() throws IOException {
    Path file = Files.writeString(dir.resolve("hosts"), HOSTS);
    List<String> added = new ArrayList<>();

    ListStats s = read(file, added);

    assertThat(added).containsExactly("ads.example", "track.example", "pixel.example");
    // 9 lines: comment, 2 localhost lines and the blank line skipped; 3 names; 1 duplicate; 2 invalid
    assertThat(s).isEqualTo(new ListStats(file, 9, 3, 1, 2, 4, List.of(
        new InvalidLine(file, 7, "ads-without-address.example",
            "not a hosts line (expected: address name, e.g. 0.0.0.0 ads.example)"),
        new InvalidLine(file, 8, "0.0.0.0 bad_host!.example",
            "host 'bad_host!.example' contains '!' (expected: letters, digits, '-' and '.')"))));
  }

  @Test
  void aByteOrderMarkIsNotPartOfTheFirstEntry() throws IOException {
    Path file = Files.writeString(dir.resolve("domains"), "\uFEFFfirst.example\r\nsecond.example\r\n");
    List<String> added = new ArrayList<>();

    ListStats s = ListFileReader.readDomains(file, added::add);

    assertThat(added).containsExactly("first.example", "second.example");
    assertThat(s.invalid()).isZero();
  }

  @Test
  void expressionFilesKeepHashesAndRejectWhatRe2jCannotRun() throws IOException {
    Path file = Files.writeString(dir.resolve("expressions"),
        "# comment\n(/banner/|/sponsor/)\n.*/page#anchor\n(a)\\1\n(?=look)ahead\n(/banner/|/sponsor/)\n");
    List<String> added = new ArrayList<>();
    Set<String> seen = new HashSet<>();

    ListStats s = ListFileReader.readExpressions(file, r -> {
      try {
        com.google.re2j.Pattern.compile(r);
        return r;
      } catch (com.google.re2j.PatternSyntaxException e) {
        throw new IllegalArgumentException(e.getDescription());
      }
    }, e -> seen.add(e) && added.add(e));

    assertThat(added).containsExactly("(/banner/|/sponsor/)", ".*/page#anchor");
    assertThat(s).extracting(ListStats::lines, ListStats::entries, ListStats::duplicates, ListStats::invalid,
        ListStats::skipped).containsExactly(6, 2, 1, 2, 1);
    assertThat(s.firstInvalid()).extracting(InvalidLine::line, InvalidLine::text)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(4, "(a)\\1"),
            org.assertj.core.groups.Tuple.tuple(5, "(?=look)ahead"));
  }

  private void gzip(Path file, String text) throws IOException {
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
      out.write(text.getBytes(StandardCharsets.UTF_8));
    }
  }

  private CompiledPolicy formats() throws IOException {
    Files.createDirectories(dir.resolve("hosts"));
    Files.writeString(dir.resolve("hosts/ads"), HOSTS);
    Files.createDirectories(dir.resolve("plain"));
    gzip(dir.resolve("plain/games.gz"), "roblox.com\nminiclip.com\n");
    Path ut = Files.createDirectories(dir.resolve("sg/publicite"));
    Files.writeString(ut.resolve("domains"), "doubleclick.net\n");
    gzip(ut.resolve("expressions.gz"), "(/banner/|/sponsor/)\n^[0-9.]+/search\\?q=[0-9]+$\n(a)\\1\n");
    Path porn = Files.createDirectories(dir.resolve("sg/adult"));
    Files.writeString(porn.resolve("domains"), "adult.example\n");
    Files.writeString(porn.resolve("expressions"), "(sex|porn)\n");
    return TestPolicies.compile(dir, """
        lists:
          - { name: blocklist, format: hosts, path: hosts }
          - { name: mine, format: plain, path: plain }
          - { name: sg, format: squidguard, path: sg }
        groups:
          pupils: { subnets: [10.0.0.0/8] }
        categories:
          ads: { sources: [blocklist/ads, sg/publicite] }
          games: { sources: [mine/games] }
          adult: { sources: [sg/adult] }
          reference: { domains: [wikipedia.org] }
        matrix:
          ads: { default: unacceptable }
          games: { default: acceptable }
          adult: { default: unacceptable }
          reference: { default: acceptable }
        """);
  }

  @Test
  void hostsPlainAndSquidGuardListsFeedCategories() throws IOException {
    CompiledPolicy policy = formats();

    assertThat(policy.loads()).extracting(CategoryLoad::source, CategoryLoad::kind, l -> l.stats().entries(),
        l -> l.stats().invalid()).containsExactly(
        org.assertj.core.groups.Tuple.tuple("blocklist/ads", "hosts", 3, 2),
        org.assertj.core.groups.Tuple.tuple("sg/publicite", "domains", 1, 0),
        org.assertj.core.groups.Tuple.tuple("sg/publicite", "expressions", 2, 1),
        org.assertj.core.groups.Tuple.tuple("mine/games", "domains", 2, 0),
        org.assertj.core.groups.Tuple.tuple("sg/adult", "domains", 1, 0),
        org.assertj.core.groups.Tuple.tuple("sg/adult", "expressions", 1, 0),
        org.assertj.core.groups.Tuple.tuple("domains", "domains", 1, 0));
    CategoryLoad hosts = policy.loads().get(0);
    assertThat(hosts.invalid()).isEqualTo(2);
    assertThat(hosts.firstInvalid()).extracting(Object::toString).containsExactly(
        dir.resolve("hosts/ads") + ":7: not a hosts line (expected: address name, e.g. 0.0.0.0 ads.example):"
            + " ads-without-address.example",
        dir.resolve("hosts/ads") + ":8: host 'bad_host!.example' contains '!' (expected: letters, digits, '-' and '.'):"
            + " 0.0.0.0 bad_host!.example");
    assertThat(policy.expressionCount()).isEqualTo(3);
    assertThat(policy.categoriesOf("cdn.pixel.example", "/").joined()).isEqualTo("ads");
    assertThat(policy.categoriesOf("www.roblox.com", "/").joined()).isEqualTo("games");
    assertThat(policy.categoriesOf("localhost", "/").joined()).isEmpty();
  }

  @ParameterizedTest(name = "{0}{1} -> [{2}]")
  @CsvSource(delimiter = '|', nullValues = "null", textBlock = """
      news.example       | /banner/top.gif        | ads
      NEWS.Example.      | /Sponsor/x             | ads
      10.1.2.3           | /search?q=42           | ads
      10.1.2.3           | /search?q=42&x=1       | ''
      news.example       | /sexy-banner/          | adult
      news.example       | /banner/porn           | ads,adult
      news.example       | /news/                 | ''
      wikipedia.org      | /wiki/Sex_education    | reference
      www.roblox.com     | /banner/               | games
      news.example       | ''                     | ''
      """)
  void expressionsMatchOnlyUrlsNoDomainEntryDecided(String host, String path, String categories) throws IOException {
    assertThat(formats().categoriesOf(host, path).joined()).isEqualTo(categories);
  }

  @Test
  void decideBlocksByExpressionWithTheCategorysRule() throws IOException {
    CompiledPolicy policy = formats();

    Decision d = policy.decide(facts("pupils", null, "news.example", "/banner/top.gif", london("2026-11-23T10:00")));

    assertThat(d.blocked()).isTrue();
    assertThat(d.rule()).isEqualTo(Rule.MATRIX);
    assertThat(d.reason()).isEqualTo("ads is unacceptable for pupils");
    assertThat(policy.decide(facts("pupils", null, "news.example", "/news/", london("2026-11-23T10:00"))).rule())
        .isEqualTo(Rule.DEFAULT);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      url: http://lists.example/blacklists.tar.gz   | lists.ut1: list 'ut1': url 'http://lists.example/blacklists.tar.gz' is not an https URL
      url: https://lists.example/x.tar.gz, sha256: abc | lists.ut1: list 'ut1': sha256 'abc' is not 64 hex digits
      format: squid                                 | lists.ut1.format: unknown format 'squid' (expected: squidguard, hosts or plain)
      sha256: %s                                    | lists.ut1: list 'ut1': sha256 is set without a url
      ca-file: proxy-ca.pem                         | lists.ut1: list 'ut1': ca-file is set without a url
      format: hosts, url: https://lists.example/h   | lists.ut1: list 'ut1': a hosts list with a url needs a category (expected: the category the downloaded file becomes, e.g. category: ads for
      format: plain, category: ads                  | lists.ut1: list 'ut1': category is set without a url (expected: both, or neither)
      category: ads, url: https://lists.example/x.tar.gz | lists.ut1: list 'ut1': category is for hosts and plain lists (expected: none for squidguard; its archive has a directory per category)
      format: hosts, url: https://lists.example/h, category: ../x | lists.ut1: list 'ut1': category '../x' is not a file name
      format: hosts, url: https://lists.example/h, category: ads.gz | lists.ut1: list 'ut1': category 'ads.gz' is not a file name
      """)
  void badListFieldsAreErrorsNamingTheField(String field, String message) throws IOException {
    Files.createDirectories(dir.resolve("ut1"));
    Path file = TestPolicies.write(dir, """
        lists:
          - { name: ut1, path: ut1, %s }
        groups:
          pupils: { subnets: [10.0.0.0/8] }
        matrix: {}
        """.formatted(field.replace("%s", "0".repeat(64))));

    assertThatThrownBy(() -> PolicyCompiler.compile(file, TestPolicies.CLOCK))
        .isInstanceOf(PolicyException.class).hasMessageContaining(message);
  }

  @Test
  void aHostsOrPlainListWithAUrlNamesTheCategoryItsDownloadBecomes() throws Exception {
    Files.createDirectories(dir.resolve("hosts"));
    Files.writeString(dir.resolve("hosts/ads"), "0.0.0.0 ads.example\n");
    Path file = TestPolicies.write(dir, """
        lists:
          - { name: blocklist, format: hosts, path: hosts, url: "https://lists.example/hosts.gz", category: ads }
        groups:
          pupils: { subnets: [10.0.0.0/8] }
        categories:
          ads: { sources: [blocklist/ads] }
        matrix:
          ads: { default: unacceptable }
        """);

    List<org.schoolgate.policy.model.ListSource> lists = org.schoolgate.policy.model.PolicyReader.readLists(file);

    assertThat(lists).singleElement().satisfies(l -> {
      assertThat(l.category()).isEqualTo("ads");
      assertThat(l.url()).hasToString("https://lists.example/hosts.gz");
    });
    assertThat(PolicyCompiler.compileFile(file, TestPolicies.CLOCK).categoriesOf("ads.example", "/").joined())
        .isEqualTo("ads");
  }

  private static long allocatedBy(CompiledPolicy policy, List<org.schoolgate.policy.RequestFacts> requests, int n) {
    return Allocations.bytesAllocatedByDecide(policy, requests, n / 10, n);
  }

  @Test
  void hostsTheDomainIndexDecidesAndUrlsThePrefilterRulesOutAllocateNothing() throws IOException {
    CompiledPolicy policy = formats();
    java.time.Instant at = london("2026-11-23T10:00");
    List<org.schoolgate.policy.RequestFacts> listed = List.of(
        facts("pupils", null, "www.roblox.com", "/banner/", at),
        facts("pupils", null, "cdn.pixel.example", "/", at),
        facts("pupils", null, "WikiPedia.org", "/wiki/Sex", at));
    List<org.schoolgate.policy.RequestFacts> unlisted = List.of(
        facts("pupils", null, "news.example", "/news/today", at),
        facts("pupils", null, "news.example", "/banner/top.gif", at));

    assertThat(allocatedBy(policy, listed, 200_000)).as("bytes for 200,000 listed decisions").isLessThan(10_000);
    // A URL the literal prefilter rules out (none of /banner/, /sponsor/, /search?q=, sex, porn) allocates nothing.
    assertThat(allocatedBy(policy, unlisted.subList(0, 1), 200_000)).as("bytes for 200,000 ruled-out URLs")
        .isLessThan(10_000);
    // A URL RE2/J must search allocates (the URL text and RE2/J's matcher): measured, not limited.
    long start = System.nanoTime();
    long bytes = allocatedBy(policy, unlisted.subList(1, 2), 200_000);
    System.out.printf("expression path, a URL RE2/J searches: %d bytes, about %d ns per decision%n",
        bytes / 200_000, (System.nanoTime() - start) / 220_000);
  }

  @Test
  void aListCanOptOutOfItsExpressions() throws IOException {
    formats();
    Path file = dir.resolve("policy.yaml");
    Files.writeString(file, Files.readString(file).replace("{ name: sg, format: squidguard, path: sg }",
        "{ name: sg, format: squidguard, path: sg, expressions: false }"));
    CompiledPolicy policy;
    try {
      policy = PolicyCompiler.compileFile(file, TestPolicies.CLOCK);
    } catch (PolicyException e) {
      throw new AssertionError(e.getMessage(), e);
    }

    assertThat(policy.expressionCount()).isZero();
    assertThat(policy.categoriesOf("news.example", "/banner/top.gif").joined()).isEmpty();
    assertThat(policy.categoriesOf("doubleclick.net", "/").joined()).isEqualTo("ads");
  }
}
