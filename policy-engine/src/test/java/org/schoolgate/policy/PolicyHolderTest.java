package org.schoolgate.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.schoolgate.policy.TestPolicies.facts;
import static org.schoolgate.policy.TestPolicies.london;

import java.nio.file.Files;
import java.nio.file.Path;
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
}
