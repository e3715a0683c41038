package org.schoolgate.policy.compile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.schoolgate.policy.TestPolicies.facts;
import static org.schoolgate.policy.TestPolicies.london;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.schoolgate.policy.Allocations;
import org.schoolgate.policy.RequestFacts;
import org.schoolgate.policy.TestPolicies;

/** {@code decide()} allocates nothing in steady state, including for un-normalised hosts. */
class DecideAllocationTest {
  @TempDir Path dir;

  @Test
  void decideAllocatesNothingOnceWarm() {
    CompiledPolicy policy = TestPolicies.sample(dir);
    List<RequestFacts> requests = List.of(
        facts("ks3-4", null, "www.bet365.com", "/", london("2026-11-23T10:00")),
        facts("ks2", null, "WWW.YouTube.COM.:443", "", london("2026-11-23T12:30")),
        facts("staff", "j.smith", "www.facebook.com", "/", london("2026-11-23T10:00")),
        facts("staff", "J.Smith", "x.y.z.example.com", "/a/b?c", london("2026-11-23T10:00")),
        facts("guests", null, "[::1]:8080", "/", london("2026-11-28T10:00")),
        facts("ks2", null, "ttrockstars.com", "/", london("2026-11-23T10:00")),
        facts("ks3-4", null, "online-gaming-non-educational.schoolgate.test", "/", london("2026-11-23T12:30")));
    long allocated = Allocations.bytesAllocatedByDecide(policy, requests, 20_000, 200_000);
    // Only the measuring call itself may allocate: far below one byte per decision.
    assertThat(allocated).as("bytes allocated by 200,000 decisions").isLessThan(10_000);
  }
}
