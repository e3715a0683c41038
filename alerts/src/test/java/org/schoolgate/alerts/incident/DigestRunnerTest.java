package org.schoolgate.alerts.incident;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.schoolgate.policy.testing.Eventually;
import org.schoolgate.policy.testing.MutableClock;
import org.schoolgate.store.DatabaseConfig;
import org.schoolgate.store.Store;

/** The runner over a real store; the fake clock decides when the digest is due. */
class DigestRunnerTest {
  private static final ZoneId LONDON = ZoneId.of("Europe/London");
  @TempDir Path dir;
  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-20T12:00:00Z"));
  private final List<DigestMessage> sent = new CopyOnWriteArrayList<>();
  private Store store;
  private WeeklyDigest digest;

  @BeforeEach
  void open() {
    store = Store.open(DatabaseConfig.sqlite(dir), clock);
    digest = new WeeklyDigest(store.incidents(), dir.resolve("logs"));
  }

  @AfterEach
  void close() {
    store.close();
  }

  @Test
  void theDigestOfTheWeekBeforeIsSentOnceWhenDueThenNextWeek() {
    DigestRunner runner = new DigestRunner(digest, DigestSchedule.mondayMorning(LONDON, clock), clock, sent::add);
    assertThat(runner.due()).isEqualTo(Instant.parse("2026-11-23T07:00:00Z"));

    assertThat(runner.runIfDue(Instant.parse("2026-11-23T06:59:00Z"))).isEmpty();
    assertThat(runner.runIfDue(Instant.parse("2026-11-23T07:00:30Z"))).isPresent();
    assertThat(runner.runIfDue(Instant.parse("2026-11-23T07:01:30Z"))).isEmpty();

    assertThat(sent).singleElement().satisfies(m -> assertThat(m.subject()).contains("Mon 16 Nov 2026 to Sun 22 Nov"));
    assertThat(runner.due()).isEqualTo(Instant.parse("2026-11-30T07:00:00Z"));
  }

  @Test
  void aFailedSendStaysDueAndIsTriedAgain() {
    boolean[] fail = {true};
    DigestRunner runner = new DigestRunner(digest, DigestSchedule.mondayMorning(LONDON, clock), clock, m -> {
      if (fail[0]) {
        throw new IllegalStateException("smtp down");
      }
      sent.add(m);
    });
    Instant due = runner.due();

    assertThatThrownBy(() -> runner.runIfDue(due)).hasMessage("smtp down");
    assertThat(runner.due()).isEqualTo(due);
    fail[0] = false;
    assertThat(runner.runIfDue(due.plus(Duration.ofMinutes(1)))).isPresent();
    assertThat(sent).hasSize(1);
  }

  @Test
  void theDigestThreadSendsWhenTheClockReachesTheSendTime() throws Exception {
    try (DigestRunner runner = DigestRunner.start(digest, DigestSchedule.mondayMorning(LONDON, clock), clock,
        sent::add, Duration.ofMillis(20))) {
      assertThat(Thread.getAllStackTraces().keySet()).extracting(Thread::getName).contains("schoolgate-digest");
      clock.set(runner.due());
      Eventually.within(Duration.ofSeconds(5), () -> assertThat(sent).hasSize(1));
    }
  }
}
