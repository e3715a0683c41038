package org.schoolgate.proxy.log;

import java.nio.file.Path;
import java.time.Clock;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLongArray;
import org.schoolgate.proxy.metrics.ProxyMetrics;
import org.schoolgate.proxy.metrics.ProxyMetrics.AccessLogDrop;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts lost access events by cause and follows outages: the first failed write after writing
 * worked begins one (logged, counted, the sink told once), the next write that works ends it (the
 * sink told once more, with the lines lost). Written by the writer thread (and offering threads
 * for queue-full and closed drops); read by anyone through {@link #status()}.
 */
final class Outages {
  private static final Logger log = LoggerFactory.getLogger(Outages.class);

  private final Path dir;
  private final Clock clock;
  private final ProxyMetrics metrics;
  private final AccessEventSink sink;
  private final AtomicLongArray dropped = new AtomicLongArray(AccessLogDrop.values().length);
  private volatile AccessLogOutage current;

  Outages(Path dir, Clock clock, ProxyMetrics metrics, AccessEventSink sink) {
    this.dir = dir;
    this.clock = clock;
    this.metrics = metrics;
    this.sink = sink;
    metrics.bindAccessLogFailing(() -> current != null);
  }

  /** Counts {@code events} lost for {@code cause} (any thread). */
  void dropped(AccessLogDrop cause, long events) {
    dropped.addAndGet(cause.ordinal(), events);
    metrics.accessLogDropped(cause, events);
  }

  /** A write of {@code lines} whole lines failed with {@code problem}; they are lost (writer thread). */
  void writeFailed(String problem, int lines) {
    dropped(AccessLogDrop.WRITE_FAILED, lines);
    AccessLogOutage outage = current;
    if (outage != null) {
      current = outage.lost(lines);
      return;
    }
    outage = new AccessLogOutage(dir, clock.instant(), null, problem, lines);
    current = outage;
    metrics.accessLogOutage();
    log.error("the access log cannot be written: {}; lines are counted as lost"
        + " (schoolgate.accesslog.dropped, cause write-failed) until writing works again", problem);
    try {
      sink.accessLogFailing(outage);
    } catch (RuntimeException e) {
      log.warn("access event sink failed on the outage: {}", e.toString());
    }
  }

  /** A write worked: ends the outage, if any (writer thread). */
  void written() {
    AccessLogOutage outage = current;
    if (outage == null) {
      return;
    }
    current = null;
    AccessLogOutage ended = outage.endedAt(clock.instant());
    log.warn("the access log is written again in {} after {}; {} lines were lost", dir,
        ended.length(ended.until()), ended.linesLost());
    try {
      sink.accessLogRecovered(ended);
    } catch (RuntimeException e) {
      log.warn("access event sink failed on the recovery: {}", e.toString());
    }
  }

  AccessLogStatus status() {
    Map<AccessLogDrop, Long> counts = new EnumMap<>(AccessLogDrop.class);
    for (AccessLogDrop cause : AccessLogDrop.values()) {
      counts.put(cause, dropped.get(cause.ordinal()));
    }
    return new AccessLogStatus(dir, current, counts);
  }
}
