package org.schoolgate.policy.compile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.schoolgate.policy.TestPolicies.facts;
import static org.schoolgate.policy.TestPolicies.london;

import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.schoolgate.policy.Action;
import org.schoolgate.policy.TestPolicies;

/** Schedule edges in Europe/London (DST days included) and nominated users and groups. */
class SchedulesAndNominationsTest {
  @TempDir static Path sampleDir;
  @TempDir static Path dstDir;
  static CompiledPolicy sample;
  static CompiledPolicy sunday;

  @BeforeAll
  static void compile() {
    sample = TestPolicies.sample(sampleDir);
    sunday = TestPolicies.compile(dstDir, """
        timezone: Europe/London
        schedules:
          sunday-lunch: { days: [SUN], from: "12:00", to: "13:15" }
          small-hours:  { days: [SUN], from: "01:30", to: "02:30" }
        groups:
          everyone: { subnets: [0.0.0.0/0] }
        categories:
          video: { domains: [video.test] }
          night: { domains: [night.test] }
        matrix:
          video: { default: { at-times: [sunday-lunch] } }
          night: { default: { at-times: [small-hours] } }
        """);
  }

  @ParameterizedTest(name = "video for ks3-4 at {0} (London) → {1}")
  @CsvSource(delimiter = '|', textBlock = """
      2026-11-23T11:59 | BLOCK
      2026-11-23T12:00 | ALLOW
      2026-11-23T12:59 | ALLOW
      2026-11-23T13:14 | ALLOW
      2026-11-23T13:15 | BLOCK
      2026-11-23T13:16 | BLOCK
      2026-11-23T15:30 | ALLOW
      2026-11-23T17:59 | ALLOW
      2026-11-23T18:00 | BLOCK
      2026-11-27T12:30 | ALLOW
      2026-11-28T12:30 | BLOCK
      2026-11-29T12:30 | BLOCK
      2026-03-30T12:30 | ALLOW
      2026-03-30T13:30 | BLOCK
      2026-10-26T12:30 | ALLOW
      2026-10-26T11:30 | BLOCK
      """)
  void lunchAndAfterSchoolWindowsHaveExactEdges(String localTime, Action action) {
    assertThat(sample.decide(facts("ks3-4", null, "video-broadcasting.schoolgate.test", "/", london(localTime)))
        .action()).isEqualTo(action);
  }

  @ParameterizedTest(name = "{0} at {1} (UTC) → {2}")
  @CsvSource(delimiter = '|', textBlock = """
      # spring: 2026-03-29 01:00 UTC clocks go from 01:00 GMT to 02:00 BST
      video.test | 2026-03-29T11:30:00Z | ALLOW
      video.test | 2026-03-29T12:30:00Z | BLOCK
      video.test | 2026-03-29T10:59:00Z | BLOCK
      night.test | 2026-03-29T00:45:00Z | BLOCK
      night.test | 2026-03-29T01:10:00Z | ALLOW
      night.test | 2026-03-29T01:30:00Z | BLOCK
      # autumn: 2026-10-25 01:00 UTC clocks go from 02:00 BST back to 01:00 GMT
      video.test | 2026-10-25T12:30:00Z | ALLOW
      video.test | 2026-10-25T11:30:00Z | BLOCK
      video.test | 2026-10-25T13:14:00Z | ALLOW
      night.test | 2026-10-25T00:29:00Z | BLOCK
      night.test | 2026-10-25T00:31:00Z | ALLOW
      night.test | 2026-10-25T01:31:00Z | ALLOW
      night.test | 2026-10-25T02:31:00Z | BLOCK
      """)
  void schedulesFollowLondonWallClockOnDstChangeDays(String host, String utc, Action action) {
    assertThat(sunday.decide(facts("everyone", null, host, "/", Instant.parse(utc))).action()).isEqualTo(action);
  }

  @ParameterizedTest(name = "{0}: {1} ({2}) → {3}")
  @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
      social-media.schoolgate.test | ks3-4  | j.smith  | ALLOW
      social-media.schoolgate.test | staff  | a.khan   | ALLOW
      social-media.schoolgate.test | staff  | J.Smith  | ALLOW
      social-media.schoolgate.test | staff  | b.jones  | BLOCK
      social-media.schoolgate.test | staff  | -        | BLOCK
      messaging.schoolgate.test    | staff  | -        | ALLOW
      messaging.schoolgate.test    | ks3-4  | j.smith  | BLOCK
      file-sharing.schoolgate.test | ks3-4  | -        | ALLOW
      file-sharing.schoolgate.test | ks2    | -        | BLOCK
      shopping.schoolgate.test     | guests | -        | BLOCK
      """)
  void nominatedUsersAndGroupsAreAllowed(String host, String group, String user, Action action) {
    assertThat(sample.decide(facts(group, user, host, "/", london("2026-11-23T10:00"))).action())
        .isEqualTo(action);
  }
}
