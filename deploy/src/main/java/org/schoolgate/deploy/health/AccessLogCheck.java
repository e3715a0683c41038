package org.schoolgate.deploy.health;

import java.time.Clock;
import java.util.function.Supplier;
import org.schoolgate.admin.health.CheckResult;
import org.schoolgate.admin.health.HealthCheck;
import org.schoolgate.proxy.ProxyServer;
import org.schoolgate.proxy.log.AccessLogOutage;
import org.schoolgate.proxy.log.AccessLogStatus;
import org.schoolgate.proxy.metrics.ProxyMetrics.AccessLogDrop;

/**
 * {@code access-log}: degraded while the access log cannot be written (an outage: since when,
 * why, lines lost so far), and for one round after events were dropped because the writer's queue
 * was full. The proxy keeps filtering either way.
 */
final class AccessLogCheck implements HealthCheck {
  private final Supplier<ProxyServer> proxy;
  private final Clock clock;
  /** Queue-full drops seen by the last round (the health thread only). */
  private long queueFullSeen;

  AccessLogCheck(Supplier<ProxyServer> proxy, Clock clock) {
    this.proxy = proxy;
    this.clock = clock;
  }

  @Override
  public String name() {
    return "access-log";
  }

  @Override
  public synchronized CheckResult check() {
    ProxyServer p = proxy.get();
    if (p == null) {
      return CheckResult.ok("not open yet: the proxy has not started");
    }
    AccessLogStatus status = p.accessLogStatus();
    long queueFull = status.dropped(AccessLogDrop.QUEUE_FULL);
    long newlyDropped = queueFull - queueFullSeen;
    queueFullSeen = queueFull;
    AccessLogOutage outage = status.outage();
    if (outage != null) {
      return CheckResult.degraded("cannot write the access log in " + status.dir() + " since " + outage.since()
          + " (" + Durations.text(outage.length(clock.instant())) + "): " + outage.problem() + "; "
          + outage.linesLost() + " lines lost so far (the proxy keeps filtering; free space on the disk"
          + " or fix the directory, and writing resumes by itself)");
    }
    if (newlyDropped > 0) {
      return CheckResult.degraded(newlyDropped + " access events dropped since the last check: the writer's queue"
          + " was full (the disk is too slow for the traffic)");
    }
    long lost = status.dropped(AccessLogDrop.WRITE_FAILED) + status.dropped(AccessLogDrop.ENCODE_FAILED);
    return CheckResult.ok("writing to " + status.dir() + (lost + queueFull > 0
        ? "; " + (lost + queueFull) + " events lost since start (schoolgate.accesslog.dropped)" : ""));
  }
}
