package org.schoolgate.alerts.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The wait after each failed attempt: 5 s doubling, never more than 15 minutes. */
class BackoffTest {
  @TempDir Path dir;

  @ParameterizedTest(name = "after attempt {0}: {1}")
  @CsvSource(textBlock = """
      1,  PT5S
      2,  PT10S
      3,  PT20S
      4,  PT40S
      8,  PT10M40S
      9,  PT15M
      10, PT15M
      500, PT15M
      """)
  void waitsDoubleFromFiveSecondsUpToFifteenMinutes(int attempts, Duration wait) {
    try (Outbox outbox = new Outbox(dir)) {
      DeliveryWorker worker = outbox.start(DeliveryConfig.of(null, List.of(), List.of()));
      assertThat(worker.backoff(attempts)).isEqualTo(wait);
    }
  }
}
