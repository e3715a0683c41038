package org.schoolgate.policy.compile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.schoolgate.policy.TestPolicies.london;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.schoolgate.policy.CategoryId;
import org.schoolgate.policy.Decision;
import org.schoolgate.policy.GroupId;
import org.schoolgate.policy.Level;
import org.schoolgate.policy.RequestFacts;
import org.schoolgate.policy.Rule;
import org.schoolgate.policy.TestPolicies;
import org.schoolgate.policy.TestUnblocks;
import org.schoolgate.policy.Unblock;
import org.schoolgate.policy.UnblockId;
import org.schoolgate.policy.UnblockScope;
import org.schoolgate.policy.UnblockSet;
import org.schoolgate.policy.UnblockTarget;

/** What an allow by an unblock carries: the lifted block's level and categories, the unblock's id, a reason for people. */
class UnblockDecisionTest {
  @TempDir Path dir;

  private static final String POLICY = """
      timezone: Europe/London
      groups:
        ks3-4: { subnets: [10.20.0.0/16], description: "KS3-4 pupils" }
        staff: { subnets: [10.30.0.0/16] }
      categories:
        gambling: { domains: [bet365.com] }
        games:    { domains: [bet365.com, miniclip.com] }
      matrix:
        gambling: { default: unacceptable }
        games:    { default: unacceptable, staff: acceptable }
      default: %s
      """;

  private static RequestFacts pupil(String host, String time) {
    return new RequestFacts(new GroupId("ks3-4"), "sam", host, "/odds", london(time));
  }

  @Test
  void unblockedRequestKeepsTheLiftedLevelAndCategoriesAndSaysWhoAskedWhyAndUntilWhen() {
    CompiledPolicy compiled = TestPolicies.compile(dir, POLICY.formatted("acceptable"));
    PolicyWithUnblocks policy = compiled.withUnblocks(UnblockSet.compile(List.of(
        TestUnblocks.forGroup(12, new UnblockTarget.Domain("bet365.com"), "ks3-4", "09:00", "14:00"))));

    Decision blocked = compiled.decide(pupil("www.bet365.com", "2026-11-23T10:00"));
    Decision d = policy.decide(pupil("www.bet365.com", "2026-11-23T10:00"));

    assertThat(blocked.blocked()).isTrue();
    assertThat(d).isInstanceOf(Decision.Allow.class);
    assertThat(d.rule()).isEqualTo(Rule.UNBLOCK);
    assertThat(d.unblock()).isEqualTo(new UnblockId(12));
    assertThat(d.level()).isEqualTo(Level.UNACCEPTABLE);
    assertThat(d.categories()).isEqualTo(blocked.categories());
    assertThat(d.decidingCategory()).isEqualTo(new CategoryId("gambling"));
    assertThat(d.ruleText()).isEqualTo("unblock");
    assertThat(d.reason()).isEqualTo("gambling is unacceptable for KS3-4 pupils (ks3-4), but unblock #12 (requested by"
        + " mrs.jones: 'Year 10 statistics project on odds') allows it until 14:00 23 Nov");
  }

  @Test
  void filterBypassIsNamedAsSuch() {
    PolicyWithUnblocks policy = TestPolicies.compile(dir, POLICY.formatted("acceptable")).withUnblocks(
        UnblockSet.compile(List.of(new Unblock(new UnblockId(7), new UnblockTarget.Everything(),
            new UnblockScope(java.util.Set.of(), java.util.Set.of("sam"), List.of()),
            london("2026-11-23T09:00"), london("2026-11-24T09:00"), "mr.khan", "mr.khan", null))));

    Decision d = policy.decide(pupil("miniclip.com", "2026-11-23T10:00"));

    assertThat(d.rule()).isEqualTo(Rule.FILTER_BYPASS);
    assertThat(d.ruleText()).isEqualTo("filter-bypass");
    assertThat(d.reason()).isEqualTo(
        "games is unacceptable for KS3-4 pupils (ks3-4), but filter bypass #7 (requested by mr.khan) allows it until 09:00 24 Nov");
  }

  @Test
  void domainUnblockLiftsAnUnacceptableDefault() {
    PolicyWithUnblocks policy = TestPolicies.compile(dir, POLICY.formatted("unacceptable")).withUnblocks(
        UnblockSet.compile(List.of(
            TestUnblocks.forGroup(3, new UnblockTarget.Domain("museum.test"), "ks3-4", "09:00", "14:00"))));

    assertThat(policy.decide(pupil("museum.test", "2026-11-23T10:00")).rule()).isEqualTo(Rule.UNBLOCK);
    assertThat(policy.decide(pupil("other.test", "2026-11-23T10:00")).rule()).isEqualTo(Rule.DEFAULT);
    assertThat(policy.decide(pupil("other.test", "2026-11-23T10:00")).blocked()).isTrue();
  }

  @Test
  void categoryUnblockAloneDoesNotLiftAHostThatAnotherCategoryStillBlocks() {
    PolicyWithUnblocks policy = TestPolicies.compile(dir, POLICY.formatted("acceptable")).withUnblocks(
        UnblockSet.compile(List.of(
            TestUnblocks.forGroup(4, TestUnblocks.category("games"), "ks3-4", "09:00", "14:00"))));

    assertThat(policy.decide(pupil("miniclip.com", "2026-11-23T10:00")).rule()).isEqualTo(Rule.UNBLOCK);
    Decision both = policy.decide(pupil("bet365.com", "2026-11-23T10:00"));
    assertThat(both.blocked()).isTrue();
    assertThat(both.decidingCategory()).isEqualTo(new CategoryId("gambling"));
  }

  @Test
  void theSameLiftedBlockGivesTheSameAllowOnTheNextRequest() {
    PolicyWithUnblocks policy = TestPolicies.compile(dir, POLICY.formatted("acceptable")).withUnblocks(
        UnblockSet.compile(List.of(
            TestUnblocks.forGroup(12, new UnblockTarget.Domain("bet365.com"), "ks3-4", "09:00", "14:00"))));

    Decision first = policy.decide(pupil("bet365.com", "2026-11-23T10:00"));
    Decision second = policy.decide(pupil("www.bet365.com", "2026-11-23T10:01"));

    assertThat(second).isSameAs(first);
  }

  @Test
  void allowNamesAnUnblockExactlyForTheUnblockRules() {
    GroupId g = new GroupId("ks3-4");
    assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> new Decision.Allow(Level.ACCEPTABLE,
        Rule.UNBLOCK, g, org.schoolgate.policy.CategorySet.EMPTY, null, "x")))
        .hasMessage("an allow by rule unblock needs the unblock that allowed it (expected: a non-null unblock id)");
    assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> new Decision.Allow(Level.ACCEPTABLE,
        Rule.MATRIX, g, org.schoolgate.policy.CategorySet.EMPTY, null, "x", new UnblockId(1))))
        .hasMessage("an allow by rule matrix names unblock 1 (expected: an unblock id only for rule unblock or filter-bypass)");
    assertThat(new Decision.Block(Level.UNACCEPTABLE, Rule.MATRIX, g, org.schoolgate.policy.CategorySet.EMPTY,
        null, "x").unblock()).isNull();
  }
}
