package org.schoolgate.alerts;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.schoolgate.store.AlertTally;

/**
 * This node's side of the threshold counts several nodes share ({@link AlertTally}): the attempts
 * the rules counted here since the last publication, per counter and {@link #BUCKET} of event time,
 * and the other nodes' counts as last read. Not thread-safe: {@link AlertRules} calls it under its
 * lock. No I/O: the alert engine's thread moves the counts to and from the database.
 *
 * <p>A bucket is one millisecond, the precision of the events' times, so a window counts exactly
 * the other nodes' attempts inside it, ({@code to} − window, {@code to}], as this node counts its
 * own: a threshold never fires early because an attempt just outside the window shared a bucket
 * with one inside (with coarser buckets, counted whole when they overlapped the window, a
 * 10-minute window could count up to a bucket's length of older attempts). The cost is a row per
 * counted attempt rather than per person and bucket (attempts of one person at one millisecond
 * still share a row); the database traffic is the same, one batched upsert and one select a second.
 */
final class SharedCounts {
  /** Counts are kept per bucket of this length: the events' own precision (see above). */
  static final Duration BUCKET = Duration.ofMillis(1);
  private static final long BUCKET_MILLIS = BUCKET.toMillis();

  /** counter → bucket start → attempts counted here, not yet published. */
  private final Map<String, Map<Instant, Integer>> unpublished = new HashMap<>();
  /** counter → bucket start → the other nodes' attempts, as last read. */
  private Map<String, TreeMap<Instant, Integer>> others = Map.of();

  static Instant bucket(Instant time) {
    return Instant.ofEpochMilli(Math.floorDiv(time.toEpochMilli(), BUCKET_MILLIS) * BUCKET_MILLIS);
  }

  /** One attempt counted here for {@code counter} at {@code time}. */
  void counted(String counter, Instant time) {
    unpublished.computeIfAbsent(counter, k -> new HashMap<>()).merge(bucket(time), 1, Integer::sum);
  }

  /** The counts to publish, forgotten here (give them back with {@link #unpublish} if publishing fails). */
  List<AlertTally.Count> drain() {
    List<AlertTally.Count> out = new ArrayList<>();
    unpublished.forEach((counter, buckets) -> buckets.forEach((bucket, n) ->
        out.add(new AlertTally.Count(counter, bucket, "local", n))));
    unpublished.clear();
    return out;
  }

  /** Takes back counts that could not be published, to try again. */
  void unpublish(List<AlertTally.Count> counts) {
    for (AlertTally.Count c : counts) {
      unpublished.computeIfAbsent(c.counter(), k -> new HashMap<>()).merge(c.bucket(), c.n(), Integer::sum);
    }
  }

  /** Replaces the other nodes' counts with {@code read}; the counters whose counts changed. */
  Set<String> othersRead(List<AlertTally.Count> read) {
    Map<String, TreeMap<Instant, Integer>> next = new HashMap<>();
    for (AlertTally.Count c : read) {
      next.computeIfAbsent(c.counter(), k -> new TreeMap<>()).merge(c.bucket(), c.n(), Integer::sum);
    }
    Set<String> changed = new java.util.HashSet<>();
    next.forEach((counter, buckets) -> {
      if (!buckets.equals(others.get(counter))) {
        changed.add(counter);
      }
    });
    others = next;
    return changed;
  }

  /** The other nodes' attempts for {@code counter} at times in ({@code to} − {@code window}, {@code to}]. */
  int others(String counter, Instant to, Duration window) {
    TreeMap<Instant, Integer> buckets = others.get(counter);
    if (buckets == null) {
      return 0;
    }
    Instant from = bucket(to.minus(window).plusMillis(1));
    int n = 0;
    for (int c : buckets.subMap(from, true, to, true).values()) {
      n += c;
    }
    return n;
  }
}
