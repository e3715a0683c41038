package org.schoolgate.alerts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.schoolgate.alerts.AlertRulesTest.T0;
import static org.schoolgate.alerts.AlertRulesTest.blocked;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.schoolgate.policy.PolicySnapshot;
import org.schoolgate.policy.TestPolicies;
import org.schoolgate.policy.compile.PolicyCompiler;
import org.schoolgate.policy.search.AlertPolicy;
import org.schoolgate.policy.testing.Eventually;
import org.schoolgate.policy.testing.MutableClock;
import org.schoolgate.store.Alert;
import org.schoolgate.store.AlertStore;
import org.schoolgate.store.DatabaseConfig;
import org.schoolgate.store.NewAlert;
import org.schoolgate.store.Store;

/** The engine against a real SQLite store in a temporary directory. */
class AlertEngineTest {
  @TempDir Path dir;
  private final MutableClock clock = new MutableClock(T0);
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private Store store;
  private AlertEngine engine;

  @BeforeEach
  void open() {
    store = Store.open(DatabaseConfig.sqlite(dir), clock);
  }

  @AfterEach
  void close() {
    if (engine != null) {
      engine.close();
    }
    store.close();
  }

  private List<Alert> stored() {
    return store.alerts().list(new AlertStore.Query(null, false, 100));
  }

  @Test
  void anIllegalAttemptIsInTheOutboxRaisedBySystemAlerts() throws Exception {
    engine = AlertEngine.start(store.alerts(), registry, AlertSettings.DEFAULTS);
    engine.offer(blocked(T0, "sam", "child-grooming", "illegal", "illegal-category"));
    Eventually.within(Duration.ofSeconds(5), () -> assertThat(stored()).singleElement().satisfies(a -> {
      assertThat(a.content().severity()).isEqualTo(Alert.Severity.CRITICAL);
      assertThat(a.content().audience()).isEqualTo(Alert.Audience.DSL);
      assertThat(a.content().subject()).contains("sam (ks3-4)", "child-grooming");
    }));
    Eventually.within(Duration.ofSeconds(5), () -> assertThat(
        registry.get(AlertEngine.RAISED).tag("kind", "illegal-category").counter().count()).isEqualTo(1));
  }

  @Test
  void aSystemAlertIsRaisedOnTheEngineThreadRetriedWhileTheStoreIsBusyAndOnlyOnce() throws Exception {
    engine = AlertEngine.start(store.alerts(), registry,
        AlertSettings.DEFAULTS.withRetry(Duration.ofMillis(50), Duration.ofMillis(200)));
    NewAlert failing = new NewAlert(Alert.Severity.WARNING, "accesslog-failing", Alert.Audience.TECHNICIANS,
        "the access log cannot be written", "No space left on device", "system:access-log", null,
        "accesslog-failing:2026-11-23T09:00:00Z");
    try (Connection other = DriverManager.getConnection(DatabaseConfig.sqlite(dir).jdbcUrl());
        Statement s = other.createStatement()) {
      s.execute("BEGIN EXCLUSIVE");
      engine.raise(failing);
      engine.raise(failing);
      Eventually.within(Duration.ofSeconds(30), () ->
          assertThat(registry.get(AlertEngine.RETRIES).counter().count()).isGreaterThanOrEqualTo(2));
      s.execute("COMMIT");
    }
    Eventually.within(Duration.ofSeconds(30), () -> assertThat(stored()).singleElement()
        .satisfies(a -> assertThat(a.content().kind()).isEqualTo("accesslog-failing")));
    engine.close();
    engine.raise(failing);
    assertThat(registry.get(AlertEngine.DROPPED).counter().count()).isEqualTo(1);
  }

  @Test
  void sixPornographyAttemptsInTenMinutesAreOneAlertAndCloseDrainsTheQueue() {
    engine = AlertEngine.start(store.alerts(), registry, AlertSettings.DEFAULTS);
    for (int i = 0; i < 6; i++) {
      engine.offer(blocked(T0.plus(Duration.ofMinutes(i)), "sam", "pornography", "unacceptable",
          "matrix:pornography/ks3-4"));
    }
    engine.close(Duration.ofSeconds(10));
    assertThat(stored()).singleElement().satisfies(a -> {
      assertThat(a.content().kind()).isEqualTo("repeated-attempts");
      assertThat(a.content().details()).contains("pornography.example/page");
    });
  }

  @Test
  void aStoreThatIsLockedIsRetriedUntilTheAlertIsStoredAndAFullQueueStillReachesTheOutbox() throws Exception {
    engine = AlertEngine.start(store.alerts(), registry,
        AlertSettings.DEFAULTS.withQueueCapacity(2).withRetry(Duration.ofMillis(50), Duration.ofMillis(200)));
    try (Connection other = DriverManager.getConnection(DatabaseConfig.sqlite(dir).jdbcUrl());
        Statement s = other.createStatement()) {
      s.execute("BEGIN EXCLUSIVE"); // another writer holds the database: raising fails as unavailable
      engine.offer(blocked(T0, "sam", "child-grooming", "illegal", "illegal-category"));
      Eventually.within(Duration.ofSeconds(5), () -> assertThat(engine.depth()).isZero());
      for (int i = 1; i <= 2; i++) { // the thread is stuck on the first: these two fill the queue
        engine.offer(blocked(T0.plusSeconds(i), "alex", "gambling", "unacceptable", "matrix:gambling/ks3-4"));
      }
      // the queue is full: evaluated here, tried once against the locked store, left to the thread
      engine.offer(blocked(T0.plusSeconds(3), "kim", "extreme-pornography", "illegal", "illegal-category"));
      assertThat(registry.get(AlertEngine.OVERFLOW).counter().count()).isEqualTo(1);
      assertThat(engine.pendingAlerts()).isEqualTo(1);
      Eventually.within(Duration.ofSeconds(30), () ->
          assertThat(registry.get(AlertEngine.RETRIES).counter().count()).isGreaterThanOrEqualTo(2));
      s.execute("COMMIT");
    }
    Eventually.within(Duration.ofSeconds(30), () -> assertThat(stored())
        .extracting(a -> a.content().kind() + " " + a.content().who())
        .containsExactlyInAnyOrder("illegal-category sam (ks3-4)", "illegal-category kim (ks3-4)"));
    assertThat(registry.get(AlertEngine.DROPPED).counter().count()).isZero();
  }

  @Test
  void aFullQueueIsEvaluatedOnTheCallersThreadAndItsAlertIsInTheOutboxAtOnce() throws Exception {
    java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
    // the policy the engine's own thread reads waits for the test: that thread is busy on its first event
    java.util.function.Supplier<AlertPolicy> policy = () -> {
      if (Thread.currentThread().getName().equals("schoolgate-alerts")) {
        try {
          assertThat(release.await(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      return AlertPolicy.defaults();
    };
    engine = AlertEngine.start(store.alerts(), registry, AlertSettings.DEFAULTS.withQueueCapacity(1), policy);
    engine.offer(blocked(T0, "sam", "child-grooming", "illegal", "illegal-category"));
    Eventually.within(Duration.ofSeconds(5), () -> assertThat(engine.depth()).isZero());
    engine.offer(blocked(T0.plusSeconds(1), "alex", "gambling", "unacceptable", "matrix:gambling/ks3-4"));

    engine.offer(searchBy("kim", T0.plusSeconds(2), "how to kill myself")); // the queue is full

    assertThat(registry.get(AlertEngine.OVERFLOW).counter().count()).isEqualTo(1);
    assertThat(engine.pendingAlerts()).isZero();
    assertThat(stored()).extracting(a -> a.content().kind()).containsExactly("search-self-harm");
    release.countDown();
    Eventually.within(Duration.ofSeconds(30), () -> assertThat(stored()).extracting(a -> a.content().kind())
        .containsExactlyInAnyOrder("illegal-category", "search-self-harm"));
    assertThat(registry.get(AlertEngine.DROPPED).counter().count()).isZero();
  }

  @Test
  void aSelfHarmSearchIsACriticalAlertForTheDslInTheOutboxWithTheTerm() throws Exception {
    Path policyDir = Files.createDirectories(dir.resolve("policy"));
    Files.writeString(policyDir.resolve("extra.txt"), "walk into the sea\n");
    PolicySnapshot policy = PolicyCompiler.compile(TestPolicies.write(policyDir, """
        timezone: Europe/London
        groups:
          ks3-4: { subnets: [10.10.0.0/16] }
        alerts:
          themes:
            self-harm: { severity: critical, lists: [extra.txt] }
            bullying: { severity: info }
        """), clock);
    engine = AlertEngine.start(store.alerts(), registry, AlertSettings.DEFAULTS, policy::alertPolicy);
    engine.offer(searchBy("sam", T0, "how to kill myself"));
    engine.offer(searchBy("alex", T0.plusSeconds(1), "I will walk   into the SEA"));
    engine.offer(searchBy("kim", T0.plusSeconds(2), "everyone hates me"));
    engine.offer(searchBy("lee", T0.plusSeconds(3), "volcano facts"));
    engine.close(Duration.ofSeconds(10));
    assertThat(stored()).hasSize(3);
    assertThat(stored()).filteredOn(a -> a.content().who().startsWith("sam")).singleElement().satisfies(a -> {
      assertThat(a.content().kind()).isEqualTo("search-self-harm");
      assertThat(a.content().severity()).isEqualTo(Alert.Severity.CRITICAL);
      assertThat(a.content().audience()).isEqualTo(Alert.Audience.DSL);
      assertThat(a.content().subject()).contains("sam (ks3-4)", "10:00:00", "self-harm", "how to kill myself");
      assertThat(a.content().details()).contains("matched: kill myself");
    });
    assertThat(stored()).filteredOn(a -> a.content().who().startsWith("alex")).singleElement()
        .satisfies(a -> assertThat(a.content().details()).contains("matched: walk into the sea"));
    assertThat(stored()).filteredOn(a -> a.content().who().startsWith("kim")).singleElement()
        .satisfies(a -> assertThat(a.content().severity()).isEqualTo(Alert.Severity.INFO));
    assertThat(registry.get(AlertEngine.RAISED).tag("kind", "search-self-harm").counter().count()).isEqualTo(2);
  }

  private static AccessInput searchBy(String user, java.time.Instant at, String term) {
    return new AccessInput(at, AlertRulesTest.LONDON, "10.10.3.7", user, "ks3-4", "www.google.com",
        "http://www.google.com/search?q=" + term.replace(' ', '+'), List.of(), "allow", "acceptable", "default",
        term);
  }

  @Test
  void aClosedEngineDropsAndCountsWhatIsOffered() {
    engine = AlertEngine.start(store.alerts(), registry, AlertSettings.DEFAULTS);
    engine.close();
    engine.offer(blocked(T0, "sam", "child-grooming", "illegal", "illegal-category"));
    assertThat(registry.get(AlertEngine.DROPPED).counter().count()).isEqualTo(1);
    assertThat(stored()).isEmpty();
  }
}
