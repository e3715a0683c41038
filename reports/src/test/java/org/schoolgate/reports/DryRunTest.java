package org.schoolgate.reports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.schoolgate.reports.ReportsFixture.GOVERNOR;
import static org.schoolgate.reports.ReportsFixture.TECHNICIAN;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.schoolgate.policy.GroupId;
import org.schoolgate.policy.PolicySnapshot;
import org.schoolgate.policy.RequestFacts;
import org.schoolgate.policy.compile.PolicyCompiler;
import org.schoolgate.reports.LogLines.Request;
import org.schoolgate.reports.dryrun.DryRun;
import org.schoolgate.store.Role;

/**
 * The policy dry run against a log of the last three days: the candidate makes video
 * broadcasting acceptable at any time and shopping unacceptable for everyone. Its counts equal a
 * direct count (each request in the period decided by the candidate here, in the test), and
 * today's lines, older days and DNS lines are not read.
 */
class DryRunTest {
  @RegisterExtension final ReportsFixture f = new ReportsFixture();

  static final Instant MON = Instant.parse("2026-11-23T11:00:00Z");
  static final Instant TUE = Instant.parse("2026-11-24T10:00:00Z");
  static final Instant TUE_LUNCH = Instant.parse("2026-11-24T12:30:00Z");
  static final Instant WED = Instant.parse("2026-11-25T10:00:00Z");
  static final Instant THU = Instant.parse("2026-11-26T10:00:00Z");

  final List<Request> inPeriod = new ArrayList<>();

  @BeforeEach
  void writeLog() {
    for (int i = 0; i < 4; i++) {
      read(Request.get(TUE.plusSeconds(i), "sam", "10.20.0.5", "ks3-4", "https://youtube.com/watch?v=" + i,
          "block", "matrix:video-broadcasting/ks3-4", List.of("video-broadcasting")));
    }
    for (int i = 0; i < 3; i++) {
      read(Request.get(TUE_LUNCH.plusSeconds(i), "sam", "10.20.0.5", "ks3-4", "https://youtube.com/", "allow",
          "matrix:video-broadcasting/ks3-4", List.of("video-broadcasting")));
    }
    for (int i = 0; i < 2; i++) {
      read(Request.get(WED.plusSeconds(i), "j.smith", "10.30.0.2", "staff", "https://www.amazon.co.uk/basket",
          "allow", "matrix:shopping/staff", List.of("shopping")));
    }
    for (int i = 0; i < 5; i++) {
      read(Request.get(WED.plusSeconds(10 + i), "ali", "10.20.0.6", "ks3-4", "https://example.org/" + i, "allow",
          "default", List.of()));
    }
    read(Request.get(MON, "ali", "10.20.0.6", "ks3-4", "https://www.bet365.com/", "allow", "unblock:12",
        List.of("gambling")));
    f.log.dns(TUE.plusSeconds(30), "10.20.0.5", "sam", "ks3-4", "youtube.com", "block");
    f.log.write(Request.get(THU, "sam", "10.20.0.5", "ks3-4", "https://youtube.com/today", "block",
        "matrix:video-broadcasting/ks3-4", List.of("video-broadcasting")));
    f.log.write(Request.get(MON.minus(Duration.ofDays(3)), "sam", "10.20.0.5", "ks3-4", "https://youtube.com/old",
        "block", "matrix:video-broadcasting/ks3-4", List.of("video-broadcasting")));
  }

  void read(Request r) {
    f.log.write(r);
    inPeriod.add(r);
  }

  String candidate() throws Exception {
    String policy = Files.readString(f.holder.policyFile());
    String video = "  video-broadcasting:\n    default: { at-times: [lunch, after-school] }\n";
    String shopping = "  shopping:\n    default: { nominated: { groups: [staff] } }\n";
    assertThat(policy).contains(video).contains(shopping);
    return policy.replace(video, "  video-broadcasting:\n    default: acceptable\n")
        .replace(shopping, "  shopping:\n    default: unacceptable\n");
  }

  DryRun finished(DryRun started) {
    Poll.until("dry run " + started.id() + " to finish", Duration.ofSeconds(60),
        () -> !f.reports.dryRuns().get(TECHNICIAN, started.id()).state().equals("running"));
    return f.reports.dryRuns().get(TECHNICIAN, started.id());
  }

  @Test
  void theCountsMatchADirectCountOfTheCandidatesDecisions() throws Exception {
    String yaml = candidate();
    Path file = f.holder.policyFile().resolveSibling("direct.yaml");
    Files.writeString(file, yaml);
    PolicySnapshot direct = PolicyCompiler.compile(file, f.clock);
    long toBlocked = 0;
    long toAllowed = 0;
    long kept = 0;
    for (Request r : inPeriod) {
      if (r.rule().startsWith("unblock")) {
        kept++;
        continue;
      }
      String pathAndQuery = r.query() == null ? r.path() : r.path() + "?" + r.query();
      boolean blocked = direct.decide(new RequestFacts(new GroupId(r.group()), r.user(), r.host(), pathAndQuery,
          r.time())).blocked();
      boolean was = r.action().equals("block");
      toBlocked += !was && blocked ? 1 : 0;
      toAllowed += was && !blocked ? 1 : 0;
    }

    DryRun run = finished(f.reports.dryRuns().start(TECHNICIAN, yaml, 3));

    assertThat(run.state()).isEqualTo("done");
    assertThat(run.progress()).isEqualTo(1.0);
    DryRun.Result r = run.result();
    assertThat(r.requests()).isEqualTo(inPeriod.size()).isEqualTo(15);
    assertThat(r.keptAsLogged()).isEqualTo(kept).isEqualTo(1);
    assertThat(r.allowedToBlocked()).isEqualTo(toBlocked).isEqualTo(2);
    assertThat(r.blockedToAllowed()).isEqualTo(toAllowed).isEqualTo(4);
    assertThat(r.unchanged()).isEqualTo(15 - 1 - 2 - 4);
    assertThat(r.changes()).hasSize(2);
    DryRun.Change video = r.changes().get(0);
    assertThat(video.category()).isEqualTo("video-broadcasting");
    assertThat(video.group()).isEqualTo("ks3-4");
    assertThat(video.blockedToAllowed()).isEqualTo(4);
    assertThat(video.samples()).hasSize(4).allMatch(u -> u.startsWith("https://youtube.com/watch?v="));
    DryRun.Change shopping = r.changes().get(1);
    assertThat(shopping.category()).isEqualTo("shopping");
    assertThat(shopping.group()).isEqualTo("staff");
    assertThat(shopping.allowedToBlocked()).isEqualTo(2);
    assertThat(shopping.samples()).containsExactly("https://www.amazon.co.uk/basket");
  }

  /**
   * The run decides each distinct request once and counts it as often as it was logged; this
   * proves that gives the counts of deciding every line, on a generated log of five days (a
   * weekend and three school days) with times on both sides of every schedule boundary, users the
   * candidate nominates written in other cases and with spaces, a user outside ASCII, CONNECT
   * lines, kept rules and an unknown group: once over the JSON lines, once over the Parquet copies.
   */
  @Test
  void groupedCountsEqualPerLineCountsWithSchedulesAndNominatedUsers() throws Exception {
    List<Request> lines = new ArrayList<>(inPeriod);
    lines.addAll(generated(3000));
    String policy = Files.readString(f.holder.policyFile());
    String video = "  video-broadcasting:\n    default: { at-times: [lunch, after-school] }\n";
    String shopping = "  shopping:\n    default: { nominated: { groups: [staff] } }\n";
    String yaml = policy.replace(video, "  video-broadcasting:\n    default: { nominated: { users: [sam, \u00e9lodie] },"
        + " at-times: [lunch] }\n").replace(shopping, "  shopping:\n    default: { nominated: { users: [j.smith] } }\n");
    assertThat(yaml).isNotEqualTo(policy);
    Path file = f.holder.policyFile().resolveSibling("direct.yaml");
    Files.writeString(file, yaml);
    PolicySnapshot direct = PolicyCompiler.compile(file, f.clock);
    long[] counts = new long[3]; // kept, allowed->blocked, blocked->allowed
    java.util.Map<String, long[]> byCategoryAndGroup = new java.util.TreeMap<>();
    for (Request r : lines) {
      String ruleName = r.rule() == null ? "" : r.rule().split(":", 2)[0];
      if (org.schoolgate.reports.dryrun.DryRunTestAccess.keptRules().contains(ruleName)) {
        counts[0]++;
        continue;
      }
      String pathAndQuery = r.method().equals("CONNECT") ? "" : r.query() == null ? r.path() : r.path() + "?" + r.query();
      org.schoolgate.policy.Decision d = direct.decide(new RequestFacts(new GroupId(r.group() == null ? "unknown"
          : r.group()), r.user(), r.host(), pathAndQuery, r.time()));
      boolean was = r.action().equals("block");
      if (d.blocked() == was) {
        continue;
      }
      String category = d.blocked() ? (d.decidingCategory() != null ? d.decidingCategory().value()
          : d.rule().logName()) : loggedCategory(r.rule());
      long[] c = byCategoryAndGroup.computeIfAbsent(category + " / " + (r.group() == null ? "(no group)"
          : r.group()), k -> new long[2]);
      c[d.blocked() ? 0 : 1]++;
      counts[d.blocked() ? 1 : 2]++;
    }
    assertThat(counts[1]).as("newly blocked lines").isGreaterThan(50);
    assertThat(counts[2]).as("newly allowed lines").isGreaterThan(50);

    for (String over : List.of("JSON lines", "Parquet")) {
      if (over.equals("Parquet")) {
        assertThat(f.reports.maintenance().runOnce().converted()).hasSizeGreaterThanOrEqualTo(5);
      }
      DryRun run = finished(f.reports.dryRuns().start(TECHNICIAN, yaml, 5));

      assertThat(run.state()).as(over).isEqualTo("done");
      DryRun.Result r = run.result();
      assertThat(r.requests()).as(over).isEqualTo(lines.size());
      assertThat(r.keptAsLogged()).as(over).isEqualTo(counts[0]);
      assertThat(r.allowedToBlocked()).as(over).isEqualTo(counts[1]);
      assertThat(r.blockedToAllowed()).as(over).isEqualTo(counts[2]);
      assertThat(r.unchanged()).as(over).isEqualTo(lines.size() - counts[0] - counts[1] - counts[2]);
      java.util.Map<String, long[]> got = new java.util.TreeMap<>();
      for (DryRun.Change c : r.changes()) {
        got.put(c.category() + " / " + c.group(), new long[] {c.allowedToBlocked(), c.blockedToAllowed()});
        assertThat(c.samples()).as(over + " " + c).isNotEmpty().hasSizeLessThanOrEqualTo(10).doesNotHaveDuplicates();
      }
      assertThat(got).as(over).containsOnlyKeys(byCategoryAndGroup.keySet());
      got.forEach((k, v) -> assertThat(v).as(over + " " + k).containsExactly(byCategoryAndGroup.get(k)));
    }
  }

  /** As {@code Sql.DECIDING_CATEGORY}. */
  static String loggedCategory(String rule) {
    if (rule == null) {
      return "(none)";
    }
    int colon = rule.indexOf(':');
    int slash = rule.indexOf('/', colon + 1);
    return colon >= 0 && slash > colon ? rule.substring(colon + 1, slash) : rule;
  }

  /**
   * {@code n} requests on 21-25 November 2026 (Saturday to Wednesday; today is Thursday 26th),
   * written to the log, with a fixed seed.
   */
  List<Request> generated(int n) {
    java.util.Random random = new java.util.Random(14);
    String[] users = {"sam", "Sam ", "SAM", "\tsam", "ali", "j.smith", "J.Smith", "\u00c9lodie", "\u00e9lodie", null};
    String[] groups = {"ks3-4", "ks3-4", "ks2", "staff", "guests", null, "no-such-group"};
    String[] urls = {"https://youtube.com/watch?v=1", "https://youtube.com/watch?v=2", "https://youtube.com/",
        "http://www.youtube.com:8080/embed", "https://www.amazon.co.uk/basket", "https://www.amazon.co.uk/dp/1",
        "https://www.bet365.com/", "https://example.org/a", "https://example.org/b?x=1", "https://www.bbc.co.uk/"};
    String[] connects = {"youtube.com", "www.amazon.co.uk", "example.org"};
    String[] rules = {"matrix:video-broadcasting/ks3-4", "matrix:shopping/staff", "default", "school-block-list",
        "unblock:12", "sni-mismatch", "filter-bypass:3", null};
    int[] boundaries = {12 * 3600, 13 * 3600 + 15 * 60, 15 * 3600 + 30 * 60, 18 * 3600};
    List<Request> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      java.time.LocalDate day = java.time.LocalDate.of(2026, 11, 21 + random.nextInt(5));
      int second = random.nextInt(3) == 0 ? boundaries[random.nextInt(boundaries.length)] - 2 + random.nextInt(4)
          : 7 * 3600 + random.nextInt(12 * 3600);
      Instant at = day.atStartOfDay(LogLines.LONDON).plusSeconds(second).plusNanos(random.nextInt(1000) * 1_000_000L)
          .toInstant();
      String user = users[random.nextInt(users.length)];
      String group = groups[random.nextInt(groups.length)];
      String action = random.nextBoolean() ? "block" : "allow";
      String rule = rules[random.nextInt(rules.length)];
      List<String> categories = List.of();
      Request r = random.nextInt(6) == 0
          ? Request.connect(at, user, "10.20.0.5", group, connects[random.nextInt(connects.length)], action, rule,
              categories)
          : Request.get(at, user, "10.20.0.5", group, urls[random.nextInt(urls.length)], action, rule, categories);
      f.log.write(r);
      out.add(r);
    }
    return out;
  }

  @Test
  void aCandidateWithErrorsIsRefusedWithFileLineAndField() throws Exception {
    String broken = candidate().replace("  gambling: { default: unacceptable }", "  gambling: { default: maybe }");

    assertThatThrownBy(() -> f.reports.dryRuns().start(TECHNICIAN, broken, 7))
        .isInstanceOfSatisfying(ReportException.class, e -> {
          assertThat(e.code()).isEqualTo("invalid");
          assertThat(e.field()).isEqualTo("policy");
          assertThat(e.details()).anySatisfy(d -> assertThat(d).startsWith("candidate.yaml:").contains("gambling"));
        });
    assertThat(Files.list(f.holder.policyFile().getParent())
        .filter(p -> p.getFileName().toString().startsWith(".dry-run"))).as("the candidate file is removed").isEmpty();
  }

  @Test
  void onlyTechniciansAndSeniorLeadersRunThem() throws Exception {
    String yaml = candidate();
    for (Viewer v : List.of(GOVERNOR, ReportsFixture.DSL, ReportsFixture.viewer("t", Role.TEACHER))) {
      assertThatThrownBy(() -> f.reports.dryRuns().start(v, yaml, 7))
          .isInstanceOfSatisfying(ReportException.class, e -> assertThat(e.code()).isEqualTo("forbidden"));
    }
    DryRun run = finished(f.reports.dryRuns().start(ReportsFixture.SENIOR, yaml, 7));
    assertThat(run.state()).isEqualTo("done");
    assertThat(f.reports.dryRuns().list(TECHNICIAN)).extracting(DryRun::id).containsExactly(run.id());
  }
}
