package org.schoolgate.proxy.content;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;

/** Reads a chunked response off a stream counting its body bytes, keeping none (for huge bodies). */
final class ChunkedCount {
  private ChunkedCount() {}

  /** Reads the head (expects 200, chunked) and the body; returns the body's length. */
  static long read(InputStream in) throws IOException {
    String status = line(in);
    if (!status.startsWith("HTTP/1.1 200")) {
      throw new IOException("expected 200, got " + status);
    }
    boolean chunked = false;
    for (String h = line(in); !h.isEmpty(); h = line(in)) {
      chunked |= h.toLowerCase(java.util.Locale.ROOT).startsWith("transfer-encoding: chunked");
    }
    if (!chunked) {
      throw new IOException("expected a chunked body");
    }
    long total = 0;
    byte[] buf = new byte[64 * 1024];
    while (true) {
      int size = Integer.parseInt(line(in).split(";")[0].trim(), 16);
      if (size == 0) {
        while (!line(in).isEmpty()) {
          // trailers
        }
        return total;
      }
      int left = size;
      while (left > 0) {
        int n = in.read(buf, 0, Math.min(buf.length, left));
        if (n < 0) {
          throw new EOFException("body cut after " + (total + size - left) + " bytes");
        }
        left -= n;
      }
      total += size;
      line(in);
    }
  }

  private static String line(InputStream in) throws IOException {
    StringBuilder sb = new StringBuilder();
    for (int c = in.read(); c != '\n'; c = in.read()) {
      if (c < 0) {
        throw new EOFException("connection closed after '" + sb + "'");
      }
      if (c != '\r') {
        sb.append((char) c);
      }
    }
    return sb.toString();
  }
}
