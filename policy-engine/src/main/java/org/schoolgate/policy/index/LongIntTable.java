package org.schoolgate.policy.index;

/**
 * A growable open-addressed map from a non-zero 64-bit key to a non-negative int, in primitive
 * arrays (linear probing, grown at three quarters full). Used while an index is built; the
 * lookup-time form is {@link PackedTable}. The arrays are {@link Segments} of at most 2 MiB, so
 * growing a table of millions of entries never allocates (and zeroes) one huge array. Not
 * thread-safe.
 */
final class LongIntTable {
  private static final int MIN_CAPACITY = 16;
  private static final int SHIFT = Segments.SHIFT;
  private static final int SEGMENT_MASK = Segments.MASK;

  private long[][] keys;
  private int[][] values;
  private int capacity;
  private int usable;
  private int mask;
  private int size;

  LongIntTable(int expectedEntries) {
    allocate(PackedTable.capacityFor(Math.max(expectedEntries, MIN_CAPACITY)));
  }

  private void allocate(int capacity) {
    keys = Segments.longs(capacity);
    values = Segments.ints(capacity);
    this.capacity = capacity;
    usable = Segments.usable(capacity);
    mask = capacity - 1;
  }

  private static int home(long key) {
    return (int) HostHash.finish(key);
  }

  /** The value for {@code key}, or -1. */
  int get(long key) {
    int i = Segments.next(home(key) & mask, usable, mask);
    while (true) {
      long k = keys[i >>> SHIFT][i & SEGMENT_MASK];
      if (k == key) {
        return values[i >>> SHIFT][i & SEGMENT_MASK];
      }
      if (k == 0) {
        return -1;
      }
      i = Segments.next((i + 1) & mask, usable, mask);
    }
  }

  /** Puts {@code value} (non-negative) for {@code key} (non-zero); returns the previous value, or -1. */
  int put(long key, int value) {
    int i = Segments.next(home(key) & mask, usable, mask);
    while (true) {
      long[] segment = keys[i >>> SHIFT];
      int at = i & SEGMENT_MASK;
      long k = segment[at];
      if (k == key) {
        int[] v = values[i >>> SHIFT];
        int old = v[at];
        v[at] = value;
        return old;
      }
      if (k == 0) {
        segment[at] = key;
        values[i >>> SHIFT][at] = value;
        if (++size > (capacity >>> 2) * 3) {
          grow();
        }
        return -1;
      }
      i = Segments.next((i + 1) & mask, usable, mask);
    }
  }

  private void grow() {
    long[][] oldKeys = keys;
    int[][] oldValues = values;
    allocate(capacity * 2);
    for (int s = 0; s < oldKeys.length; s++) {
      long[] ks = oldKeys[s];
      int[] vs = oldValues[s];
      oldKeys[s] = null; // let each old segment go as soon as it is moved
      oldValues[s] = null;
      for (int j = 0; j < ks.length; j++) {
        long k = ks[j];
        if (k != 0) {
          int i = Segments.next(home(k) & mask, usable, mask);
          while (keys[i >>> SHIFT][i & SEGMENT_MASK] != 0) {
            i = Segments.next((i + 1) & mask, usable, mask);
          }
          keys[i >>> SHIFT][i & SEGMENT_MASK] = k;
          values[i >>> SHIFT][i & SEGMENT_MASK] = vs[j];
        }
      }
    }
  }

  int size() {
    return size;
  }

  /** Calls {@code visitor} for every entry, in table order. */
  void forEach(Visitor visitor) {
    for (int s = 0; s < keys.length; s++) {
      long[] ks = keys[s];
      int[] vs = values[s];
      for (int j = 0; j < ks.length; j++) {
        if (ks[j] != 0) {
          visitor.visit(ks[j], vs[j]);
        }
      }
    }
  }

  /** Receives entries from {@link #forEach}. */
  @FunctionalInterface
  interface Visitor {
    void visit(long key, int value);
  }
}
