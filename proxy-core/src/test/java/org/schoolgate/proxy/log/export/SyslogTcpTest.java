package org.schoolgate.proxy.log.export;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.schoolgate.policy.testing.Eventually;
import org.schoolgate.proxy.log.AccessEvent;
import org.schoolgate.proxy.metrics.ProxyMetrics;

/**
 * Syslog over TCP with octet counting to a real receiver on loopback: frames are whole, the
 * structured data carries escaped values, a receiver that goes away is reconnected to without
 * losing the message in hand, and a full queue drops and counts.
 */
class SyslogTcpTest {
  private static final Duration WAIT = Duration.ofSeconds(20);
  @TempDir Path dir;
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final ProxyMetrics metrics = new ProxyMetrics(registry);

  private static AccessEvent event(String search) {
    return new AccessEvent(Instant.parse("2026-11-23T12:30:00.123456Z"), ZoneId.of("Europe/London"), "10.1.4.20",
        "alex", "pupils", "GET", "http", "www.google.com", 80, "/search", "q=x", List.of("search-engines"), "allow",
        "acceptable", "default", null, null, null, search, 200, 0, 900, 12);
  }

  private double count(String name, String export, String cause) {
    var search = registry.find(name).tag("export", export);
    return (cause == null ? search : search.tag("cause", cause)).counter().count();
  }

  @Test
  void framesAreOctetCountedAndValuesEscapedPerRfc5424() throws Exception {
    try (SyslogReceiver receiver = SyslogReceiver.tcp(0);
        LogExporter exporter = LogExporter.start(new LogExports(false,
            SyslogSettings.of("127.0.0.1", receiver.port(), SyslogSettings.Transport.TCP)), dir, metrics)) {
      exporter.accept(event("say \"hi\" [now] \\ bye"));
      exporter.accept(event("café"));

      Eventually.within(WAIT, () -> assertThat(receiver.messages).hasSize(2));
      assertThat(receiver.errors).isEmpty();
      SyslogMessage first = SyslogMessage.parse(receiver.messages.get(0));
      assertThat(first.facility()).isEqualTo(16);
      assertThat(first.timestamp()).isEqualTo("2026-11-23T12:30:00.123Z");
      assertThat(first.params()).containsEntry("search", "say \"hi\" [now] \\ bye").containsEntry("user", "alex")
          .containsEntry("categories", "search-engines");
      assertThat(SyslogMessage.parse(receiver.messages.get(1)).params()).containsEntry("search", "café");
    }
    assertThat(dir.toFile().list()).as("no squid file unless asked for").isEmpty();
  }

  @Test
  void aDroppedConnectionIsReconnectedAndTheMessageWhoseWriteFailedIsSentThen() throws Exception {
    try (SyslogReceiver receiver = SyslogReceiver.tcp(0);
        LogExporter exporter = LogExporter.start(new LogExports(false,
            SyslogSettings.of("127.0.0.1", receiver.port(), SyslogSettings.Transport.TCP)), dir, metrics)) {
      exporter.accept(event("one"));
      Eventually.within(WAIT, () -> assertThat(receiver.messages).hasSize(1));
      receiver.disconnectAll();

      // a write into the dead connection may still be taken by the kernel (TCP cannot tell);
      // the one whose write fails is kept and sent once the sender has reconnected
      Eventually.within(WAIT, () -> {
        exporter.accept(event("after"));
        assertThat(receiver.messages).hasSizeGreaterThan(1)
            .last().satisfies(m -> assertThat(SyslogMessage.parse(m).params()).containsEntry("search", "after"));
      });
      assertThat(receiver.errors).isEmpty();
      assertThat(count(ProxyMetrics.EXPORT_DROPPED, "syslog", "failed")).isZero();
      assertThat(count(ProxyMetrics.EXPORT_DROPPED, "syslog", "queue-full")).isZero();
    }
  }

  @Test
  void aFullQueueDropsAndCountsInsteadOfWaiting() throws Exception {
    int closedPort;
    try (SyslogReceiver gone = SyslogReceiver.tcp(0)) {
      closedPort = gone.port();
    }
    try (LogExporter exporter = LogExporter.start(new LogExports(false, new SyslogSettings("127.0.0.1", closedPort,
        SyslogSettings.Transport.TCP, 16, null, 1)), dir, metrics)) {
      for (int i = 0; i < 5; i++) {
        exporter.accept(event("q" + i));
      }
      assertThat(count(ProxyMetrics.EXPORT_DROPPED, "syslog", "queue-full")).isGreaterThanOrEqualTo(3);
    }
  }
}
