package org.schoolgate.policy.index;

/**
 * A growable open-addressed map from a non-zero 64-bit key to a non-negative int, in two
 * primitive arrays (linear probing, grown at three quarters full). Used while an index is built;
 * the lookup-time form is {@link PackedTable}. Not thread-safe.
 */
final class LongIntTable {
  private static final int MIN_CAPACITY = 16;

  private long[] keys;
  private int[] values;
  private int mask;
  private int size;

  LongIntTable(int expectedEntries) {
    allocate(PackedTable.capacityFor(Math.max(expectedEntries, MIN_CAPACITY)));
  }

  private void allocate(int capacity) {
    keys = new long[capacity];
    values = new int[capacity];
    mask = capacity - 1;
  }

  private static int home(long key) {
    return (int) HostHash.finish(key);
  }

  /** The value for {@code key}, or -1. */
  int get(long key) {
    int i = home(key) & mask;
    while (true) {
      long k = keys[i];
      if (k == key) {
        return values[i];
      }
      if (k == 0) {
        return -1;
      }
      i = (i + 1) & mask;
    }
  }

  /** Puts {@code value} (non-negative) for {@code key} (non-zero); returns the previous value, or -1. */
  int put(long key, int value) {
    int i = home(key) & mask;
    while (true) {
      long k = keys[i];
      if (k == key) {
        int old = values[i];
        values[i] = value;
        return old;
      }
      if (k == 0) {
        keys[i] = key;
        values[i] = value;
        if (++size > (keys.length >>> 2) * 3) {
          grow();
        }
        return -1;
      }
      i = (i + 1) & mask;
    }
  }

  private void grow() {
    long[] oldKeys = keys;
    int[] oldValues = values;
    allocate(oldKeys.length * 2);
    for (int j = 0; j < oldKeys.length; j++) {
      long k = oldKeys[j];
      if (k != 0) {
        int i = home(k) & mask;
        while (keys[i] != 0) {
          i = (i + 1) & mask;
        }
        keys[i] = k;
        values[i] = oldValues[j];
      }
    }
  }

  int size() {
    return size;
  }

  /** Calls {@code visitor} for every entry, in table order. */
  void forEach(Visitor visitor) {
    for (int j = 0; j < keys.length; j++) {
      if (keys[j] != 0) {
        visitor.visit(keys[j], values[j]);
      }
    }
  }

  /** Receives entries from {@link #forEach}. */
  @FunctionalInterface
  interface Visitor {
    void visit(long key, int value);
  }
}
