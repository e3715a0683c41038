package org.schoolgate.policy.compile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.schoolgate.policy.Allocations;
import org.schoolgate.policy.Decision;
import org.schoolgate.policy.GroupId;
import org.schoolgate.policy.InterceptChoice;
import org.schoolgate.policy.PolicyException;
import org.schoolgate.policy.PolicySnapshot;
import org.schoolgate.policy.TestPolicies;
import org.schoolgate.policy.TunnelCheck;
import org.schoolgate.policy.UnblockSet;
import org.schoolgate.policy.model.PolicyReader;

/**
 * The {@code interception:} section: per group mode, search and video hosts, blocked sites,
 * extra categories, never-intercept categories winning, and nothing without the section.
 */
class InterceptionTest {
  @TempDir static Path dir;
  static PolicySnapshot policy;
  static PolicySnapshot without;

  static final String BASE = """
      groups:
        ks2:    { subnets: [10.10.0.0/16] }
        ks3-4:  { subnets: [10.20.0.0/16] }
        sixth:  { subnets: [10.25.0.0/16] }
        staff:  { subnets: [10.30.0.0/16] }
        paths:  { subnets: [10.40.0.0/16] }
      categories:
        gambling: { domains: [bet.test] }
        shop-pages: { urls: [shop.test/adult/, bank.test/statements/] }
        forums:   { domains: [forum.test] }
        never-intercept: { domains: [bank.test, nhs.uk, google.co.uk] }
      matrix:
        gambling: { default: unacceptable }
        shop-pages: { default: unacceptable }
        forums:   { default: acceptable }
        never-intercept: { default: acceptable }
      default: acceptable
      """;

  @BeforeAll
  static void compile() throws Exception {
    policy = TestPolicies.compile(dir, BASE + """
        interception:
          groups: { default: off, ks3-4: search-and-blocked, sixth: search, staff: all, paths: paths }
          categories: [forums]
          never: [never-intercept]
        """).withUnblocks(UnblockSet.EMPTY);
    without = TestPolicies.compile(Files.createDirectories(dir.resolve("without")), BASE);
  }

  @ParameterizedTest(name = "{0} → {1}: {2}")
  @CsvSource(delimiter = '|', textBlock = """
      ks3-4 | www.google.com     | SEARCH
      ks3-4 | www.youtube.com    | SEARCH
      ks3-4 | youtube.com        | SEARCH
      ks3-4 | duckduckgo.com     | SEARCH
      ks3-4 | en.wikipedia.org   | SEARCH
      ks3-4 | uk.search.yahoo.com| SEARCH
      ks3-4 | bet.test           | BLOCKED
      ks3-4 | forum.test         | CATEGORY
      ks3-4 | example.test       | NONE
      ks3-4 | bank.test          | NONE
      ks3-4 | google.co.uk       | NONE
      ks3-4 | notwikipedia.org   | NONE
      sixth | www.google.com     | SEARCH
      sixth | bet.test           | NONE
      sixth | forum.test         | CATEGORY
      staff | example.test       | ALL
      staff | bet.test           | ALL
      staff | www.nhs.uk         | NONE
      ks2   | www.google.com     | NONE
      ks2   | bet.test           | NONE
      paths | shop.test          | PATHS
      paths | www.shop.test      | PATHS
      paths | SHOP.test          | PATHS
      paths | example.test       | NONE
      paths | forum.test         | NONE
      paths | www.google.com     | NONE
      paths | bet.test           | NONE
      paths | bank.test          | NONE
      paths | 10.0.0.1           | NONE
      """)
  void choiceFollowsTheGroupsModeAndNeverAlwaysWins(String group, String host, InterceptChoice expected) {
    GroupId g = new GroupId(group);
    Decision d = policy.decide(TestPolicies.facts(group, null, host, "", TestPolicies.CLOCK.instant()));

    assertThat(policy.interception(g, host, d)).isEqualTo(expected);
  }

  @Test
  void withoutTheSectionNothingIsIntercepted() {
    for (String host : new String[] {"www.google.com", "bet.test", "forum.test"}) {
      Decision d = without.decide(TestPolicies.facts("staff", null, host, "", TestPolicies.CLOCK.instant()));
      assertThat(without.interception(new GroupId("staff"), host, d)).isEqualTo(InterceptChoice.NONE);
    }
  }

  @ParameterizedTest(name = "{0}: {1}")
  @CsvSource(delimiter = '|', textBlock = """
      ks3-4 | ADMIN
      sixth | ADMIN
      staff | ADMIN
      ks2   | NONE
      """)
  void theAdminOriginIsDecryptedForEveryGroupWhoseDevicesTrustTheSchoolCa(String group,
      InterceptChoice expected) {
    assertThat(policy.adminInterception(new GroupId(group))).isEqualTo(expected);
    assertThat(without.adminInterception(new GroupId(group))).isEqualTo(InterceptChoice.NONE);
  }

  @Test
  void aTunnelCheckDecisionIsNeverIntercepted() {
    GroupId g = new GroupId("ks3-4");
    Decision port = policy.decideTunnel(g, TunnelCheck.PORT);

    assertThat(policy.interception(g, "bet.test", port)).isEqualTo(InterceptChoice.NONE);
  }

  @Test
  void choosingInPathsModeAllocatesNothing() {
    GroupId g = new GroupId("paths");
    Decision d = policy.decide(TestPolicies.facts("paths", null, "shop.test", "", TestPolicies.CLOCK.instant()));
    String[] hosts = {"shop.test", "www.shop.test", "example.test", "a.b.c.example.test"};

    long bytes = Allocations.bytesAllocated(20_000, 10_000,
        i -> policy.interception(g, hosts[i & 3], d).ordinal() + 1);

    assertThat(bytes).isLessThan(1024);
  }

  @Test
  void choosingAllocatesNothing() {
    GroupId g = new GroupId("ks3-4");
    Decision d = policy.decide(TestPolicies.facts("ks3-4", null, "forum.test", "", TestPolicies.CLOCK.instant()));
    String[] hosts = {"forum.test", "www.google.com", "en.wikipedia.org", "example.test"};

    long bytes = Allocations.bytesAllocated(20_000, 10_000,
        i -> policy.interception(g, hosts[i & 3], d).ordinal() + 1);

    assertThat(bytes).isLessThan(1024);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      groups: { default: sometimes }                     | interception.groups.default: is 'sometimes' (expected: off, search, search-and-blocked, paths or all)
      never: [banks]                                     | interception.never: category 'banks' is not a category
      categories: [nope]                                 | interception.categories: category 'nope' is not a category
      groups: { teachers: all }                          | interception.groups.teachers: unknown key 'teachers'
      """)
  void mistakesAreReportedWithTheField(String section, String message) throws Exception {
    Path file = TestPolicies.write(Files.createDirectories(dir.resolve("bad" + Math.abs(section.hashCode()))),
        BASE + "interception:\n  " + section + "\n");

    PolicyException e = catchThrowableOfType(PolicyException.class, () -> PolicyReader.read(file));

    assertThat(e).isNotNull();
    assertThat(e.getMessage()).contains(message);
  }
}
