package org.schoolgate.policy.index;

/**
 * The immutable lookup table of the index: a map from a 64-bit {@link HostHash} key to a small
 * non-negative int, in {@code long}s of 8 bytes per slot ({@link Segments} of 2 MiB, so that
 * building it allocates no huge array). {@link #get} allocates nothing and
 * touches one cache line for a hit or a miss in the common case.
 *
 * <p>Each slot packs what is left of the key beside the value: a slot is chosen by the key's low
 * bits (linear probing, load at most three quarters), and the word stored there holds the key's
 * high {@code 64 - valueBits} bits (the fingerprint) above {@code value + 1} in the low
 * {@code valueBits} bits, so a word is never 0 and 0 marks an empty slot. {@code valueBits} is the
 * fewest bits that hold the largest value, fixed when the table is built.
 *
 * <p>Keeping the fingerprint instead of the whole key costs nothing in practice: an unlisted key
 * is taken for a listed one when its fingerprint equals that of a slot it passes, a chance of
 * about 2^-(64 - valueBits) per slot compared (2^-43 with two million category sets), the same
 * order as the chance that a full 64-bit key of an unlisted name equals one of five million listed
 * keys (about 2^-42), which {@link HostIndex} accepts already.
 */
final class PackedTable {
  private static final int SHIFT = Segments.SHIFT;
  private static final int SEGMENT_MASK = Segments.MASK;

  private final long[][] words;
  private final int capacity;
  private final int mask;
  private final int valueBits;
  private final long valueMask;
  private final int size;

  private PackedTable(long[][] words, int capacity, int valueBits, int size) {
    this.words = words;
    this.capacity = capacity;
    this.mask = capacity - 1;
    this.valueBits = valueBits;
    this.valueMask = (1L << valueBits) - 1;
    this.size = size;
  }

  /** Packs every entry of {@code source}, whose values are at most {@code maxValue}. */
  static PackedTable of(LongIntTable source, int maxValue) {
    return of(source, maxValue, v -> v);
  }

  /**
   * Packs every entry of {@code source} with its value mapped by {@code encode}; encoded values
   * are at most {@code maxValue}.
   */
  static PackedTable of(LongIntTable source, int maxValue, java.util.function.IntUnaryOperator encode) {
    if (maxValue < 0 || maxValue == Integer.MAX_VALUE) {
      throw new IllegalArgumentException("maxValue : " + maxValue + " (expected: 0 to 2^31 - 2)");
    }
    int valueBits = Math.max(1, 32 - Integer.numberOfLeadingZeros(maxValue + 1));
    int capacity = capacityFor(source.size());
    long[][] words = Segments.longs(capacity);
    int mask = capacity - 1;
    int usable = Segments.usable(capacity);
    long fingerprintMask = -1L << valueBits;
    source.forEach((key, raw) -> {
      int value = encode.applyAsInt(raw);
      if (value < 0 || value > maxValue) {
        throw new IllegalArgumentException("value : " + value + " (expected: 0 to " + maxValue + ")");
      }
      long word = (key & fingerprintMask) | (value + 1L);
      int i = Segments.next((int) key & mask, usable, mask);
      while (words[i >>> SHIFT][i & SEGMENT_MASK] != 0) {
        i = Segments.next((i + 1) & mask, usable, mask);
      }
      words[i >>> SHIFT][i & SEGMENT_MASK] = word;
    });
    return new PackedTable(words, capacity, valueBits, source.size());
  }

  /** Table capacity (a power of two) that keeps the load at or below three quarters. */
  static int capacityFor(int entries) {
    int cap = 16;
    while (cap * 3L < entries * 4L) {
      cap <<= 1;
    }
    return cap;
  }

  /** The value for {@code key}, or -1. */
  int get(long key) {
    long fingerprint = key >>> valueBits;
    long[][] segments = words;
    int i = (int) key & mask;
    int s = i >>> SHIFT;
    int at = i & SEGMENT_MASK;
    long[] segment = segments[s];
    while (true) {
      // Testing the segment's length is also the array's bounds check; past it (its missing
      // tail slots, or the end of a table of one short segment) the probe continues at the next
      // segment's first slot, wrapping at the end of the table.
      if (at < segment.length) {
        long w = segment[at];
        if (w >>> valueBits == fingerprint) {
          return (int) (w & valueMask) - 1;
        }
        if (w == 0) {
          return -1;
        }
        at++;
      } else {
        s = (s + 1) & (segments.length - 1);
        segment = segments[s];
        at = 0;
      }
    }
  }

  /** Entries put in. */
  int size() {
    return size;
  }

  /** Heap bytes of the slot array. */
  long bytes() {
    return 8L * capacity;
  }
}
