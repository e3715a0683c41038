package org.schoolgate.proxy.content;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.util.concurrent.FastThreadLocal;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * {@code gzip} and {@code deflate} undone with the JDK's {@link Inflater} directly, as a stream of
 * pieces: no channel, no buffer or view per piece (the inflater reads a heap piece's array or a
 * direct piece's memory in place). Design: every body is inflated raw ({@code nowrap}) and
 * the framing is read here, so one kind of {@link Inflater} serves all and can be pooled per
 * thread (at most {@link #POOLED}, given back in {@link #close()} to the closing thread's pool,
 * the thread that started the body, as the proxy starts and closes on the connection's loop):
 * <ul>
 *   <li>gzip (RFC 1952): the 10-byte header and its optional fields (extra, name, comment, header
 *       CRC) are skipped, the 8-byte trailer is checked (CRC-32 and length); a further member
 *       follows on, anything else after a member is ignored (as browsers do);
 *   <li>deflate: a zlib header (RFC 1950: method 8, the check bits) is skipped and its Adler-32
 *       trailer ignored; without one the body is raw deflate (servers differ).
 * </ul>
 * Decoded bytes go to the sink 8 KiB at a time from one reused array. One piece that inflates past
 * {@link Decompression#MAX_ALLOCATION} fails (a decompression bomb), as before. Not thread-safe.
 */
final class Inflating {
  static final int POOLED = 4;
  private static final int OUT = 8192;
  private static final int GZIP_HEADER = 0;
  private static final int GZIP_EXTRA_LENGTH = 1;
  private static final int GZIP_EXTRA = 2;
  private static final int GZIP_NAME = 3;
  private static final int GZIP_COMMENT = 4;
  private static final int GZIP_HEADER_CRC = 5;
  private static final int ZLIB_HEADER = 6;
  private static final int BODY = 7;
  private static final int GZIP_TRAILER = 8;
  private static final int ZLIB_TRAILER = 9;
  private static final int DONE = 10;

  private static final FastThreadLocal<Pool> POOL = new FastThreadLocal<>() {
    @Override
    protected Pool initialValue() {
      return new Pool();
    }
  };

  /** One thread's idle inflaters, the last given back first. */
  private static final class Pool {
    final Inflating[] idle = new Inflating[POOLED];
    int count;
  }

  private final Inflater inflater = new Inflater(true);
  private final byte[] out = new byte[OUT];
  private final ByteBuf outBuf = Unpooled.wrappedBuffer(out);
  private final CRC32 crc = new CRC32();
  private final byte[] head = new byte[10];
  private boolean gzip;
  private int state;
  private int pos;
  private int flags;
  private int extraLeft;
  private long memberOut;
  private boolean rawStart; // deflate without a zlib header: the two bytes looked at are data
  private boolean member; // a gzip member was read whole: what follows may be another or trailing bytes
  private int left; // after inflate(): the bytes of its input past the end of the deflate stream

  private Inflating() {}

  /** An inflater for {@code gzip} (true) or {@code deflate} (false), from this thread's pool. */
  static Inflating take(boolean gzip) {
    Pool pool = POOL.get();
    Inflating i;
    if (pool.count > 0) {
      i = pool.idle[--pool.count];
      pool.idle[pool.count] = null;
    } else {
      i = new Inflating();
    }
    i.gzip = gzip;
    i.state = gzip ? GZIP_HEADER : ZLIB_HEADER;
    i.pos = 0;
    i.member = false;
    i.rawStart = false;
    i.memberOut = 0;
    i.crc.reset();
    i.inflater.reset();
    return i;
  }

  /** Gives this back to this thread's pool (or drops it when the pool is full). */
  void close() {
    inflater.reset();
    Pool pool = POOL.get();
    if (pool.count < POOLED) {
      pool.idle[pool.count++] = this;
      return;
    }
    inflater.end();
  }

  /** Inflates {@code body} (not consumed) into {@code sink}; returns the decoded bytes. */
  long feed(ByteBuf body, Decompression.Sink sink) {
    return feed(body, body.readerIndex(), body.writerIndex(), sink, 0);
  }

  /**
   * Inflates bytes {@code i}–{@code end} of {@code body} into {@code sink}, the piece having
   * decoded to {@code already} bytes before (for the bomb limit); returns the decoded bytes.
   */
  long feed(ByteBuf body, int i, int end, Decompression.Sink sink, long already) {
    long produced = already;
    while (i < end) {
      switch (state) {
        case GZIP_HEADER -> i = gzipHeader(body, i);
        case GZIP_EXTRA_LENGTH -> {
          head[pos++] = body.getByte(i++);
          if (pos == 2) {
            extraLeft = (head[0] & 0xff) | (head[1] & 0xff) << 8;
            pos = 0;
            state = extraLeft > 0 ? GZIP_EXTRA : afterExtra();
          }
        }
        case GZIP_EXTRA -> {
          int n = Math.min(extraLeft, end - i);
          i += n;
          extraLeft -= n;
          if (extraLeft == 0) {
            state = afterExtra();
          }
        }
        case GZIP_NAME, GZIP_COMMENT -> {
          if (body.getByte(i++) == 0) {
            state = state == GZIP_NAME ? afterName() : afterComment();
          }
        }
        case GZIP_HEADER_CRC -> {
          i++;
          if (++pos == 2) {
            pos = 0;
            state = BODY;
          }
        }
        case ZLIB_HEADER -> i = zlibHeader(body, i);
        case BODY -> {
          if (rawStart) {
            rawStart = false;
            inflater.setInput(head, 0, 2);
            produced += inflate(sink, produced);
            continue;
          }
          setInput(body, i, end - i);
          produced += inflate(sink, produced);
          i += end - i - left;
        }
        case GZIP_TRAILER -> {
          head[pos++] = body.getByte(i++);
          if (pos == 8) {
            checkTrailer();
          }
        }
        case ZLIB_TRAILER -> {
          i++;
          if (++pos == 4) {
            state = DONE;
          }
        }
        default -> i = end; // after the end: ignored
      }
    }
    return produced - already;
  }

  private int gzipHeader(ByteBuf body, int i) {
    byte b = body.getByte(i);
    if (pos == 0 && member && b != 0x1f) {
      state = DONE; // bytes after the last member: ignored
      return i;
    }
    head[pos++] = b;
    if ((pos == 1 && b != 0x1f) || (pos == 2 && b != (byte) 0x8b) || (pos == 3 && b != 8)) {
      throw new IllegalArgumentException("not gzip data (the header does not start 1f 8b 08)");
    }
    if (pos == 10) {
      flags = head[3] & 0xff;
      pos = 0;
      state = (flags & 4) != 0 ? GZIP_EXTRA_LENGTH : afterExtra();
    }
    return i + 1;
  }

  private int afterExtra() {
    return (flags & 8) != 0 ? GZIP_NAME : afterName();
  }

  private int afterName() {
    return (flags & 16) != 0 ? GZIP_COMMENT : afterComment();
  }

  private int afterComment() {
    return (flags & 2) != 0 ? GZIP_HEADER_CRC : BODY;
  }

  /** The first two bytes of a deflate body: a zlib header is skipped, raw deflate is inflated as it is. */
  private int zlibHeader(ByteBuf body, int i) {
    head[pos++] = body.getByte(i++);
    if (pos < 2) {
      return i;
    }
    int cmf = head[0] & 0xff;
    int flg = head[1] & 0xff;
    pos = 0;
    state = BODY;
    if ((cmf & 0x0f) == 8 && (cmf >> 4) <= 7 && ((cmf << 8) | flg) % 31 == 0) {
      if ((flg & 0x20) != 0) {
        throw new IllegalArgumentException("zlib data with a preset dictionary cannot be read");
      }
      return i;
    }
    rawStart = true; // raw deflate: these two bytes are data, inflated first
    return i;
  }

  /**
   * The inflater reads {@code length} bytes of {@code body} from {@code index} in place: a heap
   * buffer's array, a single-buffer direct buffer's internal view (Netty's own, reused: no object
   * per piece), a view of anything else (a composite).
   */
  private void setInput(ByteBuf body, int index, int length) {
    if (body.hasArray()) {
      inflater.setInput(body.array(), body.arrayOffset() + index, length);
    } else if (body.nioBufferCount() == 1) {
      inflater.setInput(body.internalNioBuffer(index, length));
    } else {
      inflater.setInput(body.nioBuffer(index, length));
    }
  }

  /**
   * Inflates the input set until it is used up or the stream ends ({@link #left}: the bytes of it
   * not read); returns the bytes decoded.
   */
  private long inflate(Decompression.Sink sink, long before) {
    left = 0;
    long produced = 0;
    try {
      while (true) {
        int n = inflater.inflate(out);
        if (n > 0) {
          produced += n;
          if (before + produced > Decompression.MAX_ALLOCATION) {
            throw new IllegalArgumentException("one piece inflates past " + Decompression.MAX_ALLOCATION
                + " bytes (a decompression bomb)");
          }
          if (gzip) {
            crc.update(out, 0, n);
            memberOut += n;
          }
          sink.accept(outBuf.setIndex(0, n));
        }
        if (inflater.finished()) {
          left = inflater.getRemaining();
          inflater.reset();
          pos = 0;
          state = gzip ? GZIP_TRAILER : ZLIB_TRAILER;
          return produced;
        }
        if (inflater.needsDictionary()) {
          throw new IllegalArgumentException("deflate data with a preset dictionary cannot be read");
        }
        if (n == 0) {
          if (!inflater.needsInput()) {
            throw new IllegalArgumentException("corrupt " + (gzip ? "gzip" : "deflate") + " data: the inflater is stuck");
          }
          return produced;
        }
      }
    } catch (DataFormatException e) {
      throw new IllegalArgumentException("corrupt " + (gzip ? "gzip" : "deflate") + " data: " + e.getMessage(), e);
    }
  }

  private void checkTrailer() {
    long crcRead = (head[0] & 0xffL) | (head[1] & 0xffL) << 8 | (head[2] & 0xffL) << 16 | (head[3] & 0xffL) << 24;
    long sizeRead = (head[4] & 0xffL) | (head[5] & 0xffL) << 8 | (head[6] & 0xffL) << 16 | (head[7] & 0xffL) << 24;
    if (crcRead != crc.getValue() || sizeRead != (memberOut & 0xffffffffL)) {
      throw new IllegalArgumentException("corrupt gzip data (its CRC or length does not match)");
    }
    crc.reset();
    memberOut = 0;
    member = true;
    pos = 0;
    state = GZIP_HEADER;
  }
}
