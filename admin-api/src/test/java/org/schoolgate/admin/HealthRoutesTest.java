package org.schoolgate.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.schoolgate.admin.AdminApi.Reply;
import org.schoolgate.admin.health.CheckResult;
import org.schoolgate.admin.health.HealthCheck;
import org.schoolgate.admin.health.HealthChecks;
import org.schoolgate.admin.health.HealthMonitor;

/**
 * {@code /healthz}, {@code /healthz/live}, {@code /healthz/ready} and the {@code schoolgate.health}
 * gauges over checks the test controls, on a real admin server.
 */
class HealthRoutesTest {
  private final AtomicReference<CheckResult> proxy = new AtomicReference<>(CheckResult.ok("listening on 0.0.0.0:3128"));
  private final AtomicReference<CheckResult> store = new AtomicReference<>(CheckResult.ok("sqlite, takes writes"));
  private final CountDownLatch release = new CountDownLatch(1);
  private final AtomicInteger slowRuns = new AtomicInteger();
  private volatile boolean hang;
  private final HealthCheck slow = HealthCheck.of("lists", () -> {
    slowRuns.incrementAndGet();
    if (hang) {
      try {
        release.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    return CheckResult.ok("every list loaded");
  });

  @RegisterExtension final AdminApi api = AdminApi.smallPolicy().health(new HealthChecks(List.of(
      HealthCheck.of("proxy", proxy::get), HealthCheck.of("store", store::get), slow,
      HealthCheck.of("access-log", () -> {
        throw new IllegalStateException("boom");
      })), Duration.ofMinutes(10), Duration.ofMillis(300)));

  @AfterEach
  void releaseTheSlowCheck() {
    release.countDown();
  }

  private HealthMonitor monitor() {
    return api.server.health();
  }

  private double gauge(String check) {
    return api.registry.get(org.schoolgate.admin.metrics.AdminMetrics.HEALTH).tag("check", check).gauge().value();
  }

  @Test
  void theFullReportListsEveryCheckWithReasonsForWhatIsNotOk() throws Exception {
    Reply reply = api.anonymous().get("/healthz");

    assertThat(reply.status()).isEqualTo(200);
    JsonNode json = reply.json();
    assertThat(json.get("status").asText()).isEqualTo("degraded");
    assertThat(json.get("reasons")).extracting(JsonNode::asText)
        .containsExactly("access-log: the check failed: java.lang.IllegalStateException: boom");
    assertThat(json.get("checks").get("proxy").get("status").asText()).isEqualTo("ok");
    assertThat(json.get("checks").get("proxy").get("text").asText()).isEqualTo("listening on 0.0.0.0:3128");
    assertThat(json.get("checks").get("store").get("status").asText()).isEqualTo("ok");
    assertThat(json.get("checks").get("lists").get("status").asText()).isEqualTo("ok");
    assertThat(json.get("checkedAt").asText()).isEqualTo(AdminApi.START.toString());
    assertThat(json.get("policy").get("source").asText()).isEqualTo(api.policyFile.toString());
    assertThat(gauge("access-log")).isEqualTo(1.0);
    assertThat(gauge("store")).isZero();
    assertThat(gauge(HealthChecks.OVERALL)).isEqualTo(1.0);
  }

  @Test
  void aDegradedStoreKeepsItReadyButSaysWhyAndDownIsA503ForReadyAndTheFullReport() throws Exception {
    store.set(CheckResult.degraded("the database cannot be written: read-only transaction"));
    monitor().refresh();

    Reply ready = api.anonymous().get("/healthz/ready");
    assertThat(ready.status()).isEqualTo(200);
    assertThat(ready.json().get("status").asText()).isEqualTo("degraded");
    assertThat(ready.json().get("reasons")).extracting(JsonNode::asText).contains(
        "store: the database cannot be written: read-only transaction");
    assertThat(gauge("store")).isEqualTo(1.0);

    proxy.set(CheckResult.down("the proxy is not running"));
    monitor().refresh();

    assertThat(api.anonymous().get("/healthz/ready").status()).isEqualTo(503);
    Reply full = api.anonymous().get("/healthz");
    assertThat(full.status()).isEqualTo(503);
    assertThat(full.json().get("status").asText()).isEqualTo("down");
    assertThat(gauge("proxy")).isEqualTo(2.0);
    assertThat(gauge(HealthChecks.OVERALL)).isEqualTo(2.0);
    Reply live = api.anonymous().get("/healthz/live");
    assertThat(live.status()).as("the process still answers").isEqualTo(200);
    assertThat(live.json().get("status").asText()).isEqualTo("live");

    proxy.set(CheckResult.ok("listening"));
    store.set(CheckResult.ok("sqlite, takes writes"));
    monitor().refresh();
    assertThat(api.anonymous().get("/healthz/ready").json().get("reasons")).extracting(JsonNode::asText)
        .containsExactly("access-log: the check failed: java.lang.IllegalStateException: boom");
  }

  @Test
  void aCheckThatHangsIsDegradedAndNeverStartedTwiceWhileTheOthersStillAnswer() throws Exception {
    hang = true;
    int before = slowRuns.get();
    monitor().refresh();
    monitor().refresh();
    monitor().refresh();

    assertThat(slowRuns.get()).as("started once, not once per round").isEqualTo(before + 1);
    JsonNode json = api.anonymous().get("/healthz").json();
    assertThat(json.get("checks").get("lists").get("status").asText()).isEqualTo("degraded");
    assertThat(json.get("checks").get("lists").get("text").asText()).startsWith("the check did not answer within 300ms");
    assertThat(json.get("checks").get("proxy").get("status").asText()).isEqualTo("ok");

    hang = false;
    release.countDown();
    org.schoolgate.policy.testing.Eventually.within(Duration.ofSeconds(10), () -> {
      monitor().refresh();
      assertThat(api.anonymous().get("/healthz").json().get("checks").get("lists").get("status").asText())
          .isEqualTo("ok");
    });
  }

  @Test
  void checkNamesAreTagsSoTheyAreCheckedWhenTheChecksAreMade() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> HealthCheck.of("Access Log", () -> null))
        .hasMessage("health check name 'Access Log' is not valid (expected: 1-32 lower-case letters, digits and"
            + " dashes, starting with a letter, e.g. access-log)");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> new HealthChecks(List.of(
        HealthCheck.of("store", () -> null), HealthCheck.of("store", () -> null)), Duration.ofSeconds(5),
        Duration.ofSeconds(4)))
        .hasMessage("health check name 'store' is used twice or is 'overall' (expected: a unique name for each check)");
  }
}
