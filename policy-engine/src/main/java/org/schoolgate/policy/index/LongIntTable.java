package org.schoolgate.policy.index;

/**
 * An immutable open-addressed map from a non-zero 64-bit key to an int, in two primitive arrays
 * (linear probing, load at most one half). {@link #get} allocates nothing.
 */
final class LongIntTable {
  private final long[] keys;
  private final int[] values;
  private final int mask;
  private final int size;

  LongIntTable(long[] keys, int[] values, int size) {
    this.keys = keys;
    this.values = values;
    this.mask = keys.length - 1;
    this.size = size;
  }

  /** The value for {@code key}, or -1. */
  int get(long key) {
    int i = (int) key & mask;
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

  int size() {
    return size;
  }

  /** Mutable builder; {@link #put} merges values for a repeated key through {@code merge}. */
  static final class Builder {
    private final long[] keys;
    private final int[] values;
    private final int mask;
    private int size;

    Builder(int expectedEntries) {
      int cap = HostHash.capacityFor(expectedEntries);
      keys = new long[cap];
      values = new int[cap];
      mask = cap - 1;
    }

    /** Puts {@code value}; returns the previous value for the key, or -1. */
    int put(long key, int value) {
      int i = (int) key & mask;
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
          size++;
          return -1;
        }
        i = (i + 1) & mask;
      }
    }

    LongIntTable build() {
      return new LongIntTable(keys, values, size);
    }
  }
}
