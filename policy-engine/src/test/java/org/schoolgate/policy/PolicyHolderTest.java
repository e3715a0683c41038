package org.schoolgate.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.schoolgate.policy.TestPolicies.facts;
import static org.schoolgate.policy.TestPolicies.london;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reloading swaps the snapshot atomically, and a broken file never replaces a working policy. */
class PolicyHolderTest {
  @TempDir Path dir;

  private static final String GOOD = """
      groups:
        pupils: { subnets: [10.10.0.0/16] }
      categories:
        gambling: { domains: [bet365.com] }
      matrix:
        gambling: { default: unacceptable }
      """;

  @Test
  void reloadWithABrokenFileKeepsTheOldPolicyAndReportsFileLineField() throws Exception {
    Path file = TestPolicies.write(dir, GOOD);
    PolicyHolder holder = PolicyHolder.load(file, TestPolicies.CLOCK);
    PolicySnapshot before = holder.current();

    Files.writeString(file, GOOD.replace("unacceptable", "unaceptable"));
    ReloadResult result = holder.reload();

    assertThat(result).isInstanceOf(ReloadResult.Rejected.class);
    assertThat(((ReloadResult.Rejected) result).errors()).extracting(PolicyError::toString).containsExactly(
        file + ":6: matrix.gambling.default: unknown level 'unaceptable' (expected: acceptable, unacceptable,"
            + " illegal, { at-times: [schedule, ...] } or { nominated: [user, ...] })");
    assertThat(holder.current()).isSameAs(before);
    assertThat(holder.current().decide(facts("pupils", null, "bet365.com", "/", london("2026-11-23T10:00")))
        .blocked()).isTrue();
  }

  @Test
  void reloadWithAFixedFilePublishesTheNewPolicy() throws Exception {
    Path file = TestPolicies.write(dir, GOOD);
    PolicyHolder holder = PolicyHolder.load(file, TestPolicies.CLOCK);
    Files.writeString(file, GOOD.replace("default: unacceptable", "default: acceptable"));

    ReloadResult result = holder.reload();

    assertThat(result).isInstanceOf(ReloadResult.Reloaded.class);
    assertThat(holder.current()).isSameAs(((ReloadResult.Reloaded) result).snapshot());
    assertThat(holder.current().decide(facts("pupils", null, "bet365.com", "/", london("2026-11-23T10:00")))
        .blocked()).isFalse();
  }

  @Test
  void setUnblocksPublishesAtOnceAndAReloadKeepsThem() throws Exception {
    Path file = TestPolicies.write(dir, GOOD);
    PolicyHolder holder = PolicyHolder.load(file, TestPolicies.CLOCK);
    RequestFacts bet = facts("pupils", null, "www.bet365.com", "/", london("2026-11-23T10:00"));
    UnblockSet unblocks = UnblockSet.compile(List.of(
        TestUnblocks.forGroup(12, new UnblockTarget.Domain("bet365.com"), "pupils", "09:00", "14:00")));
    assertThat(holder.unblocks()).isSameAs(UnblockSet.EMPTY);
    assertThat(holder.current().decide(bet).blocked()).isTrue();

    holder.setUnblocks(unblocks);

    assertThat(holder.unblocks()).isSameAs(unblocks);
    assertThat(holder.current().decide(bet).rule()).isEqualTo(Rule.UNBLOCK);
    assertThat(holder.current()).isSameAs(holder.current()); // built once per change, not per request

    Files.writeString(file, GOOD.replace("bet365.com]", "bet365.com, betway.com]"));
    ReloadResult result = holder.reload();

    assertThat(result).isInstanceOf(ReloadResult.Reloaded.class);
    assertThat(holder.current().entryCount()).isEqualTo(2);
    assertThat(holder.unblocks()).isSameAs(unblocks);
    assertThat(holder.current().decide(bet).unblock()).isEqualTo(new UnblockId(12));
    assertThat(holder.current().decide(facts("pupils", null, "betway.com", "/", london("2026-11-23T10:00")))
        .blocked()).isTrue();

    holder.setUnblocks(UnblockSet.EMPTY);

    assertThat(holder.current().decide(bet).blocked()).isTrue();
  }

  @Test
  void sensitiveAndIllegalCategoriesAreKnownToTheSnapshot() throws Exception {
    Path file = TestPolicies.write(dir, """
        groups:
          pupils: { subnets: [10.10.0.0/16] }
        categories:
          extremism: { domains: [extremism.test], sensitive: true }
          gambling: { domains: [bet365.com], sensitive: false }
          child-abuse: { domains: [abuse.test] }
        matrix:
          extremism: { default: unacceptable }
          gambling: { default: unacceptable }
          child-abuse: { default: illegal }
        """);
    PolicySnapshot policy = PolicyHolder.load(file, TestPolicies.CLOCK).current();

    assertThat(policy.isSensitive(new CategoryId("extremism"))).isTrue();
    assertThat(policy.isSensitive(new CategoryId("gambling"))).isFalse();
    assertThat(policy.isSensitive(new CategoryId("no-such-category"))).isFalse();
    assertThat(policy.isIllegal(new CategoryId("child-abuse"))).isTrue();
    assertThat(policy.isIllegal(new CategoryId("extremism"))).isFalse();
  }

  @Test
  void listEntriesCountsEachCategorysLoadedNamesAndFollowsAReload() throws Exception {
    Path file = TestPolicies.write(dir, GOOD);
    PolicyHolder holder = PolicyHolder.load(file, TestPolicies.CLOCK);
    assertThat(holder.listEntries()).containsExactly(java.util.Map.entry(new CategoryId("gambling"), 1L));

    Files.writeString(file, GOOD.replace("bet365.com]", "bet365.com, betway.com, paddypower.com]"));
    holder.reload();

    assertThat(holder.listEntries()).containsExactly(java.util.Map.entry(new CategoryId("gambling"), 3L));
  }

  @Test
  void onCompiledSeesTheNewPolicyBeforeAnyReaderDoes() throws Exception {
    Path file = TestPolicies.write(dir, GOOD);
    PolicyHolder holder = PolicyHolder.load(file, TestPolicies.CLOCK);
    PolicySnapshot before = holder.current();
    List<PolicySnapshot> seen = new java.util.ArrayList<>();
    List<PolicySnapshot> inForceThen = new java.util.ArrayList<>();
    holder.onCompiled(next -> {
      seen.add(next);
      inForceThen.add(holder.current());
    });
    holder.onCompiled(next -> {
      throw new IllegalStateException("a broken listener");
    });
    Files.writeString(file, GOOD.replace("pupils:", "staff: { subnets: [10.30.0.0/16] }\n  pupils:"));

    ReloadResult result = holder.reload();

    assertThat(result).isInstanceOf(ReloadResult.Reloaded.class);
    assertThat(seen).hasSize(1);
    assertThat(seen.get(0).groups()).extracting(GroupId::value).contains("staff", "pupils");
    assertThat(inForceThen).containsExactly(before);
    assertThat(holder.current().groups()).extracting(GroupId::value).contains("staff");
  }

  @Test
  void aRejectedReloadCompilesNothingForOnCompiled() throws Exception {
    Path file = TestPolicies.write(dir, GOOD);
    PolicyHolder holder = PolicyHolder.load(file, TestPolicies.CLOCK);
    List<PolicySnapshot> seen = new java.util.ArrayList<>();
    holder.onCompiled(seen::add);
    Files.writeString(file, GOOD.replace("unacceptable", "unaceptable"));

    holder.reload();

    assertThat(seen).isEmpty();
  }
}
