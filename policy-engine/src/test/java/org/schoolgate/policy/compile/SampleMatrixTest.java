package org.schoolgate.policy.compile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.schoolgate.policy.TestPolicies.facts;
import static org.schoolgate.policy.TestPolicies.london;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.schoolgate.policy.Action;
import org.schoolgate.policy.Decision;
import org.schoolgate.policy.Level;
import org.schoolgate.policy.Rule;
import org.schoolgate.policy.TestPolicies;

/**
 * The acceptable-use matrix of seed 000 (UPS e-safety policy, Spring 2020) against the shipped
 * sample policy: every row (category) × every group × the times of a school week → action, plus
 * the seed's level for the row. Hosts are the starter list's reserved test names.
 */
class SampleMatrixTest {
  @TempDir static Path dir;
  static CompiledPolicy policy;

  /** Monday 23 November 2026 and Saturday 28 November 2026, London time. */
  static final Map<String, Instant> TIMES = Map.of(
      "before-school", london("2026-11-23T08:00"),
      "lesson", london("2026-11-23T10:00"),
      "lunch", london("2026-11-23T12:30"),
      "after-school", london("2026-11-23T16:00"),
      "evening", london("2026-11-23T19:00"),
      "weekend", london("2026-11-28T12:30"));

  static final List<String> GROUPS = List.of("ks2", "ks3-4", "staff", "guests");

  @BeforeAll
  static void compileSample() {
    policy = TestPolicies.sample(dir);
  }

  @ParameterizedTest(name = "{0} at {1}: {3} (ks2, ks3-4, staff, guests) at level {2}")
  @CsvSource(delimiter = '|', textBlock = """
      # seed row / category           | time          | seed level                     | ks2 ks3-4 staff guests
      child-sexual-abuse-images       | lesson        | ILLEGAL                        | B B B B
      child-sexual-abuse-images       | lunch         | ILLEGAL                        | B B B B
      child-grooming                  | lesson        | ILLEGAL                        | B B B B
      child-grooming                  | lunch         | ILLEGAL                        | B B B B
      extreme-pornography             | lesson        | ILLEGAL                        | B B B B
      extreme-pornography             | lunch         | ILLEGAL                        | B B B B
      criminally-racist-material      | lesson        | ILLEGAL                        | B B B B
      criminally-racist-material      | lunch         | ILLEGAL                        | B B B B
      pornography                     | lesson        | UNACCEPTABLE                   | B B B B
      pornography                     | lunch         | UNACCEPTABLE                   | B B B B
      discrimination                  | lesson        | UNACCEPTABLE                   | B B B B
      discrimination                  | lunch         | UNACCEPTABLE                   | B B B B
      violence                        | lesson        | UNACCEPTABLE                   | B B B B
      violence                        | lunch         | UNACCEPTABLE                   | B B B B
      extremism                       | lesson        | UNACCEPTABLE                   | B B B B
      extremism                       | lunch         | UNACCEPTABLE                   | B B B B
      offensive-or-against-ethos      | lesson        | UNACCEPTABLE                   | B B B B
      offensive-or-against-ethos      | lunch         | UNACCEPTABLE                   | B B B B
      private-business                | lesson        | UNACCEPTABLE                   | B B B B
      private-business                | lunch         | UNACCEPTABLE                   | B B B B
      filter-bypass                   | lesson        | UNACCEPTABLE                   | B B B B
      filter-bypass                   | lunch         | UNACCEPTABLE                   | B B B B
      copyright-infringement          | lesson        | UNACCEPTABLE                   | B B B B
      copyright-infringement          | lunch         | UNACCEPTABLE                   | B B B B
      confidential-information        | lesson        | UNACCEPTABLE                   | B B B B
      confidential-information        | lunch         | UNACCEPTABLE                   | B B B B
      malware-and-hacking             | lesson        | UNACCEPTABLE                   | B B B B
      malware-and-hacking             | lunch         | UNACCEPTABLE                   | B B B B
      unfair-usage                    | lesson        | UNACCEPTABLE                   | B B B B
      unfair-usage                    | lunch         | UNACCEPTABLE                   | B B B B
      online-gaming-educational       | lesson        | ACCEPTABLE_FOR_NOMINATED_USERS | A A A B
      online-gaming-educational       | lunch         | ACCEPTABLE_FOR_NOMINATED_USERS | A A A B
      online-gaming-educational       | weekend       | ACCEPTABLE_FOR_NOMINATED_USERS | A A A B
      online-gaming-non-educational   | before-school | ACCEPTABLE_FOR_NOMINATED_USERS | B B B B
      online-gaming-non-educational   | lesson        | ACCEPTABLE_FOR_NOMINATED_USERS | B B B B
      online-gaming-non-educational   | lunch         | ACCEPTABLE_FOR_NOMINATED_USERS | A A A B
      online-gaming-non-educational   | after-school  | ACCEPTABLE_FOR_NOMINATED_USERS | B B A B
      online-gaming-non-educational   | evening       | ACCEPTABLE_FOR_NOMINATED_USERS | B B B B
      online-gaming-non-educational   | weekend       | ACCEPTABLE_FOR_NOMINATED_USERS | B B B B
      gambling                        | lesson        | UNACCEPTABLE                   | B B B B
      gambling                        | lunch         | UNACCEPTABLE                   | B B B B
      gambling                        | weekend       | UNACCEPTABLE                   | B B B B
      shopping                        | lesson        | ACCEPTABLE_FOR_NOMINATED_USERS | B B A B
      shopping                        | lunch         | ACCEPTABLE_FOR_NOMINATED_USERS | B B A B
      file-sharing                    | lesson        | ACCEPTABLE_FOR_NOMINATED_USERS | B A A B
      file-sharing                    | lunch         | ACCEPTABLE_FOR_NOMINATED_USERS | B A A B
      social-media                    | lesson        | ACCEPTABLE_FOR_NOMINATED_USERS | B B B B
      social-media                    | lunch         | ACCEPTABLE_FOR_NOMINATED_USERS | B B B B
      messaging                       | lesson        | ACCEPTABLE_FOR_NOMINATED_USERS | B B A B
      messaging                       | lunch         | ACCEPTABLE_FOR_NOMINATED_USERS | B B A B
      video-broadcasting              | before-school | ACCEPTABLE_AT_CERTAIN_TIMES    | B B A B
      video-broadcasting              | lesson        | ACCEPTABLE_AT_CERTAIN_TIMES    | B B B B
      video-broadcasting              | lunch         | ACCEPTABLE_AT_CERTAIN_TIMES    | A A A A
      video-broadcasting              | after-school  | ACCEPTABLE_AT_CERTAIN_TIMES    | A A A A
      video-broadcasting              | evening       | ACCEPTABLE_AT_CERTAIN_TIMES    | B B B B
      video-broadcasting              | weekend       | ACCEPTABLE_AT_CERTAIN_TIMES    | B B B B
      """)
  void seedMatrixRowGivesEachGroupItsAction(String category, String time, Level level, String actions) {
    String[] expected = actions.trim().split(" ");
    for (int g = 0; g < GROUPS.size(); g++) {
      String host = category + ".schoolgate.test";
      Decision d = policy.decide(facts(GROUPS.get(g), null, host, "/", TIMES.get(time)));
      assertThat(d.action())
          .as("%s for %s at %s: %s", category, GROUPS.get(g), time, d.reason())
          .isEqualTo(expected[g].equals("A") ? Action.ALLOW : Action.BLOCK);
      assertThat(d.level()).as("level of %s for %s", category, GROUPS.get(g)).isEqualTo(level);
      assertThat(d.decidingCategory().value()).isEqualTo(category);
      assertThat(d.rule()).isEqualTo(level == Level.ILLEGAL ? Rule.ILLEGAL_CATEGORY : Rule.MATRIX);
    }
  }

  @Test
  void sampleHasTheTwentyThreeSeedRowsAiChatTheNeverInterceptListAndTheSchoolsOwnLists() {
    assertThat(policy.categories()).extracting(c -> c.value()).hasSize(27)
        .contains("child-sexual-abuse-images", "gambling", "video-broadcasting", "ai-chat", "never-intercept",
            "school-blocked", "school-allowed");
  }

  @ParameterizedTest(name = "{0} for {1}: {2}")
  @CsvSource(delimiter = '|', textBlock = """
      www.bet365.com        | ks3-4  | BLOCK | gambling is unacceptable for Secondary pupils (ks3-4)
      WWW.PaddyPower.com.   | ks2    | BLOCK | gambling is unacceptable for Primary pupils (ks2)
      example.com           | ks3-4  | ALLOW | no category matched; the policy default is acceptable
      www.youtube.com       | ks2    | BLOCK | video-broadcasting is acceptable for Primary pupils (ks2) only at lunch (Mon-Fri 12:00-13:15) or after-school (Mon-Fri 15:30-18:00)
      www.facebook.com      | staff  | BLOCK | social-media is acceptable only for nominated users; Staff (staff) is not nominated
      www.ttrockstars.com   | ks2    | ALLOW | the school has allowed this site (school-allowed)
      blocked.schoolgate.test | staff | BLOCK | the school has blocked this site (school-blocked)
      child-sexual-abuse-images.schoolgate.test | staff | BLOCK | child-sexual-abuse-images is illegal: blocked for everyone
      messaging.schoolgate.test | staff | ALLOW | messaging is acceptable for nominated users; Staff (staff) is nominated
      roblox.com            | ks2    | BLOCK | online-gaming-non-educational is acceptable for Primary pupils (ks2) only at lunch (Mon-Fri 12:00-13:15)
      roblox.com            | guests | BLOCK | online-gaming-non-educational is acceptable only for nominated users at lunch (Mon-Fri 12:00-13:15); Guests (guests) is not nominated (or it is outside those times)
      """)
  void wellKnownSitesGetReasonsFitForABlockPage(String host, String group, Action action, String reason) {
    Decision d = policy.decide(facts(group, null, host, "/", TIMES.get("lesson")));
    assertThat(d.action()).isEqualTo(action);
    assertThat(d.reason()).isEqualTo(reason);
  }

  @Test
  void missingUt1ListIsAWarningNotAnError() {
    assertThat(policy.warnings()).isNotEmpty();
    assertThat(policy.warnings().get(0).field()).isEqualTo("lists.ut1.path");
    assertThat(policy.warnings().get(0).message()).endsWith("does not exist; its categories are empty (required: false)");
  }

  @Test
  void sampleInterceptsNothingUntilTheSchoolTurnsItOn() {
    org.schoolgate.policy.Decision d = policy.decide(TestPolicies.facts("ks3-4", null, "www.google.com",
        "", TestPolicies.CLOCK.instant()));
    assertThat(policy.interception(new org.schoolgate.policy.GroupId("ks3-4"), "www.google.com", d))
        .isEqualTo(org.schoolgate.policy.InterceptChoice.NONE);
    assertThat(policy.categoriesOf("www.nhs.uk", "").categories())
        .extracting(c -> c.value()).contains("never-intercept");
  }
}
