package org.schoolgate.policy.index;

/**
 * Large primitive tables as arrays of fixed-size segments instead of one array, so that building
 * an index never allocates a huge array.
 *
 * <p>Why: HotSpot zeroes a new array inside the VM, where the thread cannot stop for a safepoint;
 * zeroing one 128 MiB table (the 5M feed's) kept every other thread (the proxy's event loops
 * among them) waiting 75-180 ms for a GC pause to start, and with G1 every array over half a
 * region (512 KiB with the default 1 MiB regions) is a humongous allocation, which starts a
 * concurrent cycle once the heap is above the initiating occupancy. A segment of {@link #SIZE}
 * slots is 256 KiB of {@code long}s (128 KiB of {@code int}s): zeroed in microseconds and never
 * humongous. Slot {@code i} is {@code segments[i >>> SHIFT][i & MASK]}; the array of segments is
 * small (2 KiB of references for 2^24 slots) and stays in the CPU caches, so a lookup pays one
 * cached load more than with a flat array.
 */
final class Segments {
  /** log2 of the slots per segment. */
  static final int SHIFT = 15;
  /** Slots per segment (the last and only segment of a smaller table is shorter). */
  static final int SIZE = 1 << SHIFT;
  /** Offset of a slot in its segment. */
  static final int MASK = SIZE - 1;

  private Segments() {}

  /** Zeroed {@code long} segments for {@code capacity} slots (a power of two). */
  static long[][] longs(int capacity) {
    int length = Math.min(capacity, SIZE);
    long[][] out = new long[Math.max(1, capacity >>> SHIFT)][];
    for (int s = 0; s < out.length; s++) {
      out[s] = new long[length];
    }
    return out;
  }

  /** Zeroed {@code int} segments for {@code capacity} slots (a power of two). */
  static int[][] ints(int capacity) {
    int length = Math.min(capacity, SIZE);
    int[][] out = new int[Math.max(1, capacity >>> SHIFT)][];
    for (int s = 0; s < out.length; s++) {
      out[s] = new int[length];
    }
    return out;
  }
}
