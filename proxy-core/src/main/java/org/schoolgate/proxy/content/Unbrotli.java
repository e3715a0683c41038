package org.schoolgate.proxy.content;

import com.aayushatharva.brotli4j.decoder.DecoderJNI;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;

/**
 * {@code br} undone by brotli4j's streaming decoder driven directly (as Netty's {@code
 * BrotliDecoder} drives it, without its channel): coded bytes are copied into the decoder's native
 * input buffer, decoded bytes copied out 8 KiB at a time into one array the sink reads. The native
 * decoder cannot be reset, so it is made per body and destroyed in {@link #close()}; one piece that
 * decodes past {@link Decompression#MAX_ALLOCATION} fails (a decompression bomb). Not thread-safe.
 */
final class Unbrotli {
  private static final int IN = 8192;
  private final DecoderJNI.Wrapper decoder;
  private final byte[] out = new byte[8192];
  private final ByteBuf outBuf = Unpooled.wrappedBuffer(out);

  Unbrotli() {
    try {
      decoder = new DecoderJNI.Wrapper(IN);
    } catch (IOException e) {
      throw new UncheckedIOException("the Brotli decoder could not be made", e);
    }
  }

  /**
   * Decodes bytes {@code i}–{@code end} of {@code body} (not consumed) into {@code sink}, the piece
   * having decoded to {@code already} bytes before (for the bomb limit); returns the decoded bytes.
   */
  long feed(ByteBuf body, int i, int end, Decompression.Sink sink, long already) {
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

  /** Frees the native decoder. */
  void close() {
    decoder.destroy();
  }
}
