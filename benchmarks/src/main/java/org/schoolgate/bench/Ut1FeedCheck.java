package org.schoolgate.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.schoolgate.policy.CategoryId;
import org.schoolgate.policy.Decision;
import org.schoolgate.policy.GroupId;
import org.schoolgate.policy.PolicyException;
import org.schoolgate.policy.RequestFacts;
import org.schoolgate.policy.compile.CategoryLoad;
import org.schoolgate.policy.compile.CompiledPolicy;
import org.schoolgate.policy.compile.PolicyCompiler;
import org.schoolgate.policy.lists.ListFileReader;
import org.schoolgate.policy.lists.ListStats;
import org.schoolgate.policy.sample.SamplePolicy;

/**
 * The checks over the whole UT1 feed in the shared data folder that the unit tests make over a
 * trimmed fixture: every category loads with the line counts of {@code CATEGORIES.tsv} (every data
 * line an entry, a duplicate or an invalid line; no invalid line in the feed), known members are
 * found and blocked, url entries and expressions match, sampled domains and subdomains match and
 * look-alikes do not, and the sample policy with the whole feed installed compiles without
 * warnings and blocks listed sites for pupils. Prints what it checked and how long compiling took;
 * exits 1 naming every failure. Run by {@code benchmarks/ut1-feed-check.sh}.
 */
public final class Ut1FeedCheck {
  private static final ZoneId LONDON = ZoneId.of("Europe/London");
  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-23T09:00:00Z"), ZoneOffset.UTC);
  /** Categories whose every domain line is a distinct valid entry. */
  private static final List<String> EXACT = List.of("gambling", "games", "social_networks", "vpn", "adult", "arjel",
      "audio-video", "shopping");
  private static final Map<String, String> KNOWN = Map.of(
      "bet365.com", "gambling,games,jobsearch,malware,phishing",
      "www.bet365.com", "gambling,games,jobsearch,malware,phishing",
      "facebook.com", "blog,forums,social_networks",
      "teams.microsoft.com", "chat,cleaning,examen_pix,liste_bu",
      "www.youtube.com", "audio-video",
      "nordvpn.com", "redirector,strict_redirector,strong_redirector,vpn");

  private final List<String> failures = new ArrayList<>();
  private int checks;

  private Ut1FeedCheck() {}

  public static void main(String[] args) throws Exception {
    Path blacklists = Ut1Policy.blacklists();
    Path work = Files.createTempDirectory("ut1-feed-check");
    Ut1FeedCheck check = new Ut1FeedCheck();
    try {
      check.wholeFeed(blacklists, work);
      check.samplePolicyWithTheFeed(blacklists, work);
    } finally {
      try (var files = Files.walk(work)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
    System.out.printf("%d checks, %d failed%n", check.checks, check.failures.size());
    check.failures.forEach(f -> System.out.println("FAILED: " + f));
    System.exit(check.failures.isEmpty() ? 0 : 1);
  }

  private void wholeFeed(Path blacklists, Path work) throws IOException, PolicyException {
    Map<String, long[]> expected = new LinkedHashMap<>();
    List<String> tsv = Files.readAllLines(blacklists.resolveSibling("CATEGORIES.tsv"));
    for (String line : tsv.subList(1, tsv.size())) {
      String[] f = line.split("\t");
      expected.put(f[0], new long[] {Long.parseLong(f[1]), Long.parseLong(f[2])});
    }
    StringBuilder yaml = new StringBuilder()
        .append("lists:\n  - { name: ut1, format: squidguard, path: '").append(blacklists).append("' }\n")
        .append("groups:\n  pupils: { subnets: [10.0.0.0/8] }\ncategories:\n");
    expected.keySet().forEach(c -> yaml.append("  ").append(c).append(": { sources: [ut1/").append(c).append("] }\n"));
    yaml.append("matrix:\n");
    expected.keySet().forEach(c -> yaml.append("  ").append(c).append(": { default: unacceptable }\n"));
    Path policyFile = Files.writeString(work.resolve("policy.yaml"), yaml);
    long start = System.nanoTime();
    CompiledPolicy policy = PolicyCompiler.compileFile(policyFile, CLOCK);
    System.out.printf("UT1: %d categories, %d distinct entries, %d category sets, compiled in %d ms%n",
        expected.size(), policy.entryCount(), policy.categorySetCount(), (System.nanoTime() - start) / 1_000_000);

    for (Map.Entry<String, long[]> e : expected.entrySet()) {
      ListStats domains = stats(policy, e.getKey(), "domains");
      check(domains != null && domains.dataLines() == e.getValue()[0],
          e.getKey() + " domains: " + (domains == null ? "not loaded" : domains.dataLines() + " data lines")
              + ", CATEGORIES.tsv says " + e.getValue()[0]);
      if (e.getValue()[1] > 0) {
        ListStats urls = stats(policy, e.getKey(), "urls");
        check(urls != null && urls.dataLines() == e.getValue()[1], e.getKey() + " urls: "
            + (urls == null ? "not loaded" : urls.dataLines() + " data lines") + ", CATEGORIES.tsv says " + e.getValue()[1]);
      }
    }
    for (String c : EXACT) {
      ListStats s = stats(policy, c, "domains");
      check(s != null && s.entries() == expected.get(c)[0] && s.duplicates() == 0 && s.invalid() == 0 && s.skipped() == 0,
          c + ": every domain line a distinct valid entry (" + s + ")");
    }
    long invalid = policy.loads().stream().mapToLong(l -> l.stats().invalid()).sum();
    // The feed's odd lines (".afshin.ir", "w-w-i-s-.com") are read as entries, as squidGuard does.
    check(invalid == 0, "invalid lines in the whole feed: " + invalid);
    check(policy.entryCount() > 560_000, "distinct entries: " + policy.entryCount() + " (expected: > 560,000)");
    KNOWN.forEach((host, categories) -> check(policy.categoriesOf(host, "/").joined().equals(categories),
        host + " is in " + policy.categoriesOf(host, "/").joined() + " (expected: " + categories + ")"));
    Decision d = policy.decide(facts("pupils", "www.bet365.com", "/", "2026-11-23T10:00"));
    check(d.blocked() && d.reason().equals("gambling is unacceptable for pupils"), "www.bet365.com for pupils: " + d);
    check(policy.categoriesOf("astrolabio.net", "/casino/roulette").joined().contains("gambling"),
        "astrolabio.net/casino/roulette is gambling (a urls entry)");
    check(!policy.categoriesOf("astrolabio.net", "/news/").joined().contains("gambling"),
        "astrolabio.net/news/ is not gambling");
    check(policy.expressionCount() == 5, "UT1's expressions: " + policy.expressionCount() + " (expected: 5)");
    check(policy.categoriesOf("unlisted-ads.example", "/banner/top.gif").joined().equals("publicite"),
        "an unlisted host's /banner/ is publicite (an expression)");
    for (String category : expected.keySet()) {
      sampledDomainsMatchAndLookAlikesDoNot(policy, blacklists.resolve(category), new CategoryId(category));
    }
  }

  /**
   * Up to 200 listed domains (every n-th, in file order) and a subdomain of each are in the
   * category; the look-alikes {@code x<domain>} and {@code <first label>x.<rest>} are not, unless
   * listed themselves (or below a listed parent). IP entries have no look-alikes or subdomains.
   */
  private void sampledDomainsMatchAndLookAlikesDoNot(CompiledPolicy policy, Path dir, CategoryId id) throws IOException {
    List<String> domains = new ArrayList<>();
    ListFileReader.readDomains(ListFileReader.plainOrGzip(dir, "domains"), domains::add);
    Set<String> listed = new HashSet<>(domains);
    Path urls = ListFileReader.plainOrGzip(dir, "urls");
    if (urls != null) {
      ListFileReader.readUrls(urls, u -> u.pathPrefix().isEmpty() || u.pathPrefix().equals("/") ? listed.add(u.host()) : false);
    }
    int step = Math.max(1, domains.size() / 200);
    for (int i = 0, checked = 0; i < domains.size() && checked < 200; i += step, checked++) {
      String domain = domains.get(i);
      check(policy.categoriesOf(domain, "/").contains(id), id.value() + ": " + domain + " is matched");
      if (domain.matches("[0-9.]+") || domain.startsWith("[") || domain.indexOf(':') >= 0) {
        continue;
      }
      check(policy.categoriesOf("sub." + domain, "/").contains(id), id.value() + ": sub." + domain + " is matched");
      int dot = domain.indexOf('.');
      for (String lookAlike : List.of("x" + domain,
          dot < 0 ? domain + "x" : domain.substring(0, dot) + "x" + domain.substring(dot))) {
        if (!listedOrParentListed(lookAlike, listed)) {
          check(!policy.categoriesOf(lookAlike, "/").contains(id),
              id.value() + ": look-alike " + lookAlike + " of " + domain + " is not matched");
        }
      }
    }
  }

  private void samplePolicyWithTheFeed(Path blacklists, Path work) throws IOException, PolicyException {
    Path policyFile = SamplePolicy.extractTo(work.resolve("sample"));
    String yaml = Files.readString(policyFile);
    Files.writeString(policyFile, yaml.replace("    path: lists/ut1\n", "    path: '" + blacklists + "'\n"));
    CompiledPolicy policy = PolicyCompiler.compileFile(policyFile, CLOCK);
    check(policy.warnings().isEmpty(), "the sample policy with the whole feed has no warnings: " + policy.warnings());
    check(policy.entryCount() > 400_000, "the sample policy's entries: " + policy.entryCount() + " (expected: > 400,000)");
    Decision gambling = policy.decide(facts("ks3-4", "www.williamhill.com", "/", "2026-11-23T10:00"));
    check(gambling.blocked() && gambling.categories().joined().contains("gambling"),
        "www.williamhill.com is blocked as gambling for ks3-4: " + gambling);
    Decision video = policy.decide(facts("ks2", "www.youtube.com", "/", "2026-11-23T12:30"));
    check(!video.blocked(), "www.youtube.com is allowed for ks2 at lunchtime: " + video);
  }

  private static ListStats stats(CompiledPolicy policy, String category, String kind) {
    List<CategoryLoad> found = policy.loads().stream()
        .filter(l -> l.source().equals("ut1/" + category) && l.kind().equals(kind)).toList();
    return found.size() == 1 ? found.get(0).stats() : null;
  }

  private static RequestFacts facts(String group, String host, String path, String londonTime) {
    return new RequestFacts(new GroupId(group), null, host, path,
        LocalDateTime.parse(londonTime).atZone(LONDON).toInstant());
  }

  private static boolean listedOrParentListed(String host, Set<String> listed) {
    for (int at = 0; at >= 0; at = host.indexOf('.', at) < 0 ? -1 : host.indexOf('.', at) + 1) {
      if (listed.contains(host.substring(at))) {
        return true;
      }
    }
    return false;
  }

  private void check(boolean ok, String what) {
    checks++;
    if (!ok) {
      failures.add(what);
    }
  }
}
