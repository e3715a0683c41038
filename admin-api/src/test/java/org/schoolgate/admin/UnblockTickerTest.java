package org.schoolgate.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.schoolgate.admin.UnblockWorkflowTest.body;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.schoolgate.admin.unblock.UnblockWorkflow;
import org.schoolgate.policy.Unblock;
import org.schoolgate.policy.UnblockId;
import org.schoolgate.store.Role;

/** The real ticker thread, every 20 ms: nothing calls tick() here. */
class UnblockTickerTest {
  @RegisterExtension static final AdminApi api = AdminApi.samplePolicy().tick(Duration.ofMillis(20));

  @Test
  void theTickerRunsOnANamedDaemonThread() {
    var tickers = Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().equals(UnblockWorkflow.THREAD_NAME)).toList();

    assertThat(tickers).isNotEmpty().allSatisfy(t -> assertThat(t.isDaemon()).isTrue());
  }

  @Test
  void theTickerExpiresAnUnblockOnceTheClockPassesItsEnd() {
    long id = UnblockWorkflowTest.askWith(api, Role.TEACHER,
        body("domain", "speedtest.net", "\"groups\":[\"staff\"],\"durationMinutes\":30"));
    api.as(Role.TECHNICIAN).post("/api/v1/unblocks/" + id + "/approve", "{}");
    assertThat(inForce(id)).isTrue();

    api.clock.advance(Duration.ofMinutes(30));

    Poll.until("unblock " + id + " to leave the engine", Duration.ofSeconds(10), () -> !inForce(id));
    Poll.until("unblock " + id + " to read expired", Duration.ofSeconds(10), () ->
        api.as(Role.TEACHER).get("/api/v1/unblocks/" + id).json().get("status").asText().equals("expired"));
  }

  private static boolean inForce(long id) {
    return api.holder.unblocks().unblocks().stream().map(Unblock::id).map(UnblockId::value).anyMatch(v -> v == id);
  }
}
