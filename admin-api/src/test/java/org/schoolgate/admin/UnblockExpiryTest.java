package org.schoolgate.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.schoolgate.admin.UnblockWorkflowTest.body;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.schoolgate.admin.AdminApi.Reply;
import org.schoolgate.policy.GroupId;
import org.schoolgate.policy.Unblock;
import org.schoolgate.policy.UnblockId;
import org.schoolgate.policy.UnblockScope;
import org.schoolgate.policy.UnblockTarget;
import org.schoolgate.store.Actor;
import org.schoolgate.store.DatabaseConfig;
import org.schoolgate.store.NewUnblock;
import org.schoolgate.store.Role;
import org.schoolgate.store.Store;
import org.schoolgate.store.UnblockRecord;

/** Expiry and changes from other nodes, driven by calling the ticker's {@code tick()} after moving the clock. */
class UnblockExpiryTest {
  @RegisterExtension final AdminApi api = AdminApi.samplePolicy();

  @Test
  void anApprovedUnblockLeavesTheEngineOnTheFirstTickAfterItEnds() {
    long id = askAndApprove(60);
    assertThat(ids()).contains(id);

    api.clock.advance(Duration.ofMinutes(59));
    api.server.unblocks().tick();
    assertThat(ids()).contains(id);

    api.clock.advance(Duration.ofMinutes(1));
    api.server.unblocks().tick();
    assertThat(ids()).doesNotContain(id);
    Reply shown = api.as(Role.TEACHER).get("/api/v1/unblocks/" + id);
    assertThat(shown.json().get("status").asText()).isEqualTo("expired");
    assertThat(shown.json().get("endedBy").asText()).isEqualTo("system:expiry");
  }

  @Test
  void metricsCountTheWorkflowAndShowWhatIsInForce() {
    askAndApprove(10);
    String before = api.anonymous().get("/metrics").body();

    api.clock.advance(Duration.ofMinutes(10));
    api.server.unblocks().tick();
    String after = api.anonymous().get("/metrics").body();

    assertThat(before).contains("schoolgate_unblocks_in_force 1.0")
        .contains("schoolgate_unblocks_events_total{event=\"requested\"} 1.0")
        .contains("schoolgate_unblocks_events_total{event=\"approved\"} 1.0")
        .contains("schoolgate_unblocks_events_total{event=\"expired\"} 0.0")
        .contains("schoolgate_admin_logins_total{outcome=\"success\"} 7.0");
    assertThat(after).contains("schoolgate_unblocks_in_force 0.0")
        .contains("schoolgate_unblocks_events_total{event=\"expired\"} 1.0");
  }

  @Test
  void aChangeMadeOnAnotherNodeIsPublishedOnTheNextTick() {
    try (Store otherNode = Store.open(DatabaseConfig.sqlite(api.dir), api.clock)) {
      UnblockRecord asked = otherNode.unblocks().request(new NewUnblock(new UnblockTarget.Domain("roblox.com"),
          new UnblockScope(Set.of(new GroupId("ks2")), Set.of(), List.of()), api.clock.instant(),
          api.clock.instant().plus(Duration.ofHours(1)), "computing club game design session", false,
          "online-gaming-non-educational"), Actor.of(api.accounts.get(Role.TEACHER), null));
      otherNode.unblocks().approve(asked.id(), Actor.of(api.accounts.get(Role.TECHNICIAN), null), "ok");
      assertThat(ids()).doesNotContain(asked.id().value());

      api.server.unblocks().tick();
      assertThat(ids()).contains(asked.id().value());

      otherNode.unblocks().revoke(asked.id(), Actor.of(api.accounts.get(Role.DSL), null), "club cancelled");
      api.server.unblocks().tick();
      assertThat(ids()).doesNotContain(asked.id().value());
    }
  }

  @Test
  void unblocksInForceArePublishedWhenTheServerStarts() throws Exception {
    long id = askAndApprove(120);
    api.holder.setUnblocks(org.schoolgate.policy.UnblockSet.EMPTY);

    try (AdminServer second = AdminServer.start(new AdminConfig(new java.net.InetSocketAddress("127.0.0.1", 0)),
        api.holder, api.store, api.registry, api.clock)) {
      assertThat(ids()).contains(id);
    }
  }

  @Test
  void aPolicyReloadKeepsTheUnblocksInForce() {
    long id = askAndApprove(30);

    assertThat(api.as(Role.TECHNICIAN).post("/api/v1/policy/reload", "").status()).isEqualTo(200);

    assertThat(ids()).contains(id);
  }

  private long askAndApprove(int minutes) {
    long id = UnblockWorkflowTest.askWith(api, Role.TEACHER,
        body("domain", "fortnite.com", "\"groups\":[\"ks3-4\"],\"durationMinutes\":" + minutes));
    assertThat(api.as(Role.TECHNICIAN).post("/api/v1/unblocks/" + id + "/approve", "{}").status()).isEqualTo(200);
    return id;
  }

  private List<Long> ids() {
    return api.holder.unblocks().unblocks().stream().map(Unblock::id).map(UnblockId::value).toList();
  }
}
