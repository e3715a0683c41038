package org.schoolgate.policy.compile;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.schoolgate.policy.Allocations;
import org.schoolgate.policy.GroupId;
import org.schoolgate.policy.PolicySnapshot;
import org.schoolgate.policy.TestPolicies;
import org.schoolgate.policy.UnblockSet;

/**
 * The {@code safesearch:} section compiled: per group, which safe host a search or video host is
 * connected to, the defaults when the section is absent, and the shipped sample's choices.
 */
class SafeSearchTableTest {
  @TempDir static Path dir;
  static PolicySnapshot policy;
  static PolicySnapshot defaults;

  private static final String GROUPS = """
      groups:
        pupils: { subnets: [10.10.0.0/16] }
        seniors: { subnets: [10.20.0.0/16] }
        staff:  { subnets: [10.30.0.0/16] }
      """;

  @BeforeAll
  static void compile() throws java.io.IOException {
    policy = TestPolicies.compile(dir, GROUPS + """
        safesearch:
          search:  { default: enforce, staff: off }
          youtube: { default: strict, seniors: moderate, staff: off }
        """).withUnblocks(UnblockSet.EMPTY);
    defaults = TestPolicies.compile(Files.createDirectories(dir.resolve("defaults")), GROUPS);
  }

  @ParameterizedTest(name = "{0} → {1} for {2}")
  @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
      www.google.com           | pupils  | forcesafesearch.google.com
      google.com               | pupils  | forcesafesearch.google.com
      www.google.co.uk         | pupils  | forcesafesearch.google.com
      google.co.uk             | seniors | forcesafesearch.google.com
      www.google.com.au        | pupils  | forcesafesearch.google.com
      www.google.de            | pupils  | forcesafesearch.google.com
      www.google.com           | staff   | -
      www.youtube.com          | pupils  | restrict.youtube.com
      m.youtube.com            | pupils  | restrict.youtube.com
      youtubei.googleapis.com  | pupils  | restrict.youtube.com
      youtube.googleapis.com   | pupils  | restrict.youtube.com
      www.youtube-nocookie.com | pupils  | restrict.youtube.com
      www.youtube.com          | seniors | restrictmoderate.youtube.com
      m.youtube.com            | seniors | restrictmoderate.youtube.com
      www.youtube.com          | staff   | -
      www.bing.com             | pupils  | strict.bing.com
      bing.com                 | seniors | strict.bing.com
      www.bing.com             | staff   | -
      duckduckgo.com           | pupils  | safe.duckduckgo.com
      www.duckduckgo.com       | pupils  | safe.duckduckgo.com
      duckduckgo.com           | staff   | -
      mail.google.com          | pupils  | -
      maps.google.com          | pupils  | -
      forcesafesearch.google.com | pupils | -
      www.google.example.org   | pupils  | -
      www.google.c             | pupils  | -
      www.google.com.          | pupils  | -
      google.                  | pupils  | -
      notgoogle.com            | pupils  | -
      youtube.com.evil.test    | pupils  | -
      www.google.com           | nobody  | -
      """)
  void hostsAreSentToTheirSafeVariantPerGroup(String host, String group, String safe) {
    assertThat(policy.safeSearchHost(new GroupId(group), host)).isEqualTo(safe);
  }

  @ParameterizedTest(name = "without a section, {0} → {1} for every group")
  @CsvSource(delimiter = '|', textBlock = """
      www.google.com  | forcesafesearch.google.com
      www.youtube.com | restrict.youtube.com
      www.bing.com    | strict.bing.com
      duckduckgo.com  | safe.duckduckgo.com
      """)
  void absentSectionEnforcesSearchAndStrictYouTubeForEveryGroup(String host, String safe) {
    for (String group : List.of("pupils", "seniors", "staff")) {
      assertThat(defaults.safeSearchHost(new GroupId(group), host)).as(group).isEqualTo(safe);
    }
  }

  @Test
  void samplePolicyLetsStaffSearchFreelyAndGivesSecondaryPupilsModerateYouTube() throws Exception {
    PolicySnapshot s = TestPolicies.sample(Files.createDirectories(dir.resolve("sample")));

    assertThat(s.safeSearchHost(new GroupId("ks2"), "www.google.com")).isEqualTo("forcesafesearch.google.com");
    assertThat(s.safeSearchHost(new GroupId("ks2"), "www.youtube.com")).isEqualTo("restrict.youtube.com");
    assertThat(s.safeSearchHost(new GroupId("ks3-4"), "www.youtube.com")).isEqualTo("restrictmoderate.youtube.com");
    assertThat(s.safeSearchHost(new GroupId("guests"), "www.bing.com")).isEqualTo("strict.bing.com");
    assertThat(s.safeSearchHost(new GroupId("staff"), "www.google.com")).isNull();
    assertThat(s.safeSearchHost(new GroupId("staff"), "www.youtube.com")).isNull();
  }

  @Test
  void lookupAllocatesNothing() {
    GroupId pupils = new GroupId("pupils");
    String[] hosts = {"www.google.co.uk", "www.youtube.com", "example.org", "duckduckgo.com"};
    long bytes = Allocations.bytesAllocated(20_000, 100_000, i -> {
      String safe = policy.safeSearchHost(pupils, hosts[i & 3]);
      return safe == null ? 1 : safe.length();
    });
    // one allocating lookup would be at least 16 bytes a call, 1.6 MB in all
    assertThat(bytes).as("bytes allocated by 100,000 lookups").isLessThan(10_000);
  }
}
