package org.schoolgate.proxy.content;

import com.aayushatharva.brotli4j.decoder.DecoderJNI;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.util.concurrent.FastThreadLocal;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.ref.Cleaner;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.LongAdder;

/**
 * {@code br} undone by brotli4j's streaming decoder driven directly (as Netty's {@code
 * BrotliDecoder} drives it, without its channel): coded bytes are copied into the decoder's native
 * input buffer, decoded bytes copied out 8 KiB at a time into one array the sink reads. One piece
 * that decodes past {@link Decompression#MAX_ALLOCATION} fails (a decompression bomb). Not
 * thread-safe.
 *
 * <p>Design: brotli4j's native decoder cannot be reset ({@code DecoderJNI.Wrapper} has push, pull
 * and destroy only; the C library has no public reset either), so each body gets a new one, made
 * in {@link #take()} and destroyed in {@link #close()}. What is Java — this object and its 8 KiB
 * output array — is pooled per thread as {@link Inflating} is (at most {@link #POOLED}, given back
 * to the closing thread's pool). A decoder never closed (a bug) does not keep its native memory
 * (the decoder's state, its window of up to 16 MiB, the 8 KiB input buffer) for ever: a {@link
 * Cleaner} destroys it once this object is unreachable, counted in {@link #leaked()}; {@link
 * #live()} counts the native decoders not yet destroyed.
 */
final class Unbrotli {
  static final int POOLED = 4;
  private static final int IN = 8192;
  private static final Cleaner CLEANER = Cleaner.create();
  private static final LongAdder LIVE = new LongAdder();
  private static final LongAdder LEAKED = new LongAdder();

  private static final FastThreadLocal<Pool> POOL = new FastThreadLocal<>() {
    @Override
    protected Pool initialValue() {
      return new Pool();
    }
  };

  /** One thread's idle decoders' Java parts, the last given back first. */
  private static final class Pool {
    final Unbrotli[] idle = new Unbrotli[POOLED];
    int count;
  }

  /** Destroys a native decoder: by {@link #close()}, or by the cleaner when it was never closed. */
  private static final class Destroy implements Runnable {
    private final DecoderJNI.Wrapper decoder;
    boolean closed;

    Destroy(DecoderJNI.Wrapper decoder) {
      this.decoder = decoder;
    }

    @Override
    public void run() {
      if (!closed) {
        LEAKED.increment();
      }
      decoder.destroy();
      LIVE.decrement();
    }
  }

  private final byte[] out = new byte[8192];
  private final ByteBuf outBuf = Unpooled.wrappedBuffer(out);
  private DecoderJNI.Wrapper decoder;
  private Destroy destroy;
  private Cleaner.Cleanable cleanable;

  private Unbrotli() {}

  /** A decoder for one body: a new native decoder, the rest from this thread's pool. */
  static Unbrotli take() {
    Pool pool = POOL.get();
    Unbrotli u;
    if (pool.count > 0) {
      u = pool.idle[--pool.count];
      pool.idle[pool.count] = null;
    } else {
      u = new Unbrotli();
    }
    try {
      u.decoder = new DecoderJNI.Wrapper(IN);
    } catch (IOException e) {
      throw new UncheckedIOException("the Brotli decoder could not be made", e);
    }
    LIVE.increment();
    u.destroy = new Destroy(u.decoder);
    u.cleanable = CLEANER.register(u, u.destroy);
    return u;
  }

  /**
   * Decodes bytes {@code i}–{@code end} of {@code body} (not consumed) into {@code sink}, the piece
   * having decoded to {@code already} bytes before (for the bomb limit); returns the decoded bytes.
   */
  long feed(ByteBuf body, int i, int end, Decompression.Sink sink, long already) {
    DecoderJNI.Wrapper decoder = this.decoder;
    long produced = already;
    boolean pulled = false;
    while (true) {
      switch (decoder.getStatus()) {
        case DONE:
          while (decoder.hasOutput()) {
            produced = pull(sink, produced);
          }
          return produced - already; // what follows the end is ignored
        case OK:
          decoder.push(0);
          break;
        case NEEDS_MORE_INPUT:
          if (decoder.hasOutput()) {
            produced = pull(sink, produced);
          }
          if (pulled) {
            // after a pull the wrapper says it needs input even when what it was given is not
            // all decoded yet (a piece that decodes past its window): let it go on first
            pulled = false;
            decoder.push(0);
            break;
          }
          if (i == end) {
            return produced - already;
          }
          ByteBuffer in = decoder.getInputBuffer();
          in.clear();
          int n = Math.min(in.remaining(), end - i);
          in.limit(n);
          body.getBytes(i, in);
          i += n;
          decoder.push(n);
          break;
        case NEEDS_MORE_OUTPUT:
          produced = pull(sink, produced);
          pulled = true;
          break;
        default:
          throw new IllegalArgumentException("corrupt Brotli data");
      }
    }
  }

  private long pull(Decompression.Sink sink, long produced) {
    ByteBuffer plain = decoder.pull();
    while (plain.hasRemaining()) {
      int n = Math.min(out.length, plain.remaining());
      plain.get(out, 0, n);
      produced += n;
      if (produced > Decompression.MAX_ALLOCATION) {
        throw new IllegalArgumentException("one piece decodes past " + Decompression.MAX_ALLOCATION
            + " bytes (a decompression bomb)");
      }
      sink.accept(outBuf.setIndex(0, n));
    }
    return produced;
  }

  /** Destroys the native decoder and gives the rest back to this thread's pool (idempotent). */
  void close() {
    if (decoder == null) {
      return;
    }
    destroy.closed = true;
    cleanable.clean();
    decoder = null;
    destroy = null;
    cleanable = null;
    Pool pool = POOL.get();
    if (pool.count < POOLED) {
      pool.idle[pool.count++] = this;
    }
  }

  /** Native decoders made and not yet destroyed, over all threads. */
  static long live() {
    return LIVE.sum();
  }

  /** Native decoders destroyed by the cleaner because they were never closed. */
  static long leaked() {
    return LEAKED.sum();
  }
}
