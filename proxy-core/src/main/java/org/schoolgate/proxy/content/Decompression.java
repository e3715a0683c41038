package org.schoolgate.proxy.content;

import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.compression.Brotli;
import io.netty.handler.codec.compression.BrotliDecoder;
import java.util.Locale;

/**
 * A response body's content coding undone for analysis: {@code gzip}/{@code x-gzip} and
 * {@code deflate} (zlib or raw, as servers differ) by the JDK's inflater directly ({@link
 * Inflating}, pooled per thread: no channel or buffer per response), {@code br} by Netty's
 * brotli4j decoder in an embedded channel. The client still
 * gets the bytes the origin sent; this reads a duplicate. Each decoder's output buffer is capped
 * ({@link #MAX_ALLOCATION}): a body that inflates past it in one piece fails the analysis (a
 * decompression bomb), which the proxy treats as an analysis failure.
 */
final class Decompression {
  /** The most one decoded piece may take. */
  static final int MAX_ALLOCATION = 4 * 1024 * 1024;

  /** What a decoded piece goes to. */
  interface Sink {
    void accept(ByteBuf plain);
  }

  /** No content coding: the body is read as it is (stateless, so shared). */
  private static final Decompression NONE = new Decompression((EmbeddedChannel) null);

  private final EmbeddedChannel channel;
  private Inflating inflating;
  private long bytesIn;
  private long bytesOut;

  private Decompression(EmbeddedChannel channel) {
    this.channel = channel;
  }

  private Decompression(Inflating inflating) {
    this.channel = null;
    this.inflating = inflating;
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
        return new Decompression(Inflating.take(true));
      case "deflate":
        return new Decompression(Inflating.take(false));
      case "br":
        if (!Brotli.isAvailable()) {
          throw new IllegalArgumentException("Brotli is not available on this machine (" + Brotli.cause() + ")");
        }
        return new Decompression(new EmbeddedChannel(BrotliDecoder.newDecoderWithMaxAllocation(MAX_ALLOCATION)));
      default:
        throw new IllegalArgumentException("content coding '" + encoding + "' cannot be read (expected: gzip,"
            + " deflate, br or none)");
    }
  }

  /**
   * Decodes {@code body} (not consumed: without a coding it goes to {@code out} as it is, which
   * must not consume it either; with one, a retained duplicate is decoded) into {@code out}.
   */
  void feed(ByteBuf body, Sink out) {
    if (inflating != null) {
      bytesIn += body.readableBytes();
      bytesOut += inflating.feed(body, out);
      return;
    }
    if (channel == null) {
      out.accept(body);
      return;
    }
    bytesIn += body.readableBytes();
    channel.writeInbound(body.retainedDuplicate());
    drain(out);
  }

  /** The body ended: what the decoder still holds. */
  void end(Sink out) {
    if (channel != null) {
      channel.finish();
      drain(out);
    }
    if (channel != null || inflating != null) {
      if (bytesIn > 0 && bytesOut == 0) {
        throw new IllegalArgumentException("the compressed body (" + bytesIn + " bytes) decoded to nothing");
      }
    }
  }

  /** Releases the decoder (also after a failure: what it still holds is dropped, errors too). */
  void close() {
    if (inflating != null) {
      inflating.close();
      inflating = null;
    }
    if (channel != null) {
      try {
        channel.finishAndReleaseAll();
      } catch (RuntimeException e) {
        channel.releaseInbound(); // the decoder's error was already the analysis failure
      }
    }
  }

  private void drain(Sink out) {
    ByteBuf b;
    while ((b = channel.readInbound()) != null) {
      bytesOut += b.readableBytes();
      try {
        out.accept(b);
      } finally {
        b.release();
      }
    }
  }
}
