package org.schoolgate.proxy.log;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.schoolgate.policy.testing.MutableClock;
import org.schoolgate.policy.testing.Tmpfs;
import org.schoolgate.proxy.metrics.ProxyMetrics;
import org.schoolgate.proxy.metrics.ProxyMetrics.AccessLogDrop;
import org.schoolgate.proxy.testing.JsonLines;

/**
 * The access log on a disk that fills up: a real 64 KiB tmpfs mounted by the test (CI runs as
 * root). Writes the disk cuts short are undone, so every line in the file is whole; every event
 * is either in the file or counted as lost; the outage begins once and ends once, and the sink
 * still sees every event.
 */
class AccessLogFullDiskTest {
  private static final ZoneId LONDON = ZoneId.of("Europe/London");
  private static final Instant START = Instant.parse("2026-11-23T09:00:00Z");
  @TempDir Path dir;
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final ProxyMetrics metrics = new ProxyMetrics(registry);
  private final MutableClock clock = new MutableClock(START);
  private final AtomicInteger seen = new AtomicInteger();
  private final List<AccessLogOutage> failing = new CopyOnWriteArrayList<>();
  private final List<AccessLogOutage> recovered = new CopyOnWriteArrayList<>();
  private final AccessEventSink sink = new AccessEventSink() {
    @Override
    public void accept(AccessEvent event) {
      seen.incrementAndGet();
    }

    @Override
    public void accessLogFailing(AccessLogOutage outage) {
      failing.add(outage);
    }

    @Override
    public void accessLogRecovered(AccessLogOutage outage) {
      recovered.add(outage);
    }
  };

  @Test
  void aFullDiskLosesWholeLinesOnlyCountsEachOneAndWritingResumesWhenSpaceReturns() throws Exception {
    try (Tmpfs disk = Tmpfs.mount(dir.resolve("disk"), 64)) {
      Path filler = disk.fill("filler", 40);
      Path logs = disk.dir().resolve("logs");
      AccessLog log = AccessLog.start(logs, 4096, metrics, sink, clock);
      int offered = 0;
      try {
        // lines of 5 KiB (more than a tmpfs page) in batches of 3, until the disk refuses a write
        while (log.status().writing() && offered < 300) {
          offered = offerBatch(log, offered, 3);
        }
        assertThat(log.status().writing()).as("the disk filled up").isFalse();
        Path rest = fillWhatIsLeft(disk.dir().resolve("rest"));
        for (int i = 0; i < 5; i++) {
          offered = offerBatch(log, offered, 3);
        }
        long lost = log.status().dropped(AccessLogDrop.WRITE_FAILED);
        AccessLogOutage outage = log.status().outage();
        assertThat(outage.since()).isEqualTo(START);
        assertThat(outage.until()).isNull();
        assertThat(outage.linesLost()).isEqualTo(lost).isGreaterThanOrEqualTo(1 + 5 * 3);
        assertThat(outage.problem()).contains("access-2026-11-23.jsonl").contains("No space left on device");
        assertThat(registry.get(ProxyMetrics.ACCESS_LOG_FAILING).gauge().value()).isEqualTo(1.0);

        Files.delete(filler);
        Files.delete(rest);
        clock.advance(Duration.ofMinutes(5));
        int beforeRecovery = offered;
        offered = offerBatch(log, offered, 4);

        assertThat(log.status().writing()).isTrue();
        assertThat(failing).as("the outage began once").singleElement()
            .satisfies(o -> assertThat(o.since()).isEqualTo(START));
        assertThat(recovered).as("and ended once").singleElement().satisfies(o -> {
          assertThat(o.until()).isEqualTo(START.plus(Duration.ofMinutes(5)));
          assertThat(o.linesLost()).isEqualTo(lost);
        });
        assertThat(registry.get(ProxyMetrics.ACCESS_LOG_FAILING).gauge().value()).isZero();
        assertThat(registry.counter(ProxyMetrics.ACCESS_LOG_OUTAGES).count()).isEqualTo(1.0);
        assertThat(registry.counter(ProxyMetrics.ACCESS_LOG_DROPPED, "cause", "write-failed").count())
            .isEqualTo((double) lost);

        // every line is whole JSON (JsonLines fails on a cut one), and written + lost = offered
        List<Map<String, Object>> lines = JsonLines.read(logs.resolve("access-2026-11-23.jsonl"));
        assertThat(lines.size() + lost).isEqualTo(offered);
        assertThat(lines.subList(lines.size() - 4, lines.size())).extracting(m -> m.get("host"))
            .as("the lines after space returned").containsExactlyElementsOf(
                java.util.stream.IntStream.range(beforeRecovery, offered).mapToObj(i -> "h" + i + ".test").toList());
        assertThat(seen.get()).as("the sink (alerts) saw every event, written or not").isEqualTo(offered);
      } finally {
        log.close();
      }
    }
  }

  /** Takes every free byte of the tmpfs with one file (written until the disk refuses more). */
  private static Path fillWhatIsLeft(Path file) throws java.io.IOException {
    try (var out = Files.newOutputStream(file)) {
      byte[] chunk = new byte[512];
      while (true) {
        out.write(chunk);
        out.flush();
      }
    } catch (java.io.IOException full) {
      assertThat(full).hasMessageContaining("No space left on device");
    }
    return file;
  }

  /** Offers {@code n} events numbered from {@code from} and waits until the writer handled them. */
  private static int offerBatch(AccessLog log, int from, int n) throws Exception {
    for (int i = from; i < from + n; i++) {
      log.offer(new AccessEvent(START.plusSeconds(i), LONDON, "10.1.2.3", "pupil" + i, "pupils", "GET", "http",
          "h" + i + ".test", 80, "/a/page", "q=" + "x".repeat(5_000),
          List.of("gambling"), "block", "unacceptable", "matrix:gambling/pupils",
          "gambling is unacceptable for pupils", null, null, null, 403, 0, 1234, 7));
    }
    log.flush(Duration.ofSeconds(10));
    return from + n;
  }
}
