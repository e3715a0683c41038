package org.schoolgate.proxy.log;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * A stretch of time in which the access log could not be written (a full or failing disk, a
 * directory that cannot be written): from the first failed write after writing worked to the next
 * write that worked. Every line lost meanwhile is counted; none is half-written.
 *
 * @param dir the access-log directory
 * @param since when the first write failed
 * @param until when writing worked again, or null while the outage lasts
 * @param problem what the first failure said, e.g. {@code cannot write access-2026-11-23.jsonl: No
 *     space left on device}
 * @param linesLost access events lost because they could not be written, so far
 */
public record AccessLogOutage(Path dir, Instant since, Instant until, String problem, long linesLost) {
  public AccessLogOutage {
    Objects.requireNonNull(dir, "dir");
    Objects.requireNonNull(since, "since");
    Objects.requireNonNull(problem, "problem");
  }

  /** True while writing still fails. */
  public boolean ongoing() {
    return until == null;
  }

  /** How long it lasted ({@code until - since}), or lasts so far at {@code now}. */
  public Duration length(Instant now) {
    return Duration.between(since, until == null ? now : until);
  }

  AccessLogOutage lost(long lines) {
    return new AccessLogOutage(dir, since, until, problem, linesLost + lines);
  }

  AccessLogOutage endedAt(Instant at) {
    return new AccessLogOutage(dir, since, at, problem, linesLost);
  }
}
