package org.schoolgate.policy.index;

/**
 * The 64-bit hash the domain index is keyed by. It is computed from the last character of a
 * name to the first (FNV-1a over the reversed characters), so one right-to-left pass over a host
 * yields the hash of every label-boundary suffix on the way: {@code com}, {@code example.com},
 * {@code ads.example.com}. {@link #finish} spreads the bits (MurmurHash3's fmix64) before the
 * value is used as a table key.
 */
final class HostHash {
  static final long SEED = 0xcbf29ce484222325L;
  private static final long PRIME = 0x100000001b3L;

  private HostHash() {}

  static long step(long state, char c) {
    return (state ^ c) * PRIME;
  }

  /** The table key for a running state; never 0 (0 marks an empty slot). */
  static long finish(long state) {
    long h = state;
    h ^= h >>> 33;
    h *= 0xff51afd7ed558ccdL;
    h ^= h >>> 33;
    h *= 0xc4ceb9fe1a85ec53L;
    h ^= h >>> 33;
    return h == 0 ? 1 : h;
  }

  /** The table key of a whole, already normalised name. */
  static long of(String name) {
    long h = SEED;
    for (int i = name.length() - 1; i >= 0; i--) {
      h = step(h, name.charAt(i));
    }
    return finish(h);
  }
}
