package org.schoolgate.proxy.log;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.schoolgate.proxy.metrics.ProxyMetrics;
import org.schoolgate.proxy.testing.JsonLines;

class AccessLogTest {
  private static final ZoneId LONDON = ZoneId.of("Europe/London");
  @TempDir Path dir;
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final ProxyMetrics metrics = new ProxyMetrics(registry);

  @Test
  void eventsAreWrittenAsOneJsonObjectPerLineWithEveryField() throws Exception {
    try (AccessLog log = AccessLog.start(dir, 16, metrics)) {
      log.offer(event(Instant.parse("2026-11-23T12:30:00Z"), "www.bet365.com", "q=\"x\"\n"));
      log.flush(Duration.ofSeconds(5));

      List<Map<String, Object>> lines = JsonLines.read(dir.resolve("access-2026-11-23.jsonl"));
      assertThat(lines).hasSize(1);
      Map<String, Object> line = lines.get(0);
      assertThat(line).containsEntry("time", "2026-11-23T12:30:00Z")
          .containsEntry("client", "127.0.0.2").containsEntry("user", null)
          .containsEntry("group", "pupils").containsEntry("method", "GET")
          .containsEntry("scheme", "http").containsEntry("host", "www.bet365.com")
          .containsEntry("port", 80L).containsEntry("path", "/")
          .containsEntry("query", "q=\"x\"\n")
          .containsEntry("categories", List.of("gambling"))
          .containsEntry("action", "block").containsEntry("level", "unacceptable")
          .containsEntry("rule", "matrix:gambling/pupils")
          .containsEntry("reason", "gambling is unacceptable for pupils")
          .containsEntry("unblock", null)
          .containsEntry("status", 403L).containsEntry("bytesIn", 0L)
          .containsEntry("bytesOut", 1234L).containsEntry("durationMs", 7L);
    }
  }

  @Test
  void theSinkSeesEveryEventOnTheWriterThreadAndAFailingSinkStopsNothing() throws Exception {
    List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
    AccessEventSink sink = e -> {
      seen.add(Thread.currentThread().getName() + " " + e.host());
      if (e.host().equals("boom.test")) {
        throw new IllegalStateException("sink failure");
      }
    };
    try (AccessLog log = AccessLog.start(dir, 16, metrics, sink)) {
      log.offer(event(Instant.parse("2026-11-23T12:30:00Z"), "boom.test", null));
      log.offer(event(Instant.parse("2026-11-23T12:31:00Z"), "b.test", null));
      log.flush(Duration.ofSeconds(5));
    }
    assertThat(seen).containsExactly("schoolgate-access-log boom.test", "schoolgate-access-log b.test");
    assertThat(JsonLines.read(dir.resolve("access-2026-11-23.jsonl"))).hasSize(2);
  }

  @Test
  void filesRotateOnThePolicyZoneDate() throws Exception {
    try (AccessLog log = AccessLog.start(dir, 16, metrics)) {
      // 23:30 UTC in summer is already the next day in London (BST, UTC+1)
      log.offer(event(Instant.parse("2026-07-01T22:30:00Z"), "a.test", null));
      log.offer(event(Instant.parse("2026-07-01T23:30:00Z"), "b.test", null));
      log.flush(Duration.ofSeconds(5));
    }
    assertThat(JsonLines.read(dir.resolve("access-2026-07-01.jsonl")))
        .extracting(m -> m.get("host")).containsExactly("a.test");
    assertThat(JsonLines.read(dir.resolve("access-2026-07-02.jsonl")))
        .extracting(m -> m.get("host")).containsExactly("b.test");
  }

  @Test
  void aFullQueueDropsAndCountsInsteadOfBlocking() throws Exception {
    AccessLog log = AccessLog.start(dir, 1, metrics);
    try {
      for (int i = 0; i < 10_000; i++) {
        log.offer(event(Instant.parse("2026-11-23T12:30:00Z"), "flood.test", null));
      }
      log.flush(Duration.ofSeconds(10));
      long written = JsonLines.read(dir.resolve("access-2026-11-23.jsonl")).size();
      double dropped = registry.counter(ProxyMetrics.ACCESS_LOG_DROPPED, "cause", "queue-full").count();
      assertThat(written + (long) dropped).isEqualTo(10_000);
      assertThat(dropped).isPositive();
      assertThat(log.status().dropped(ProxyMetrics.AccessLogDrop.QUEUE_FULL)).isEqualTo((long) dropped);
      assertThat(log.status().writing()).as("a full queue is no outage").isTrue();
    } finally {
      log.close();
    }
  }

  @Test
  void eventsOfferedAfterCloseAreCountedAsClosed() throws Exception {
    AccessLog log = AccessLog.start(dir, 16, metrics);
    log.close();
    log.offer(event(Instant.parse("2026-11-23T12:30:00Z"), "late.test", null));

    assertThat(registry.counter(ProxyMetrics.ACCESS_LOG_DROPPED, "cause", "closed").count()).isEqualTo(1.0);
    assertThat(JsonLines.read(dir.resolve("access-2026-11-23.jsonl"))).isEmpty();
  }

  @Test
  void theDirectoryAndEveryDayFileAreOwnerOnlyFromTheStart() throws Exception {
    Path logs = dir.resolve("new/logs");
    try (AccessLog log = AccessLog.start(logs, 16, metrics)) {
      log.offer(event(Instant.parse("2026-07-01T22:30:00Z"), "a.test", null));
      log.offer(event(Instant.parse("2026-07-01T23:30:00Z"), "b.test", null)); // the next day in London
      log.flush(Duration.ofSeconds(5));
    }
    assertThat(permissions(logs)).isEqualTo("rwx------");
    assertThat(permissions(dir.resolve("new"))).as("a parent it created").isEqualTo("rwx------");
    assertThat(permissions(logs.resolve("access-2026-07-01.jsonl"))).isEqualTo("rw-------");
    assertThat(permissions(logs.resolve("access-2026-07-02.jsonl"))).isEqualTo("rw-------");
  }

  @Test
  void aWorldReadableDayFileFromAnOlderVersionIsNarrowedToTheOwner() throws Exception {
    Path old = Files.writeString(dir.resolve("access-2026-11-23.jsonl"), "{\"host\":\"old.test\"}\n");
    Files.setPosixFilePermissions(old, PosixFilePermissions.fromString("rw-r--r--"));
    try (AccessLog log = AccessLog.start(dir, 16, metrics)) {
      log.offer(event(Instant.parse("2026-11-23T12:30:00Z"), "new.test", null));
      log.flush(Duration.ofSeconds(5));
    }
    assertThat(permissions(old)).isEqualTo("rw-------");
    assertThat(JsonLines.read(old)).extracting(m -> m.get("host")).containsExactly("old.test", "new.test");
  }

  @Test
  void aLineCutByAnEarlierRunNeverRunsIntoTheNextOne() throws Exception {
    Path file = Files.writeString(dir.resolve("access-2026-11-23.jsonl"),
        "{\"host\":\"whole.test\"}\n{\"time\":\"2026-11-23T12:");
    try (AccessLog log = AccessLog.start(dir, 16, metrics)) {
      log.offer(event(Instant.parse("2026-11-23T12:30:00Z"), "next.test", null));
      log.flush(Duration.ofSeconds(5));
      log.offer(event(Instant.parse("2026-11-23T12:31:00Z"), "after.test", null));
      log.flush(Duration.ofSeconds(5));
    }
    List<String> lines = Files.readAllLines(file);
    assertThat(lines).hasSize(4);
    assertThat(lines.get(1)).isEqualTo("{\"time\":\"2026-11-23T12:");
    assertThat(JsonLines.parse(lines.get(2))).containsEntry("host", "next.test");
    assertThat(JsonLines.parse(lines.get(3))).containsEntry("host", "after.test");
  }

  @Test
  void closeWritesEverythingQueued() throws Exception {
    AccessLog log = AccessLog.start(dir, 1024, metrics);
    for (int i = 0; i < 500; i++) {
      log.offer(event(Instant.parse("2026-11-23T12:30:00Z"), "h" + i + ".test", null));
    }
    log.close();
    assertThat(JsonLines.read(dir.resolve("access-2026-11-23.jsonl"))).hasSize(500);
  }

  @Test
  void dnsQueriesAreLinesOfTheirOwnShapeInTheSameFileAndTheSinkSeesThem() throws Exception {
    List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
    AccessEventSink sink = new AccessEventSink() {
      @Override
      public void accept(AccessEvent e) {
        seen.add("http " + e.host());
      }

      @Override
      public void acceptDns(DnsEvent e) {
        seen.add("dns " + e.host() + " " + e.qtype());
      }
    };
    try (AccessLog log = AccessLog.start(dir, 16, metrics, sink)) {
      log.offer(event(Instant.parse("2026-11-23T12:30:00Z"), "www.bet365.com", null));
      log.offer(new DnsEvent(Instant.parse("2026-11-23T12:30:01Z"), LONDON, "10.20.0.7", "pupil1", "ks3-4",
          "udp", "www.bet365.com", "AAAA", List.of("gambling"), "block", "unacceptable",
          "matrix:gambling/ks3-4", "gambling is unacceptable for ks3-4", "nxdomain", "NXDOMAIN", 0, 2));
      log.offer(new DnsEvent(Instant.parse("2026-11-23T12:30:02Z"), LONDON, "10.20.0.7", null, "ks3-4",
          "tcp", "example.org", "A", List.of(), "allow", "acceptable", "default", null, "upstream",
          "NOERROR", 1, 15));
      log.flush(Duration.ofSeconds(5));
    }
    List<String> raw = java.nio.file.Files.readAllLines(dir.resolve("access-2026-11-23.jsonl"));
    assertThat(raw.get(0)).doesNotContain("\"event\"");
    assertThat(raw.get(1)).startsWith("{\"time\":\"2026-11-23T12:30:01Z\",\"event\":\"dns\",");
    List<Map<String, Object>> lines = JsonLines.read(dir.resolve("access-2026-11-23.jsonl"));
    assertThat(lines.get(1)).containsOnlyKeys("time", "event", "client", "user", "group", "transport", "host",
            "qtype", "categories", "action", "level", "rule", "reason", "answer", "rcode", "durationMs")
        .containsEntry("client", "10.20.0.7").containsEntry("user", "pupil1").containsEntry("group", "ks3-4")
        .containsEntry("transport", "udp").containsEntry("host", "www.bet365.com").containsEntry("qtype", "AAAA")
        .containsEntry("categories", List.of("gambling")).containsEntry("action", "block")
        .containsEntry("level", "unacceptable").containsEntry("rule", "matrix:gambling/ks3-4")
        .containsEntry("answer", "nxdomain").containsEntry("rcode", "NXDOMAIN").containsEntry("durationMs", 2L);
    assertThat(lines.get(2)).containsEntry("stripped", 1L).containsEntry("answer", "upstream")
        .doesNotContainKey("reason");
    assertThat(seen).containsExactly("http www.bet365.com", "dns www.bet365.com AAAA", "dns example.org A");
  }

  private static String permissions(Path p) throws java.io.IOException {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
  }

  private static AccessEvent event(Instant at, String host, String query) {
    return new AccessEvent(at, LONDON, "127.0.0.2", null, "pupils", "GET", "http", host, 80, "/",
        query, List.of("gambling"), "block", "unacceptable", "matrix:gambling/pupils",
        "gambling is unacceptable for pupils", null, 403, 0, 1234, 7);
  }
}
