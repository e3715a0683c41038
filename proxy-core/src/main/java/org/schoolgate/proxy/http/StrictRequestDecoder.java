package org.schoolgate.proxy.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Netty's request decoder in its strictest settings, plus what it leaves out. Netty, configured
 * here, already refuses (as a failed decoder result) a request with both {@code Content-Length}
 * and {@code Transfer-Encoding}, several or invalid lengths, a final coding other than chunked,
 * {@code Transfer-Encoding} in HTTP/1.0, header names and values with forbidden characters, and
 * lines not ended by CR LF (a bare CR or LF). This class adds:
 * <ul>
 *   <li>obs-fold (RFC 9112 5.2): a header line starting with a space or tab is refused instead of
 *       being joined to the previous value, as a proxy must not pass on a request another
 *       recipient could read differently. Each line start of a request head is looked at once;
 *   <li>the head-read timeout (slowloris): from a connection's start, and from the first byte of
 *       every later request, the whole head must arrive within the timeout, or {@link
 *       HeadTimeout} is fired and the rest of the input dropped. An idle keep-alive connection
 *       runs no timer, and a head that arrives whole in one read starts none either: the head's
 *       start time is noted, and a timer is scheduled only when a read ends inside a head (one
 *       timer at a time, which re-arms itself for a later head's deadline), so a keep-alive
 *       request costs no timer task and no cancel;
 *   <li>holding after a CONNECT or an {@code Upgrade} request: the bytes that follow are not HTTP
 *       when the switch succeeds, so they wait undecoded until the front handler either removes
 *       the codec (they go on as raw bytes) or {@link #release releases} them as HTTP;
 *   <li>telling the {@link ResponseEncoder} each request's method, so HEAD and CONNECT answers
 *       are framed right.
 * </ul>
 */
final class StrictRequestDecoder extends HttpRequestDecoder {
  /**
   * The user event fired when the first bytes after a CONNECT or upgrade arrive and are held:
   * the front stops reading until it knows whether the protocol switches ({@link
   * ReadPauses#HELD}), so at most one read's worth is held.
   */
  static final Object HOLDING = new Object() {
    @Override
    public String toString() {
      return "HOLDING";
    }
  };

  /** {@link #headStarted} when no head is being read. */
  private static final long NO_HEAD = Long.MIN_VALUE;

  private final ResponseEncoder encoder;
  private final long headTimeoutNanos;
  private final int maxRequestLine;
  private final int maxHeaderBytes;
  /** Bytes of the current head's header lines {@link #folded} has passed (Netty's count for its limit). */
  private int headerBytes;
  private ChannelHandlerContext ctx;
  private final Runnable timedOut = this::timedOut;
  private ScheduledFuture<?> headTimer;
  /** When the head being read began (the loop ticker's nanoseconds), or {@link #NO_HEAD}. */
  private long headStarted = NO_HEAD;
  /** Reading a request head (not a body). */
  private boolean inHead = true;
  /** The current head's request line has been seen whole. */
  private boolean requestLine;
  /** The request being read switches protocols if answered so: hold what follows it. */
  private boolean holdAfter;
  private boolean held;
  /** {@link #HOLDING} was fired for what is held now. */
  private boolean holdingTold;
  private boolean discarding;

  StrictRequestDecoder(int maxRequestLine, int maxHeaderBytes, long headTimeoutNanos,
      ResponseEncoder encoder) {
    super(new HttpDecoderConfig()
        .setMaxInitialLineLength(maxRequestLine)
        .setMaxHeaderSize(maxHeaderBytes)
        .setMaxChunkSize(64 * 1024)
        .setStrictLineParsing(true)
        .setUseRfc9112TransferEncoding(true)
        .setAllowDuplicateContentLengths(false)
        .setValidateHeaders(true));
    this.encoder = encoder;
    this.headTimeoutNanos = headTimeoutNanos;
    this.maxRequestLine = maxRequestLine;
    this.maxHeaderBytes = maxHeaderBytes;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) throws Exception {
    this.ctx = ctx;
    super.handlerAdded(ctx);
    if (ctx.channel().isActive()) {
      headBegins();
      armTimer();
    }
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) throws Exception {
    headBegins();
    armTimer();
    super.channelActive(ctx);
  }

  @Override
  protected void handlerRemoved0(ChannelHandlerContext ctx) throws Exception {
    cancelTimer();
    super.handlerRemoved0(ctx);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    cancelTimer();
    super.channelInactive(ctx);
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception {
    if (discarding) {
      in.skipBytes(in.readableBytes());
      return;
    }
    if (held) {
      if (!holdingTold && in.isReadable()) {
        holdingTold = true;
        ctx.fireUserEventTriggered(HOLDING);
      }
      return;
    }
    if (inHead && in.isReadable()) {
      headBegins();
      if (folded(in)) {
        DefaultHttpRequest bad = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/");
        bad.setDecoderResult(DecoderResult.failure(new ObsFoldException()));
        out.add(bad);
        discarding = true;
        in.skipBytes(in.readableBytes());
        return;
      }
    }
    int before = out.size();
    super.decode(ctx, in, out);
    for (int i = before; i < out.size(); i++) {
      Object msg = out.get(i);
      if (msg instanceof HttpRequest request) {
        headStarted = NO_HEAD; // a timer already running finds no head and ends (timedOut)
        inHead = false;
        requestLine = false;
        headerBytes = 0;
        if (request.decoderResult().isSuccess()) {
          encoder.expect(request.method());
          holdAfter = HttpMethod.CONNECT.equals(request.method())
              || request.headers().contains(HttpHeaderNames.UPGRADE);
        } else {
          discarding = true; // Netty drops the rest of the stream after a bad message too
        }
      }
      if (msg instanceof LastHttpContent) {
        inHead = true;
        if (holdAfter) {
          holdAfter = false;
          held = true;
        }
      }
    }
    if (inHead && headStarted != NO_HEAD) {
      armTimer(); // the read ended inside a head
    }
  }

  /**
   * True when a line of the head in {@code in} (from its reader index, which the decoder always
   * leaves at a line start) begins with a space or tab after the request line. The walk stops
   * (false) where Netty will refuse the head for its size whatever follows: a request line longer
   * than its limit (414), header lines over theirs (431). Looking past that point would answer 400
   * for a fold the decoder never reaches when the same bytes arrive in pieces.
   */
  private boolean folded(ByteBuf in) {
    int at = in.readerIndex();
    int end = in.writerIndex();
    while (at < end) {
      byte first = in.getByte(at);
      int lf = in.indexOf(at, end, (byte) '\n');
      if (!requestLine) {
        if (lf < 0) {
          return false;
        }
        if (first != '\r' && first != '\n') {
          if (lineLength(in, at, lf) > maxRequestLine) {
            return false;
          }
          requestLine = true; // empty lines before it are the decoder's business
        }
      } else {
        if (first == ' ' || first == '\t') {
          return true;
        }
        if (first == '\n' || first == '\r' && at + 1 < end && in.getByte(at + 1) == '\n') {
          return false; // the empty line: the head ends here
        }
        if (lf < 0) {
          return false;
        }
        headerBytes += lineLength(in, at, lf);
        if (headerBytes > maxHeaderBytes) {
          return false;
        }
      }
      at = lf + 1;
    }
    return false;
  }

  /** The length of the line from {@code at} to the line feed at {@code lf}, without its CR LF, as Netty counts it. */
  private static int lineLength(ByteBuf in, int at, int lf) {
    return lf > at && in.getByte(lf - 1) == '\r' ? lf - 1 - at : lf - at;
  }

  /** Decodes what was held after a CONNECT or upgrade that did not switch protocols. */
  void release() {
    if (!held) {
      return;
    }
    held = false;
    holdingTold = false;
    if (ctx != null && !ctx.isRemoved()) {
      try {
        channelRead(ctx, Unpooled.EMPTY_BUFFER);
      } catch (Exception e) {
        ctx.fireExceptionCaught(e);
      }
    }
  }

  /** A head begins (its first byte, or the connection's start): its deadline counts from now. */
  private void headBegins() {
    if (headStarted == NO_HEAD) {
      headStarted = ctx.executor().ticker().nanoTime();
    }
  }

  /** Makes sure a timer runs for the head being read (none when one is already scheduled). */
  private void armTimer() {
    if (headTimer == null && ctx != null && headTimeoutNanos > 0) {
      long left = headStarted + headTimeoutNanos - ctx.executor().ticker().nanoTime();
      headTimer = ctx.executor().schedule(timedOut, Math.max(0, left), TimeUnit.NANOSECONDS);
    }
  }

  private void cancelTimer() {
    if (headTimer != null) {
      headTimer.cancel(false);
      headTimer = null;
    }
  }

  private void timedOut() {
    headTimer = null;
    if (!inHead || headStarted == NO_HEAD || discarding || !ctx.channel().isActive()) {
      return; // the head it was armed for came whole; no head is being read now
    }
    if (ctx.executor().ticker().nanoTime() - headStarted < headTimeoutNanos) {
      armTimer(); // armed for an earlier head: this one began later and has time left
      return;
    }
    discarding = true;
    ctx.fireUserEventTriggered(HeadTimeout.INSTANCE);
  }

  /** A header line began with a space or tab (obsolete line folding). */
  static final class ObsFoldException extends IllegalArgumentException {
    ObsFoldException() {
      super("a header line starts with a space or tab (obsolete line folding)", null);
    }
  }
}
