package org.schoolgate.proxy.log;

import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Whole lines waiting to be written: a growable byte array the JSON generator writes into, with
 * the number of complete lines in it. A line is added whole or not at all ({@link #truncate} back
 * to where it began), so the batch written to the file never ends inside a line. Writer thread
 * only.
 */
final class LineBuffer extends OutputStream {
  private byte[] bytes;
  private int size;
  private int lines;

  LineBuffer(int initialCapacity) {
    bytes = new byte[initialCapacity];
  }

  @Override
  public void write(int b) {
    ensure(1);
    bytes[size++] = (byte) b;
  }

  @Override
  public void write(byte[] b, int off, int len) {
    ensure(len);
    System.arraycopy(b, off, bytes, size, len);
    size += len;
  }

  /** Ends the line written since the last one: appends '\n' and counts it. */
  void endLine() {
    write('\n');
    lines++;
  }

  /** Drops everything after {@code mark} (a size taken before a line that failed). */
  void truncate(int mark) {
    size = mark;
  }

  int size() {
    return size;
  }

  int lines() {
    return lines;
  }

  /** The buffered bytes, without copying (valid until the next write or {@link #clear}). */
  ByteBuffer view() {
    return ByteBuffer.wrap(bytes, 0, size);
  }

  void clear() {
    size = 0;
    lines = 0;
  }

  private void ensure(int more) {
    if (size + more > bytes.length) {
      bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + more));
    }
  }
}
