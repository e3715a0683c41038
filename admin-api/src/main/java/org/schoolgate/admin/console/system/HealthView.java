package org.schoolgate.admin.console.system;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.schoolgate.admin.console.system.HealthSampler.Sample;

/**
 * System health as the page and {@code GET /api/v1/health} show it: rates over the last sampling
 * interval (per second), current levels, and the per-interval series for the chart and its table.
 *
 * @param requestsPerSecond null until two samples some time apart exist
 */
public record HealthView(Double requestsPerSecond, Double blocksPerSecond, Double dnsQueriesPerSecond,
    Double interceptionsPerSecond, long requests, long blocks, long dnsFailures, long accessLogQueue,
    long accessLogDropped, long alertQueue, long deliveryOldestPendingSeconds, long failClosed,
    List<Point> series) {

  private static final java.time.format.DateTimeFormatter TIME = java.time.format.DateTimeFormatter.ofPattern("HH:mm:ss");

  /** One interval: its end (epoch seconds) and the rates over it. */
  public record Point(long at, String time, double requestsPerSecond, double blocksPerSecond) {}

  public static HealthView of(List<Sample> samples, java.time.ZoneId zone) {
    Sample last = samples.get(samples.size() - 1);
    List<Point> series = new ArrayList<>();
    for (int i = 1; i < samples.size(); i++) {
      Sample a = samples.get(i - 1);
      Sample b = samples.get(i);
      double seconds = Duration.between(a.at(), b.at()).toMillis() / 1000.0;
      if (seconds > 0) {
        series.add(new Point(b.at().getEpochSecond(), TIME.format(b.at().atZone(zone)), round((b.requests() - a.requests()) / seconds),
            round((b.blocks() - a.blocks()) / seconds)));
      }
    }
    Double rps = null;
    Double bps = null;
    Double dps = null;
    Double ips = null;
    if (samples.size() >= 2) {
      Sample prev = samples.get(samples.size() - 2);
      double seconds = Duration.between(prev.at(), last.at()).toMillis() / 1000.0;
      if (seconds > 0) {
        rps = round((last.requests() - prev.requests()) / seconds);
        bps = round((last.blocks() - prev.blocks()) / seconds);
        dps = round((last.dnsQueries() - prev.dnsQueries()) / seconds);
        ips = round((last.interceptions() - prev.interceptions()) / seconds);
      }
    }
    return new HealthView(rps, bps, dps, ips, (long) last.requests(), (long) last.blocks(), (long) last.dnsFailures(),
        (long) last.accessLogQueue(), (long) last.accessLogDropped(), (long) last.alertQueue(),
        (long) last.deliveryOldestPendingSeconds(), (long) last.failClosed(), series);
  }

  private static double round(double v) {
    return Math.round(v * 10) / 10.0;
  }
}
