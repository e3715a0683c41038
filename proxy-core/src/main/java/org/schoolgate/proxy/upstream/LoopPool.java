package org.schoolgate.proxy.upstream;

import java.util.ArrayDeque;
import java.util.HashMap;

/**
 * The idle upstream connections of one event loop, by {@link PoolKey}; used only on that loop, so
 * nothing is locked and no connection changes threads. At most {@code perKey} idle connections per
 * key and {@code total} in all; the most recently used is handed out first (it is the least likely
 * to have been closed by its origin).
 */
final class LoopPool {
  private final HashMap<PoolKey, ArrayDeque<Upstream>> idle = new HashMap<>();
  private final int perKey;
  private final int total;
  private int count;

  LoopPool(int perKey, int total) {
    this.perKey = perKey;
    this.total = total;
  }

  /** An idle open connection for {@code key}, taken out of the pool, or null. */
  Upstream take(PoolKey key) {
    ArrayDeque<Upstream> q = idle.get(key);
    if (q == null) {
      return null;
    }
    Upstream u;
    while ((u = q.pollLast()) != null) {
      count--;
      if (u.channel().isActive()) {
        return u;
      }
    }
    return null;
  }

  /** Puts {@code u} back; false when the pool is full (the caller closes it). */
  boolean offer(Upstream u) {
    if (count >= total) {
      return false;
    }
    ArrayDeque<Upstream> q = idle.computeIfAbsent(u.key(), k -> new ArrayDeque<>(4));
    if (q.size() >= perKey) {
      return false;
    }
    q.addLast(u);
    count++;
    return true;
  }

  /** Forgets {@code u} (it closed, or idled out, while pooled). */
  void remove(Upstream u) {
    ArrayDeque<Upstream> q = idle.get(u.key());
    if (q != null && q.remove(u)) {
      count--;
      if (q.isEmpty()) {
        idle.remove(u.key());
      }
    }
  }

  /** Idle connections held now. */
  int size() {
    return count;
  }
}
