package org.schoolgate.proxy.content;

import io.netty.buffer.ByteBuf;
import org.schoolgate.policy.content.ContentRules;
import org.schoolgate.policy.content.TextFormat;

/**
 * The first decoded bytes of a content-coded body (gzip, deflate, Brotli), for telling a file's
 * kind by its magic number ({@code proxy.http.DownloadGate}): the coded pieces are decoded in
 * small slices ({@link #SLICE} bytes of input at a time, by {@link Decompression}, the decoders
 * content analysis uses) into the caller's peek array, and decoding stops as soon as the array
 * holds what the caller needs ({@link Need}) or {@code limit} coded bytes were decoded without
 * telling ({@link #exhausted()}), so no more than that is read whatever the body's size. A body
 * that does not decode (a wrong or unknown coding) is {@link #failed()}: the caller judges by
 * its headers alone, as a browser could not open it either. Confined to one loop; one per held
 * response.
 *
 * <p>The decoder keeps what it decoded ({@link Decompression#record()}) so that the content
 * analysis of the same response can go on with it ({@link BodyAnalysis#start(ContentRules,
 * TextFormat, String, String, int, CodedPeek)}) instead of decoding the first bytes again.
 */
public final class CodedPeek implements AutoCloseable {
  /** Coded bytes decoded at a time: a slice's output is small, and decoding stops once enough is in. */
  static final int SLICE = 256;

  /** How many decoded bytes the caller needs, given those it has (e.g. {@code FileTypes::bytesNeeded}). */
  public interface Need {
    int bytes(byte[] peek, int len);
  }

  private Decompression decoder;
  private final int limit;
  private final Decompression.Sink copier = this::copy;
  private int fed;
  private byte[] into;
  private int length;
  private boolean failed;

  private CodedPeek(Decompression decoder, int limit) {
    this.decoder = decoder;
    this.limit = limit;
    decoder.record();
  }

  private CodedPeek(int limit) {
    this.limit = limit;
    this.failed = true;
  }

  /**
   * A peek through {@code encoding} reading at most {@code limit} coded bytes, or a failed one when
   * the proxy cannot read that coding.
   */
  public static CodedPeek of(String encoding, int limit) {
    try {
      return new CodedPeek(Decompression.of(encoding), limit);
    } catch (IllegalArgumentException e) {
      return new CodedPeek(limit);
    }
  }

  /**
   * Decodes {@code piece} (not consumed) into {@code peek} from {@code len} on, until {@code need}
   * says enough is there; returns the new length. Stops early once it has enough, the limit is
   * reached or the body fails.
   */
  public int feed(ByteBuf piece, byte[] peek, int len, Need need) {
    if (failed || exhausted()) {
      return len;
    }
    into = peek;
    length = len;
    int from = piece.readerIndex();
    int end = piece.writerIndex();
    int start = from;
    long out = 0;
    try {
      while (from < end && fed < limit && length < Math.min(peek.length, need.bytes(peek, length))) {
        int n = Math.min(Math.min(SLICE, limit - fed), end - from);
        out += decoder.feed(piece, from, from + n, copier, 0);
        from += n;
        fed += n;
      }
      if (from > start) {
        decoder.stoppedIn(out); // what this piece decoded to so far
      }
    } catch (RuntimeException e) { // not what its coding says: judged by its headers
      failed = true;
    }
    into = null;
    return length;
  }

  /** The body ended: what the decoder still holds goes into {@code peek}; returns the new length. */
  public int end(byte[] peek, int len) {
    if (failed) {
      return len;
    }
    into = peek;
    length = len;
    try {
      decoder.end(copier);
    } catch (RuntimeException e) {
      failed = true;
    }
    into = null;
    return length;
  }

  /** True when the limit of coded bytes was decoded: what is in the peek is all there will be. */
  public boolean exhausted() {
    return fed >= limit;
  }

  /** True when the body could not be decoded: its bytes tell nothing. */
  public boolean failed() {
    return failed;
  }

  /**
   * The decoder, going on where the peek stopped, for a reader of the same body that feeds it
   * from its first piece again (it gets what the peek decoded first); null when it cannot be
   * handed on (the peek failed, or decoded more than it keeps): that reader decodes the body
   * itself, and {@link #close()} frees this one.
   */
  Decompression handOn() {
    Decompression d = decoder;
    if (d == null || failed || !d.handOn()) {
      return null;
    }
    decoder = null;
    return d;
  }

  @Override
  public void close() {
    if (decoder != null) {
      decoder.close();
      decoder = null;
    }
  }

  private void copy(ByteBuf plain) {
    int n = Math.min(plain.readableBytes(), into.length - length);
    plain.getBytes(plain.readerIndex(), into, length, n);
    length += n;
  }
}
