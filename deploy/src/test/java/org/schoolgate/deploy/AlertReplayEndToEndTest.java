package org.schoolgate.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.schoolgate.policy.sample.SamplePolicy;
import org.schoolgate.policy.testing.Eventually;
import org.schoolgate.policy.testing.MutableClock;
import org.schoolgate.store.AlertStore;
import org.schoolgate.store.DatabaseConfig;
import org.schoolgate.store.NewAlert;

/**
 * The replay at start reads what the real proxy wrote: a Schoolgate started on a fresh database
 * with an earlier run's access log and a checkpoint from before it raises the very alerts (same
 * idempotency keys) the live run raised, so the log line maps to the engine's input as the live
 * event did.
 */
class AlertReplayEndToEndTest {
  private static final Instant START = Instant.parse("2026-11-23T10:00:00Z");
  private static final String PUPIL = "127.0.0.1";

  @TempDir Path dataDir;
  private final MutableClock clock = new MutableClock(START);

  @Test
  void aRestartReplaysTheProxysOwnLogLinesIntoTheSameAlerts() throws Exception {
    Path policy = SamplePolicy.extractTo(dataDir);
    RuntimeConfig first = RuntimeConfig.embedded(dataDir, policy).withProxyPort(0).withAdminPort(0);
    List<String> live;
    try (Schoolgate schoolgate = Schoolgate.start(first, clock)) {
      SchoolgateClient client = new SchoolgateClient(schoolgate);
      assertThat(client.fetch(PUPIL, "http://extreme-pornography.schoolgate.test/a/page?x=1"))
          .startsWith("HTTP/1.1 403");
      for (int i = 0; i < 5; i++) {
        clock.advance(Duration.ofMinutes(1));
        assertThat(client.fetch(PUPIL, "http://pornography.schoolgate.test/" + i)).startsWith("HTTP/1.1 403");
      }
      Eventually.within(Duration.ofSeconds(10), () -> assertThat(keys(schoolgate)).hasSize(2));
      live = keys(schoolgate);
    }
    Path checkpoint = first.accessLogDir().resolve("alerts.checkpoint");
    assertThat(Files.readString(checkpoint, StandardCharsets.UTF_8)).as("written on close")
        .startsWith(START.plus(Duration.ofMinutes(5)).toString());

    // as if every alert had been lost: a new database, and the checkpoint from before the requests
    Files.writeString(checkpoint, START.minusSeconds(60) + " 0\n", StandardCharsets.UTF_8);
    RuntimeConfig second = new RuntimeConfig(first.proxy(), first.admin(), policy, first.accessLogDir(), first.dns(),
        DatabaseConfig.sqlite(Files.createDirectories(dataDir.resolve("second"))), first.maxUnblock(),
        first.safeguarding(), first.interception());
    try (Schoolgate schoolgate = Schoolgate.start(second, clock)) {
      assertThat(keys(schoolgate)).as("raised during start, before the proxy took a request")
          .containsExactlyInAnyOrderElementsOf(live);
    }
  }

  private static List<String> keys(Schoolgate schoolgate) {
    return schoolgate.store().alerts().list(new AlertStore.Query(null, false, 100)).stream()
        .map(a -> a.content()).map(NewAlert::idempotencyKey).toList();
  }
}
