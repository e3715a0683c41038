package org.schoolgate.policy.lists;

import static org.assertj.core.api.Assertions.assertThat;
import static org.schoolgate.policy.TestPolicies.facts;
import static org.schoolgate.policy.TestPolicies.london;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.schoolgate.policy.CategoryId;
import org.schoolgate.policy.Decision;
import org.schoolgate.policy.Rule;
import org.schoolgate.policy.TestPolicies;
import org.schoolgate.policy.compile.CategoryLoad;
import org.schoolgate.policy.compile.CompiledPolicy;
import org.schoolgate.policy.testing.Ut1Fixture;

/**
 * Loads every category of the trimmed UT1 fixture ({@link Ut1Fixture}: real UT1 lines, 38
 * categories) and checks the counts against its {@code CATEGORIES.tsv} (which counts lines). Every
 * data line is accounted for as an entry, a duplicate or an invalid line; for the categories below
 * every line is a distinct valid entry, so the entry count equals the TSV exactly. The same checks
 * over the whole feed are {@code benchmarks/ut1-feed-check.sh}.
 */
class Ut1ListsTest {
  @TempDir static Path dir;
  static CompiledPolicy policy;
  static Map<String, long[]> expected = new LinkedHashMap<>();
  static Path blacklists;

  @BeforeAll
  static void loadTheFixture() {
    blacklists = Ut1Fixture.extractTo(dir);
    Ut1Fixture.counts().forEach((c, n) -> expected.put(c, new long[] {n.domains(), n.urls()}));
    StringBuilder yaml = new StringBuilder()
        .append("lists:\n  - { name: ut1, format: squidguard, path: '").append(blacklists).append("' }\n")
        .append("groups:\n  pupils: { subnets: [10.0.0.0/8] }\ncategories:\n");
    expected.keySet().forEach(c -> yaml.append("  ").append(c).append(": { sources: [ut1/").append(c).append("] }\n"));
    yaml.append("matrix:\n");
    expected.keySet().forEach(c -> yaml.append("  ").append(c).append(": { default: unacceptable }\n"));
    policy = TestPolicies.compile(dir, yaml.toString());
  }

  private static ListStats stats(String category, String kind) {
    List<CategoryLoad> found = policy.loads().stream()
        .filter(l -> l.source().equals("ut1/" + category) && l.kind().equals(kind)).toList();
    assertThat(found).as("%s/%s loaded once", category, kind).hasSize(1);
    return found.get(0).stats();
  }

  @ParameterizedTest(name = "{0}: every domain line is a distinct valid entry")
  @CsvSource({"gambling", "games", "social_networks", "vpn", "arjel", "audio-video", "shopping"})
  void domainCountsEqualCategoriesTsv(String category) {
    ListStats s = stats(category, "domains");
    assertThat(s.entries()).isEqualTo(expected.get(category)[0]);
    assertThat(s.duplicates()).isZero();
    assertThat(s.invalid()).isZero();
    assertThat(s.skipped()).isZero();
  }

  @Test
  void everyDataLineOfEveryCategoryIsAccountedFor() {
    for (Map.Entry<String, long[]> e : expected.entrySet()) {
      if (e.getValue()[0] > 0) {
        assertThat((long) stats(e.getKey(), "domains").dataLines()).as(e.getKey() + " domains")
            .isEqualTo(e.getValue()[0]);
      }
      if (e.getValue()[1] > 0) {
        assertThat((long) stats(e.getKey(), "urls").dataLines()).as(e.getKey() + " urls").isEqualTo(e.getValue()[1]);
      }
    }
    long invalid = policy.loads().stream().mapToLong(l -> l.stats().invalid()).sum();
    assertThat(invalid).as("invalid lines in the fixture").isZero();
    assertThat(policy.entryCount()).as("distinct entries").isGreaterThan(8_000);
  }

  @ParameterizedTest(name = "{0} is in {1}")
  @CsvSource(delimiter = '|', textBlock = """
      bet365.com            | gambling,games,malware,phishing
      www.bet365.com        | gambling,games,malware,phishing
      facebook.com          | blog,forums,social_networks
      teams.microsoft.com   | chat
      www.youtube.com       | audio-video
      nordvpn.com           | redirector,strict_redirector,strong_redirector,vpn
      """)
  void knownMembersAreFound(String host, String categories) {
    assertThat(policy.categoriesOf(host, "/").joined()).isEqualTo(categories);
  }

  @Test
  void knownMembersAreBlockedByDecide() {
    Decision d = policy.decide(facts("pupils", null, "www.bet365.com", "/", london("2026-11-23T10:00")));
    assertThat(d.blocked()).isTrue();
    assertThat(d.rule()).isEqualTo(Rule.MATRIX);
    assertThat(d.categories().joined()).isEqualTo("gambling,games,malware,phishing");
    assertThat(d.reason()).isEqualTo("gambling is unacceptable for pupils");
  }

  @Test
  void urlEntriesMatchHostAndPathPrefix() {
    assertThat(policy.categoriesOf("astrolabio.net", "/casino/roulette").joined()).contains("gambling");
    assertThat(policy.categoriesOf("astrolabio.net", "/news/").joined()).doesNotContain("gambling");
  }


  @Test
  void expressionsMatchUrlsNoDomainEntryDecided() {
    assertThat(policy.expressionCount()).as("UT1's expressions").isEqualTo(5);
    assertThat(policy.categoriesOf("unlisted-ads.example", "/banner/top.gif").joined()).isEqualTo("publicite");
    assertThat(policy.categoriesOf("unlisted-ads.example", "/news/top.gif").joined()).isEmpty();
    // bet365.com is decided by the domain index: expressions are not asked.
    assertThat(policy.categoriesOf("bet365.com", "/banner/top.gif").joined()).doesNotContain("publicite");
  }

  /** The categories with a domains file (the fixture's adult category has urls only). */
  static Stream<String> categories() {
    return expected.entrySet().stream().filter(e -> e.getValue()[0] > 0).map(Map.Entry::getKey);
  }

  /**
   * For every category: up to 200 listed domains (every n-th, in file order) and a subdomain of
   * each are in the category; the look-alikes {@code x<domain>} and {@code <first label>x.<rest>}
   * are not, unless the look-alike (or a parent of it) is itself listed in that category, which is
   * counted and skipped. IP address entries have no look-alikes or subdomains and are skipped too.
   */
  @ParameterizedTest(name = "{0}: listed domains and subdomains match, look-alikes do not")
  @MethodSource("categories")
  void sampledDomainsMatchAndLookAlikesDoNot(String category) throws IOException {
    Path dir = blacklists.resolve(category);
    List<String> domains = new ArrayList<>();
    ListFileReader.readDomains(ListFileReader.plainOrGzip(dir, "domains"), domains::add);
    Set<String> listed = new HashSet<>(domains);
    Path urls = ListFileReader.plainOrGzip(dir, "urls");
    if (urls != null) {
      ListFileReader.readUrls(urls, u -> u.pathPrefix().isEmpty() || u.pathPrefix().equals("/") ? listed.add(u.host()) : false);
    }
    CategoryId id = new CategoryId(category);
    int step = Math.max(1, domains.size() / 200);
    List<String> failures = new ArrayList<>();
    int checked = 0;
    int skipped = 0;
    int lookAlikes = 0;
    for (int i = 0; i < domains.size() && checked < 200; i += step) {
      String domain = domains.get(i);
      checked++;
      if (!policy.categoriesOf(domain, "/").contains(id)) {
        failures.add(domain + " is not matched");
      }
      if (domain.matches("[0-9.]+") || domain.startsWith("[") || domain.indexOf(':') >= 0) {
        skipped++;
        continue;
      }
      if (!policy.categoriesOf("sub." + domain, "/").contains(id)) {
        failures.add("sub." + domain + " is not matched");
      }
      int dot = domain.indexOf('.');
      for (String lookAlike : List.of("x" + domain,
          dot < 0 ? domain + "x" : domain.substring(0, dot) + "x" + domain.substring(dot))) {
        if (listedOrParentListed(lookAlike, listed)) {
          skipped++;
          continue;
        }
        lookAlikes++;
        if (policy.categoriesOf(lookAlike, "/").contains(id)) {
          failures.add("look-alike " + lookAlike + " of " + domain + " is matched");
        }
      }
    }
    assertThat(checked).as("sampled domains").isPositive();
    assertThat(lookAlikes).as("look-alikes checked (%d skipped)", skipped).isPositive();
    assertThat(failures).as("%s: %d sampled, %d look-alikes checked, %d skipped", category, checked, lookAlikes,
        skipped).isEmpty();
  }

  private static boolean listedOrParentListed(String host, Set<String> listed) {
    for (int at = 0; at >= 0; at = host.indexOf('.', at) < 0 ? -1 : host.indexOf('.', at) + 1) {
      if (listed.contains(host.substring(at))) {
        return true;
      }
    }
    return false;
  }
}
