package org.schoolgate.policy.index;

import java.util.ArrayList;
import java.util.List;

/**
 * The ASCII names of listed domains, kept only while an index is built so that each entry's
 * listed parent domains can be found: one byte per character in 1 MiB chunks, each name preceded
 * by its length, instead of one {@link String} object per name. Not thread-safe.
 */
final class NameArena {
  // 1 MiB less room for the array header: exactly one G1 region with the default 1 MiB regions
  // (heaps under 2 GiB), so a chunk is a humongous object, allocated in an old region of its own
  // and never copied by a young pause (256 KiB chunks were allocated in eden, and every young pause
  // during a compile copied the ones already filled: see Segments), and half a region, an ordinary
  // eden object, with 2 MiB regions. Zeroing 1 MiB takes well under a millisecond.
  private static final int CHUNK = (1 << 20) - 32;

  private final List<byte[]> chunks = new ArrayList<>();
  private byte[] current = new byte[CHUNK];
  private int used;
  private int count;

  NameArena() {
    chunks.add(current);
  }

  /** Adds {@code name}: ASCII, 1 to 255 characters. */
  void add(String name) {
    int n = name.length();
    if (n == 0 || n > 255) {
      throw new IllegalArgumentException("name length : " + n + " (expected: 1 to 255)");
    }
    if (used + n + 1 > CHUNK) {
      current = new byte[CHUNK];
      chunks.add(current);
      used = 0;
    }
    current[used++] = (byte) n;
    for (int i = 0; i < n; i++) {
      current[used++] = (byte) name.charAt(i);
    }
    count++;
  }

  int size() {
    return count;
  }

  /** Calls {@code visitor} with each name's bytes, in the order added. */
  void forEach(Visitor visitor) {
    for (byte[] chunk : chunks) {
      int end = chunk == current ? used : CHUNK;
      int at = 0;
      while (at < end) {
        int n = chunk[at] & 0xff;
        if (n == 0) {
          break; // the unused tail of a full chunk
        }
        visitor.visit(chunk, at + 1, n);
        at += n + 1;
      }
    }
  }

  /** Receives names from {@link #forEach}. */
  @FunctionalInterface
  interface Visitor {
    void visit(byte[] bytes, int offset, int length);
  }
}
