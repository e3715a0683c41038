package org.schoolgate.policy.compile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.schoolgate.policy.TestPolicies.facts;
import static org.schoolgate.policy.TestPolicies.london;

import com.google.re2j.Pattern;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.schoolgate.policy.Allocations;
import org.schoolgate.policy.CategoryId;
import org.schoolgate.policy.RequestFacts;
import org.schoolgate.policy.TestPolicies;
import org.schoolgate.policy.index.CategorySets;
import org.schoolgate.policy.testing.Ut1Fixture;
import org.schoolgate.policy.url.UrlParser;

/**
 * The expression matcher answers as RE2/J over the normalised host + path would, for hosts in any
 * form, and a UT1 request mix with UT1's expressions loaded decides without allocating.
 */
class ExpressionMatcherTest {
  private static final String[] UT1_EXPRESSION_CATEGORIES =
      {"malware", "publicite", "special", "strict_redirector", "strong_redirector"};

  @TempDir Path dir;
  private Path blacklists;

  @BeforeEach
  void extractTheUt1Fixture() {
    blacklists = Ut1Fixture.extractTo(dir);
  }

  private List<String> ut1Expressions(String category) throws IOException {
    return Files.readAllLines(blacklists.resolve(category).resolve("expressions"), StandardCharsets.UTF_8).stream()
        .map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
  }

  /** The categories (indexes) whose expressions match the normalised host + path; empty when the host is invalid. */
  private static int[] reference(List<Pattern> patterns, String host, String path) {
    String normal;
    try {
      normal = UrlParser.normalizeHost(host);
    } catch (IllegalArgumentException e) {
      return new int[0];
    }
    String url = normal + path;
    List<Integer> out = new ArrayList<>();
    for (int i = 0; i < patterns.size(); i++) {
      if (patterns.get(i).matcher(url).find()) {
        out.add(i);
      }
    }
    return out.stream().mapToInt(Integer::intValue).toArray();
  }

  @Test
  void matchesAsRe2jOverTheNormalisedHostWhateverTheHostsForm() throws IOException {
    List<String> regexes = new ArrayList<>();
    for (String c : UT1_EXPRESSION_CATEGORIES) {
      regexes.add(String.join("|", ut1Expressions(c).stream().map(e -> "(?:" + e + ")").toList()));
    }
    regexes.add("colou?r");
    regexes.add("\\.exe$");
    List<CategoryId> ids = new ArrayList<>();
    ExpressionMatcher.Builder builder = new ExpressionMatcher.Builder();
    for (int i = 0; i < regexes.size(); i++) {
      ids.add(new CategoryId("c" + i));
      builder.add(i, regexes.get(i));
    }
    CategorySets<Void> sets = new CategorySets<>(ids, m -> null);
    ExpressionMatcher matcher = builder.build(sets);
    List<Pattern> patterns = regexes.stream().map(r -> Pattern.compile(r, Pattern.CASE_INSENSITIVE)).toList();
    String[] hosts = {"www.google.com", "WWW.Google.COM", "images.google.fr.", "images.GOOGLE.fr:8080", "1.2.3.4",
        "www.1.2.3.4", "0x7f.1", "0X7F.0.0.1.", "1.2.3.4:80", "1.2.3.4..", "[::1]", "[::ffff:1.2.3.4]:443",
        "bing.com", "Bing.Com.", "go%6fgle.com", "bücher.de", "xn--bcher-kva.de", "alltheweb.com", "re2.mm-.yimg.com",
        "a..b", ".", "host_name.example", "images.search.yahoo.com", "altavista.com", "COLOUR.example"};
    String[] paths = {"/", "", "/search?q=cache:x", "/search?q=12", "/images?q=tbn", "/videos/search?q=porn",
        "/banner/a.gif", "/Sponsor/", "/event.ng/x", "/ymsgrr.exe", "/x.EXE", "/images?a=1&q=sex", "/colr",
        "/color", "/index.html?q=7", "/image/results?q=teen", "/search.q=cache", "/search/cat=img"};
    Random random = new Random(7);
    int matched = 0;
    for (int i = 0; i < 20_000; i++) {
      String host = hosts[random.nextInt(hosts.length)];
      String path = paths[random.nextInt(paths.length)]
          + (random.nextBoolean() ? "" : paths[random.nextInt(paths.length)]);
      int[] expected = reference(patterns, host, path);
      int id = matcher.match(host, path, sets);
      assertThat(sets.get(id).members()).as("categories of %s + %s", host, path).isEqualTo(expected);
      matched += expected.length > 0 ? 1 : 0;
    }
    assertThat(matched).as("requests an expression matched").isGreaterThan(2_000);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiterString = " => ", quoteCharacter = '"', textBlock = """
      /e.*\\Q. => /e.*\\Q.\\E
      a\\Q => a\\Q\\E
      \\Q.)|(?:x => \\Q.)|(?:x\\E
      \\Q.\\E\\Q( => \\Q.\\E\\Q(\\E
      a\\\\Q. => a\\\\Q.
      \\Q.\\E+ => \\Q.\\E+
      [a\\]]\\Qb => [a\\]]\\Qb\\E
      """)
  void aQuoteLeftOpenToTheEndOfTheLineIsClosedSoItKeepsItsMeaningInTheAlternation(String line, String used) {
    assertThat(ExpressionMatcher.check(line)).isEqualTo(used);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiterString = " => ", textBlock = """
      (?P<x>porn)  => named groups such as (?P<name>...) are not supported; write (?:...)
      a(?<y>b)c    => named groups such as (?P<name>...) are not supported; write (?:...)
      """)
  void anExpressionThatCannotStandBesideAnotherIsRefusedWithTheReason(String line, String reason) {
    assertThatThrownBy(() -> ExpressionMatcher.check(line)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("not a usable expression beside others (" + reason + ")");
  }

  @Test
  void anExpressionQuotingToTheEndOfItsLineDoesNotSwallowTheOtherExpressionsOfItsCategory() {
    List<String> lines = List.of("/banner/|/e.*\\Q.", "/banner/|/e.com/games/", "\\Q(?:ads");
    ExpressionMatcher.Builder builder = new ExpressionMatcher.Builder();
    lines.forEach(l -> builder.add(0, ExpressionMatcher.check(l)));
    CategorySets<Void> sets = new CategorySets<>(List.of(new CategoryId("c0")), m -> null);
    ExpressionMatcher matcher = builder.build(sets);
    List<Pattern> alone = lines.stream().map(l -> Pattern.compile(l, Pattern.CASE_INSENSITIVE)).toList();
    for (String path : List.of("/e.com/games/", "/bannerx", "/e.xx.", "/e.xx", "/(?:ads", "/ads", "/banner/")) {
      boolean expected = alone.stream().anyMatch(p -> p.matcher("www.example.org" + path).find());
      assertThat(sets.get(matcher.match("www.example.org", path, sets)).members())
          .as("categories of %s", path).isEqualTo(expected ? new int[] {0} : new int[0]);
    }
  }

  @ParameterizedTest(name = "{0} + {1}: {2}")
  @CsvSource(delimiter = '|', textBlock = """
      1.2.3.4                | /search?q=12       | malware
      www.1.2.3.4            | /search?q=12       | ''
      0x01.2.3.4:443         | /search?q=12       | malware
      News.Example.:8080     | /Banner/top.gif    | publicite
      NEWS.example           | /index.html?q=1    | ''
      """)
  void ut1ExpressionsMatchTheNormalisedHost(String host, String path, String category) throws IOException {
    assertThat(ut1Policy().categoriesOf(host, path).joined()).isEqualTo(category);
  }

  private CompiledPolicy ut1Policy() {
    StringBuilder yaml = new StringBuilder()
        .append("lists:\n  - { name: ut1, format: squidguard, path: '").append(blacklists).append("' }\n")
        .append("groups:\n  pupils: { subnets: [10.0.0.0/8] }\ncategories:\n");
    for (String c : UT1_EXPRESSION_CATEGORIES) {
      yaml.append("  ").append(c.replace('_', '-')).append(": { sources: [ut1/").append(c).append("] }\n");
    }
    yaml.append("matrix:\n");
    for (String c : UT1_EXPRESSION_CATEGORIES) {
      yaml.append("  ").append(c.replace('_', '-')).append(": { default: unacceptable }\n");
    }
    return TestPolicies.compile(dir, yaml.toString());
  }

  /** Every {@code step}-th domain of a category's list, up to {@code n}. */
  private List<String> domains(String category, int n, int step) throws IOException {
    List<String> out = new ArrayList<>();
    int i = 0;
    for (String line : Files.readAllLines(blacklists.resolve(category).resolve("domains"), StandardCharsets.UTF_8)) {
      if (out.size() < n && !line.isBlank() && !line.startsWith("#") && i++ % step == 0) {
        out.add(line.strip());
      }
    }
    return out;
  }

  @Test
  void decidingUt1ListedAndUnlistedHostsInAnyFormAllocatesNothingWithExpressionsLoaded() throws IOException {
    CompiledPolicy policy = ut1Policy();
    Random random = new Random(11);
    List<String> hosts = new ArrayList<>();
    for (String d : domains("malware", 200, 11)) {
      hosts.addAll(List.of(d, "www." + d, "img3.cdn." + d, d.toUpperCase(java.util.Locale.ROOT), d + ".", d + ":443"));
    }
    List<String> ips = domains("malware", 10_000, 1).stream().filter(d -> d.matches("[0-9.]+")).limit(50).toList();
    assertThat(ips).hasSize(50);
    for (String ip : ips) {
      hosts.addAll(List.of(ip, "www." + ip, "img1.cdn." + ip, ip + ":8080"));
    }
    for (int i = 0; i < 300; i++) {
      String h = "site" + Integer.toString(random.nextInt(1 << 30), 36) + ".example-"
          + Integer.toString(random.nextInt(1 << 20), 36) + ".co.uk";
      hosts.addAll(List.of(h, "WWW." + h, h + ".", h + ":8443"));
    }
    Instant at = london("2026-11-23T10:00");
    List<RequestFacts> requests = new ArrayList<>();
    int undecided = 0;
    for (int i = 0; i < hosts.size(); i++) {
      String path = i % 2 == 0 ? "/" : "/index.html?q=" + i;
      requests.add(facts("pupils", null, hosts.get(i), path, at));
      undecided += policy.categoriesOf(hosts.get(i), path).isEmpty() ? 1 : 0;
    }
    assertThat(undecided).as("requests the expressions are asked about").isGreaterThan(hosts.size() / 3);

    assertThat(allocatedBy(policy, requests, 500_000)).as("bytes for 500,000 decisions").isLessThan(10_000);
  }

  private static long allocatedBy(CompiledPolicy policy, List<RequestFacts> requests, int n) {
    return Allocations.bytesAllocatedByDecide(policy, requests, n / 5, n);
  }
}
