package org.schoolgate.policy.compile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.schoolgate.policy.TestPolicies.facts;
import static org.schoolgate.policy.TestPolicies.london;

import java.net.InetAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.schoolgate.policy.Allocations;
import org.schoolgate.policy.GroupId;
import org.schoolgate.policy.PolicySnapshot;
import org.schoolgate.policy.RequestFacts;
import org.schoolgate.policy.Rule;
import org.schoolgate.policy.TestPolicies;
import org.schoolgate.policy.TestUnblocks;
import org.schoolgate.policy.UnblockScope;
import org.schoolgate.policy.UnblockSet;
import org.schoolgate.policy.UnblockTarget;

/**
 * {@code decide()} allocates nothing in steady state, including for un-normalised hosts, and with
 * unblocks in force for requests none of them applies to.
 */
class DecideAllocationTest {
  @TempDir Path dir;

  private static final List<RequestFacts> REQUESTS = List.of(
      facts("ks3-4", null, "www.bet365.com", "/", london("2026-11-23T10:00")),
      facts("ks2", null, "WWW.YouTube.COM.:443", "", london("2026-11-23T12:30")),
      facts("staff", "j.smith", "www.facebook.com", "/", london("2026-11-23T10:00")),
      facts("staff", "J.Smith", "x.y.z.example.com", "/a/b?c", london("2026-11-23T10:00")),
      facts("guests", null, "[::1]:8080", "/", london("2026-11-28T10:00")),
      facts("ks2", null, "ttrockstars.com", "/", london("2026-11-23T10:00")),
      facts("ks3-4", null, "online-gaming-non-educational.schoolgate.test", "/", london("2026-11-23T12:30")));

  @Test
  void decideAllocatesNothingOnceWarm() {
    CompiledPolicy policy = TestPolicies.sample(dir);
    long allocated = Allocations.bytesAllocatedByDecide(policy, REQUESTS, 20_000, 200_000);
    // Only the measuring call itself may allocate: far below one byte per decision.
    assertThat(allocated).as("bytes allocated by 200,000 decisions").isLessThan(10_000);
  }

  @Test
  void decideWithUnblocksInForceAllocatesNothingForRequestsNoneAppliesTo() throws Exception {
    PolicySnapshot policy = TestPolicies.sample(dir).withUnblocks(UnblockSet.compile(List.of(
        // the blocked hosts, but for another group, another room, another user, or not yet
        TestUnblocks.forGroup(1, new UnblockTarget.Domain("bet365.com"), "ks2", "09:00", "17:00"),
        TestUnblocks.forSubnet(2, new UnblockTarget.Domain("www.bet365.com"), "10.21.0.0/16", "09:00", "17:00"),
        TestUnblocks.forGroup(3, new UnblockTarget.Domain("schoolgate.test"), "ks3-4", "15:00", "17:00"),
        TestUnblocks.forGroup(4, new UnblockTarget.UrlPrefix("bet365.com", "/maths/"), "ks3-4", "09:00", "17:00"),
        TestUnblocks.forUser(5, TestUnblocks.category("gambling"), "mrs.jones", "09:00", "17:00"),
        TestUnblocks.forGroup(6, TestUnblocks.category("online-gaming-non-educational"), "staff", "09:00", "17:00"),
        TestUnblocks.forSubnet(7, new UnblockTarget.Everything(), "10.99.4.0/24", "09:00", "17:00"),
        TestUnblocks.unblock(8, new UnblockTarget.Everything(),
            new UnblockScope(Set.of(new GroupId("guests")), Set.of("a.khan"), List.of("10.30.9.0/24")), "09:00", "17:00"),
        TestUnblocks.forGroup(9, new UnblockTarget.Domain("unrelated.test"), "ks3-4", "09:00", "17:00"))));
    InetAddress pupilV4 = InetAddress.getByName("10.20.1.7");
    InetAddress pupilV6 = InetAddress.getByName("fd00:20::7");
    List<RequestFacts> requests = new java.util.ArrayList<>(REQUESTS);
    requests.addAll(List.of(
        new RequestFacts(new GroupId("ks3-4"), "sam", "WWW.Bet365.com.", "/maths", london("2026-11-23T10:00"), pupilV4),
        new RequestFacts(new GroupId("ks3-4"), "sam", "www.bet365.com:443", "", london("2026-11-23T10:00"), pupilV6),
        new RequestFacts(new GroupId("ks3-4"), null, "online-gaming-non-educational.schoolgate.test", "/",
            london("2026-11-23T10:00"), pupilV4),
        new RequestFacts(new GroupId("ks2"), "sam", "blocked.schoolgate.test", "/", london("2026-11-23T10:00"),
            pupilV4)));
    for (RequestFacts r : requests.subList(REQUESTS.size(), requests.size())) {
      assertThat(policy.decide(r).blocked()).as("%s is blocked, no unblock applies", r).isTrue();
    }

    long allocated = Allocations.bytesAllocatedByDecide(policy, requests, 20_000, 200_000);

    assertThat(allocated).as("bytes allocated by 200,000 decisions").isLessThan(10_000);
  }

  @Test
  void anUnblockedRequestAllocatesNothingOnceItsAllowIsBuilt() {
    PolicySnapshot policy = TestPolicies.sample(dir).withUnblocks(UnblockSet.compile(List.of(
        TestUnblocks.forGroup(12, new UnblockTarget.Domain("bet365.com"), "ks3-4", "09:00", "17:00"))));
    List<RequestFacts> unblocked = List.of(facts("ks3-4", null, "www.bet365.com", "/", london("2026-11-23T10:00")));
    assertThat(policy.decide(unblocked.get(0)).rule()).isEqualTo(Rule.UNBLOCK);

    long allocated = Allocations.bytesAllocatedByDecide(policy, unblocked, 20_000, 200_000);

    assertThat(allocated).as("bytes allocated by 200,000 unblocked decisions").isLessThan(10_000);
  }
}
