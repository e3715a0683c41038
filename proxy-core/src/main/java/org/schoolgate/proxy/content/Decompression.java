package org.schoolgate.proxy.content;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.compression.Brotli;
import java.util.Locale;
import java.util.concurrent.atomic.LongAdder;

/**
 * A response body's content coding undone for analysis, with no channel or buffer per response:
 * {@code gzip}/{@code x-gzip} and {@code deflate} (zlib or raw, as servers differ) by the JDK's
 * inflater driven directly ({@link Inflating}, pooled per thread), {@code br} by brotli4j's
 * streaming decoder driven directly ({@link Unbrotli}; its native library is loaded at start). The
 * client still gets the bytes the origin sent; this reads them in place. Decoded bytes reach the
 * sink 8 KiB at a time; one piece that decodes past {@link #MAX_ALLOCATION} fails the analysis (a
 * decompression bomb), which the proxy treats as an analysis failure.
 *
 * <p>One decoder serves a download peek and the content analysis of the same body ({@link
 * CodedPeek}): while peeking it also keeps what it decoded (at most {@link #PREFIX} bytes, in a
 * pooled array, see {@link #record()}); handed on ({@link #handOn()}), it gives the analysis those
 * bytes first and then skips the coded bytes it has already read as the body's pieces are fed
 * again from the start, so every coded byte is decoded once. A peek that decoded more than {@link
 * #PREFIX} bytes is not handed on (the analysis decodes the body again, counted in {@link
 * #redecoded()}).
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

  /** The most a peek's decoded bytes kept for the analysis may be (an {@link AnalysisPool} array). */
  static final int PREFIX = 8192;

  /** Coded bytes given to decoders, over all threads ({@link DecoderCounts}: a meter). */
  private static final LongAdder DECODED = new LongAdder();
  /** Peeks whose decoder could not be handed on: the analysis decoded their bodies again. */
  private static final LongAdder REDECODED = new LongAdder();

  private Inflating inflating;
  private Unbrotli brotli;
  private final boolean coded;
  private long bytesIn;
  private long bytesOut;
  /** While recording (a peek): what was decoded so far, or null. */
  private ByteBuf prefix;
  private boolean overflowed;
  /** Handed on: the prefix goes to the sink before anything else. */
  private boolean replay;
  /** Handed on: coded bytes at the body's start already read (skipped when fed again). */
  private long skip;
  /** Bytes decoded from the piece the peek stopped in (that piece's bomb count goes on from there). */
  private long pieceOut;
  /** The caller's sink during a recorded feed. */
  private Sink target;
  /** While recording: gives what is decoded to {@link #target} and keeps it (made by {@link #record}). */
  private Sink recorder;

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
        return new Decompression(null, Unbrotli.take());
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
    int from = body.readerIndex();
    int to = body.writerIndex();
    long already = 0;
    if (replay) {
      replay(out);
    }
    if (skip > 0) {
      int n = (int) Math.min(skip, to - from);
      skip -= n;
      from += n;
      if (from == to) {
        return;
      }
      already = pieceOut; // the rest of the piece the peek stopped in
    }
    feed(body, from, to, out, already);
  }

  /**
   * Decodes bytes {@code from}–{@code to} of {@code body} into {@code out} (a decoder only); one
   * call counts as one piece for the bomb limit, going on from {@code already} bytes. Returns the
   * bytes decoded.
   */
  long feed(ByteBuf body, int from, int to, Sink out, long already) {
    if (inflating == null && brotli == null) {
      throw new IllegalStateException("the decoder was closed");
    }
    DECODED.add(to - from);
    bytesIn += to - from;
    Sink sink = out;
    if (prefix != null) {
      target = out;
      sink = recorder;
    }
    try {
      long n = inflating != null ? inflating.feed(body, from, to, sink, already)
          : brotli.feed(body, from, to, sink, already);
      bytesOut += n;
      pieceOut = already + n;
      return n;
    } finally {
      target = null;
    }
  }

  /** Recording: what the decoder gives goes to the caller and into the prefix. */
  private void keep(ByteBuf plain) {
    int n = plain.readableBytes();
    if (prefix != null) {
      if (n <= prefix.writableBytes()) {
        prefix.writeBytes(plain, plain.readerIndex(), n);
      } else {
        AnalysisPool.here().givePrefix(prefix);
        prefix = null;
        overflowed = true;
      }
    }
    target.accept(plain);
  }

  /**
   * From now on (a coded body's first bytes, before any is fed) what is decoded is also kept, so
   * that this decoder can be {@link #handOn handed on} to the analysis of the same body.
   */
  void record() {
    if (coded && prefix == null && bytesIn == 0) {
      prefix = AnalysisPool.here().takePrefix();
      recorder = this::keep;
    }
  }

  /** The peek stopped in a piece from which {@code out} bytes were decoded (its bomb count goes on from there). */
  void stoppedIn(long out) {
    pieceOut = out;
  }

  /**
   * Stops recording and makes this decoder go on from where it is for a reader that feeds the
   * body again from its first piece: the next call gives the bytes decoded so far first, then the
   * coded bytes already read are skipped. Returns false (nothing changed but the recording ended)
   * when it cannot: not recorded, or more was decoded than {@link #PREFIX} (counted).
   */
  boolean handOn() {
    if (prefix == null) {
      if (overflowed) {
        REDECODED.increment();
      }
      overflowed = false;
      return false;
    }
    replay = true;
    skip = bytesIn;
    return true;
  }

  private void replay(Sink out) {
    replay = false;
    ByteBuf p = prefix;
    prefix = null;
    try {
      if (p.isReadable()) {
        out.accept(p);
      }
    } finally {
      AnalysisPool.here().givePrefix(p);
    }
  }

  /** The body ended: a coded body that decoded to nothing fails. */
  void end(Sink out) {
    if (replay) {
      replay(out);
    }
    if (coded && bytesIn > 0 && bytesOut == 0) {
      throw new IllegalArgumentException("the compressed body (" + bytesIn + " bytes) decoded to nothing");
    }
  }

  /** Coded bytes given to decoders so far, over all threads. */
  static long decoded() {
    return DECODED.sum();
  }

  /** Peeks whose decoder could not be handed on (they decoded more than {@link #PREFIX} bytes). */
  static long redecoded() {
    return REDECODED.sum();
  }

  /** Releases the decoder (idempotent; also after a failure). */
  void close() {
    if (prefix != null) {
      AnalysisPool.here().givePrefix(prefix);
      prefix = null;
    }
    replay = false;
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
