package org.schoolgate.store;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * The alert rules' threshold counts shared by several nodes on one database (PostgreSQL): each
 * node adds its counted attempts per counter (who, rule, category) and time bucket in batches,
 * reads the other nodes' recent buckets, and claims a counter's window before it alerts, so one
 * person's attempts spread over several nodes count together and raise one alert per window.
 * Every method does JDBC: call it from the alert engine's thread, never an event loop.
 */
public interface AlertTally {

  /** Adds this node's {@code counts} to what it stored for each counter and bucket (one transaction). */
  void add(Collection<Count> counts);

  /** The other nodes' counts in buckets that start at or after {@code since}. */
  List<Count> others(Instant since);

  /**
   * Claims {@code counter}'s window until {@code quietUntil} for this node: won when no node holds
   * a window for it that is still quiet at {@code at}; otherwise the window that holds.
   */
  Claim claim(String counter, Instant at, Instant quietUntil);

  /** Forgets this node's buckets that start before {@code before} and windows ended then; the rows removed. */
  int forget(Instant before);

  /**
   * A node's count of attempts for a counter in the bucket starting at {@code bucket}.
   *
   * @param node the node that counted them (its {@code database.node})
   */
  record Count(String counter, Instant bucket, String node, int n) {
    public Count {
      Objects.requireNonNull(counter, "counter");
      Objects.requireNonNull(bucket, "bucket");
      Objects.requireNonNull(node, "node");
      if (n <= 0) {
        throw new IllegalArgumentException("a tally count must be positive, not " + n);
      }
    }
  }

  /** What {@link #claim} found. */
  sealed interface Claim {}

  /** This node holds the window now: raise the alert. */
  record Won(Instant quietUntil) implements Claim {}

  /** Another (or this) node holds a window still quiet: raise nothing, stay quiet until it ends. */
  record Held(Instant quietUntil, String node) implements Claim {}
}
