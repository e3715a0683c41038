package org.schoolgate.proxy.content;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.compression.Brotli;
import java.util.Locale;

/**
 * A response body's content coding undone for analysis, with no channel or buffer per response:
 * {@code gzip}/{@code x-gzip} and {@code deflate} (zlib or raw, as servers differ) by the JDK's
 * inflater driven directly ({@link Inflating}, pooled per thread), {@code br} by brotli4j's
 * streaming decoder driven directly ({@link Unbrotli}; its native library is loaded at start). The
 * client still gets the bytes the origin sent; this reads them in place. Decoded bytes reach the
 * sink 8 KiB at a time; one piece that decodes past {@link #MAX_ALLOCATION} fails the analysis (a
 * decompression bomb), which the proxy treats as an analysis failure.
 */
final class Decompression {
  /** The most one coded piece may decode to. */
  static final int MAX_ALLOCATION = 4 * 1024 * 1024;

  /** What a decoded piece goes to. */
  interface Sink {
    void accept(ByteBuf plain);
  }

  /** No content coding: the body is read as it is (stateless, so shared). */
  private static final Decompression NONE = new Decompression(null, null);

  private Inflating inflating;
  private Unbrotli brotli;
  private final boolean coded;
  private long bytesIn;
  private long bytesOut;

  private Decompression(Inflating inflating, Unbrotli brotli) {
    this.inflating = inflating;
    this.brotli = brotli;
    this.coded = inflating != null || brotli != null;
  }

  /**
   * The decoder for {@code Content-Encoding: encoding} (null or {@code identity}: none).
   *
   * @throws IllegalArgumentException for a coding the proxy cannot read (the analysis fails)
   */
  static Decompression of(String encoding) {
    if (encoding == null) {
      return NONE;
    }
    String e = encoding.strip().toLowerCase(Locale.ROOT);
    switch (e) {
      case "":
      case "identity":
        return NONE;
      case "gzip":
      case "x-gzip":
        return new Decompression(Inflating.take(true), null);
      case "deflate":
        return new Decompression(Inflating.take(false), null);
      case "br":
        if (!Brotli.isAvailable()) {
          throw new IllegalArgumentException("Brotli is not available on this machine (" + Brotli.cause() + ")");
        }
        return new Decompression(null, new Unbrotli());
      default:
        throw new IllegalArgumentException("content coding '" + encoding + "' cannot be read (expected: gzip,"
            + " deflate, br or none)");
    }
  }

  /**
   * Decodes {@code body} (not consumed, nor by {@code out}: without a coding it goes to {@code out}
   * as it is) into {@code out}.
   */
  void feed(ByteBuf body, Sink out) {
    if (!coded) {
      out.accept(body);
      return;
    }
    if (inflating == null && brotli == null) {
      throw new IllegalStateException("the decoder was closed");
    }
    bytesIn += body.readableBytes();
    bytesOut += inflating != null ? inflating.feed(body, out) : brotli.feed(body, out);
  }

  /** The body ended: a coded body that decoded to nothing fails. */
  void end(Sink out) {
    if (coded && bytesIn > 0 && bytesOut == 0) {
      throw new IllegalArgumentException("the compressed body (" + bytesIn + " bytes) decoded to nothing");
    }
  }

  /** Releases the decoder (idempotent; also after a failure). */
  void close() {
    if (inflating != null) {
      inflating.close();
      inflating = null;
    }
    if (brotli != null) {
      brotli.close();
      brotli = null;
    }
  }
}
