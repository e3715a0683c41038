package org.schoolgate.deploy.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.schoolgate.admin.health.CheckResult;
import org.schoolgate.admin.health.HealthCheck;
import org.schoolgate.admin.health.HealthStatus;
import org.schoolgate.policy.PolicyHolder;
import org.schoolgate.policy.testing.MutableClock;
import org.schoolgate.store.DatabaseConfig;
import org.schoolgate.store.Store;

/** The checks deploy builds, over a real policy holder and SQLite store, before and without a proxy. */
class SchoolgateChecksTest {
  private static final String POLICY = """
      timezone: Europe/London
      lists:
        - { name: feed, format: squidguard, path: feed, required: false }
      groups:
        pupils: { subnets: [10.0.0.0/8] }
      categories:
        gambling: { sources: [feed/gambling], domains: [bet.example] }
      matrix:
        gambling: { default: unacceptable }
      default: acceptable
      """;

  @TempDir Path dir;
  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-23T10:00:00Z"));
  private Store store;
  private PolicyHolder holder;
  private Path policy;

  @BeforeEach
  void open() throws Exception {
    policy = Files.writeString(dir.resolve("policy.yaml"), POLICY);
    holder = PolicyHolder.load(policy, clock);
    store = Store.open(DatabaseConfig.sqlite(dir), clock);
  }

  @AfterEach
  void close() {
    store.close();
  }

  private Map<String, CheckResult> run(SchoolgateChecks checks) {
    return checks.checks().checks().stream().collect(Collectors.toMap(HealthCheck::name, HealthCheck::check));
  }

  @Test
  void beforeTheProxyStartsItIsDownAndAMissingOptionalListIsDegradedWithTheFileAndLine() {
    Map<String, CheckResult> results = run(new SchoolgateChecks(holder, store, false, clock));

    assertThat(checksInOrder()).containsExactly("proxy", "access-log", "store", "alert-outbox", "lists");
    assertThat(results.get("proxy")).isEqualTo(CheckResult.down("the proxy has not started yet"));
    assertThat(results.get("access-log").status()).isEqualTo(HealthStatus.OK);
    assertThat(results.get("store").text()).startsWith("sqlite, takes writes (");
    assertThat(results.get("alert-outbox"))
        .isEqualTo(CheckResult.ok("no delivery configured: alerts stay in the outbox and the admin API"));
    assertThat(results.get("lists")).isEqualTo(CheckResult.degraded("1 list problem in the policy in force: " + policy
        + ":3: lists.feed.path: directory " + dir.resolve("feed") + " does not exist; its categories are empty"
        + " (required: false) (install the lists with 'lists update', then reload)"));
  }

  @Test
  void aRejectedReloadIsDegradedUntilAReloadWorks() throws Exception {
    Files.createDirectories(dir.resolve("feed/gambling"));
    Files.writeString(dir.resolve("feed/gambling/domains"), "casino.example\n");
    SchoolgateChecks checks = new SchoolgateChecks(holder, store, false, clock);
    holder.reload();
    assertThat(run(checks).get("lists").text()).isEqualTo("2 list entries, compiled at " + clock.instant());

    Files.writeString(policy, POLICY.replace("default: unacceptable", "default: sometimes"));
    holder.reload();
    assertThat(run(checks).get("lists")).satisfies(r -> {
      assertThat(r.status()).isEqualTo(HealthStatus.DEGRADED);
      assertThat(r.text()).startsWith("the last policy reload was rejected (1 error, first: " + policy + ":9:")
          .endsWith("the policy compiled at " + clock.instant() + " stays in force");
    });

    Files.writeString(policy, POLICY);
    holder.reload();
    assertThat(run(checks).get("lists").status()).isEqualTo(HealthStatus.OK);
  }

  @Test
  void aClosedStoreIsDegradedAndSaysWhatStopsWorking() {
    SchoolgateChecks checks = new SchoolgateChecks(holder, store, true, clock);
    store.close();

    Map<String, CheckResult> results = run(checks);
    assertThat(results.get("store").status()).isEqualTo(HealthStatus.DEGRADED);
    assertThat(results.get("store").text()).startsWith("the sqlite database does not take writes: ")
        .endsWith("(sign-ins, unblocks and the audit trail fail; alerts wait and are retried)");
    assertThat(results.get("alert-outbox").text()).startsWith("cannot read the alert outbox: ");
  }

  private java.util.List<String> checksInOrder() {
    return new SchoolgateChecks(holder, store, false, clock).checks().checks().stream().map(HealthCheck::name).toList();
  }
}
