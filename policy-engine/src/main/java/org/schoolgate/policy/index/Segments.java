package org.schoolgate.policy.index;

/**
 * Large primitive tables as arrays of fixed-size segments instead of one array, so that building
 * an index never allocates one huge array.
 *
 * <p>Why: HotSpot zeroes a new array inside the VM, where the thread cannot stop for a safepoint.
 * Zeroing the 5M feed's 128-192 MiB tables kept every other thread (the proxy's event loops among
 * them) waiting 45-180 ms for a GC pause to start (measured with {@code -Xlog:safepoint} and
 * {@code -XX:+SafepointTimeout}: the compiling thread was in {@code MemAllocator::allocate},
 * growing its table). A segment is zeroed in about a millisecond.
 *
 * <p>A full segment has {@link #SIZE} slots of which the first {@link #USABLE} exist, so that a
 * segment of {@code long}s with its array header is just under 2 MiB and one of {@code int}s just
 * under 1 MiB: they fill whole G1 regions with the default region sizes (the collector sizes
 * regions by the heap: 1 MiB below 2 GiB, 2 MiB below 4 GiB). Such an array is a humongous object: it is
 * allocated straight into old regions and never copied by a young collection. Smaller segments
 * (tried: 256 KiB) are allocated in eden instead, and every young pause during a compile then
 * copies the live part of the tables being built: pauses of 25-45 ms instead of under 15. The
 * missing slots at the end of each segment are skipped by probing ({@link #next}).
 *
 * <p>Slot {@code i} is {@code segments[i >>> SHIFT][i & MASK]}; the array of segments is small
 * (512 bytes of references for 2^24 slots) and stays in the CPU caches, so a lookup pays one
 * cached load more than with a flat array. Tables smaller than one segment are one array of
 * exactly their capacity.
 */
final class Segments {
  /** log2 of the slots per segment. */
  static final int SHIFT = 18;
  /** Slots per segment, counting the missing ones at its end. */
  static final int SIZE = 1 << SHIFT;
  /** Offset of a slot in its segment. */
  static final int MASK = SIZE - 1;
  /** Slots that exist in a full segment: 8 fewer than {@link #SIZE}, room for the array header. */
  static final int USABLE = SIZE - 8;

  private Segments() {}

  /** The slots that exist per segment for a table of {@code capacity} slots (a power of two). */
  static int usable(int capacity) {
    return capacity < SIZE ? capacity : USABLE;
  }

  /**
   * The first existing slot at or after slot {@code i} (wrapping at {@code mask}) of a table whose
   * segments have {@code usable} slots.
   */
  static int next(int i, int usable, int mask) {
    return (i & MASK) < usable ? i : ((i | MASK) + 1) & mask;
  }

  /** Zeroed {@code long} segments for {@code capacity} slots (a power of two). */
  static long[][] longs(int capacity) {
    int length = usable(capacity);
    long[][] out = new long[Math.max(1, capacity >>> SHIFT)][];
    for (int s = 0; s < out.length; s++) {
      out[s] = new long[length];
    }
    return out;
  }

  /** Zeroed {@code int} segments for {@code capacity} slots (a power of two). */
  static int[][] ints(int capacity) {
    int length = usable(capacity);
    int[][] out = new int[Math.max(1, capacity >>> SHIFT)][];
    for (int s = 0; s < out.length; s++) {
      out[s] = new int[length];
    }
    return out;
  }
}
