package org.schoolgate.proxy.log;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import org.schoolgate.proxy.metrics.ProxyMetrics.AccessLogDrop;

/**
 * Whether the access log is being written, for health checks: the outage in progress (null when
 * writing works) and the events lost since start, by cause.
 *
 * @param dir the access-log directory
 * @param outage the outage in progress, or null
 * @param dropped access events lost since start, by cause (every cause present)
 */
public record AccessLogStatus(Path dir, AccessLogOutage outage, Map<AccessLogDrop, Long> dropped) {
  public AccessLogStatus {
    Objects.requireNonNull(dir, "dir");
    dropped = Map.copyOf(dropped);
  }

  /** True when the last write worked (or nothing was written yet). */
  public boolean writing() {
    return outage == null;
  }

  /** Events lost for {@code cause} since start. */
  public long dropped(AccessLogDrop cause) {
    return dropped.getOrDefault(cause, 0L);
  }
}
