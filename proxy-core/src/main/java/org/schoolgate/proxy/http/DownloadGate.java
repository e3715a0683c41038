package org.schoolgate.proxy.http;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;
import java.util.Optional;
import org.schoolgate.policy.download.Detected;
import org.schoolgate.policy.download.DownloadDecision;
import org.schoolgate.policy.download.DownloadRules;
import org.schoolgate.policy.download.FileTypes;
import org.schoolgate.proxy.content.CodedPeek;
import org.schoolgate.proxy.filter.Outcome;
import org.schoolgate.proxy.metrics.ProxyMetrics.DownloadOutcome;
import org.schoolgate.proxy.upstream.Upstream;

/**
 * Dangerous downloads by type on one connection's response path, before content analysis
 * ({@link ContentGate}) and forwarding. For a successful response whose group blocks some file
 * kinds ({@code downloads:}):
 * <ul>
 *   <li>the headers are judged first ({@link FileTypes#ofHeaders}: the disposition's file name,
 *       the type, the URL path): a blocked kind is answered with the block page (rule
 *       {@code download:<kind>}) before any body byte is read — the response has not started;
 *   <li>otherwise, when a blocked kind can be told from bytes, the head and the first pieces are
 *       held until {@link FileTypes#bytesNeeded} are in (at most {@link FileTypes#PEEK} bytes are
 *       read; most bodies decide on their first byte), then judged ({@link FileTypes#ofBytes}):
 *       the block page, or everything held passes on as if it had just arrived. A content-coded
 *       body (gzip, deflate, Brotli) is peeked through its decoder ({@link CodedPeek}: at most
 *       {@link FileTypes#PEEK} coded bytes decoded, into the same array); one that does not
 *       decode is judged by its headers, as a browser could not open it either. When the
 *       response passes, its content analysis goes on with the peek's decoder ({@link #peeked}),
 *       so no coded byte is decoded twice;
 *   <li>a {@code 206 Partial Content} whose range starts at byte 0 is peeked the same way; one
 *       starting later (a resumed download, a video's next range) holds no magic number and is
 *       judged by its headers and the request's URL only;
 *   <li>a blocked kind on a site the school allow list, an unblock or a bypass covers passes,
 *       and its access line says so ({@code download.liftedBy}).
 * </ul>
 * Event streams and multipart ranges are judged by their headers only. Confined to the
 * connection's loop; allocates only when it holds or finds something.
 */
final class DownloadGate {
  private static final CodedPeek.Need NEED = FileTypes::bytesNeeded;
  private final FrontHandler front;
  private final ChannelHandlerContext ctx;
  private final Turn t;
  private final ArrayDeque<HttpContent> held = new ArrayDeque<>(4);
  private byte[] peek; // made on the connection's first peek, reused
  private int peekLength;
  private HttpResponse head;
  private Outcome.Forward forward;
  private DownloadRules rules;
  private String type;
  private String name;
  /** The held body's decoder when it is content-coded, else null. */
  private CodedPeek coded;

  DownloadGate(FrontHandler front, ChannelHandlerContext ctx) {
    this.front = front;
    this.ctx = ctx;
    this.t = front.turn;
  }

  /** True while the first bytes of a response are held: its body pieces go to {@link #content}. */
  boolean active() {
    return head != null;
  }

  /**
   * A response head (framed for the client, not written). Returns true when it was handled here:
   * answered with the block page, or held for its first bytes; false when the caller goes on.
   */
  boolean begin(HttpResponse res) {
    reset();
    Outcome.Forward f = t.forward;
    int code = res.status().code();
    if (f == null || t.head || code < 200 || code >= 300 || code == 204 || f.snapshot() == null) {
      return false;
    }
    DownloadRules r = f.snapshot().downloadRules(f.decision().group());
    if (!r.enabled()) {
      return false;
    }
    String contentType = res.headers().get(HttpHeaderNames.CONTENT_TYPE);
    String disposition = res.headers().get(HttpHeaderNames.CONTENT_DISPOSITION);
    String path = f.decided().target().path();
    Optional<Detected> told = FileTypes.ofHeaders(path, contentType, disposition, r);
    if (told.isPresent()) {
      return decided(f, res, told.get(), DownloadOutcome.BLOCKED_BY_HEADERS);
    }
    if (!(code == 200 || (code == 206 && fromStart(res))) || !r.needsBytes()
        || "0".equals(res.headers().get(HttpHeaderNames.CONTENT_LENGTH))
        || (contentType != null && contentType.regionMatches(true, 0, "text/event-stream", 0, 17))) {
      return false;
    }
    String fileName = disposition == null ? null : FileTypes.fileName(disposition);
    this.head = res;
    this.forward = f;
    this.rules = r;
    this.type = contentType;
    this.name = fileName != null ? fileName : path;
    if (peek == null) {
      peek = new byte[FileTypes.PEEK];
    }
    peekLength = 0;
    if (coded(res)) {
      coded = CodedPeek.of(res.headers().get(HttpHeaderNames.CONTENT_ENCODING), FileTypes.PEEK);
    }
    front.s.metrics().downloadPeek();
    return true;
  }

  /** A body piece of the held response (owned): held until the first bytes tell, then judged. */
  void content(HttpContent c) {
    ByteBuf b = c.content();
    boolean last = c instanceof LastHttpContent;
    held.add(c);
    if (coded != null) {
      peekLength = coded.feed(b, peek, peekLength, NEED);
      if (last) {
        peekLength = coded.end(peek, peekLength);
      }
      if (!last && !coded.failed() && !coded.exhausted() && peekLength < FileTypes.bytesNeeded(peek, peekLength)) {
        return;
      }
    } else {
      int n = Math.min(b.readableBytes(), peek.length - peekLength);
      b.getBytes(b.readerIndex(), peek, peekLength, n);
      peekLength += n;
      if (!last && peekLength < FileTypes.bytesNeeded(peek, peekLength)) {
        return;
      }
    }
    HttpResponse res = head;
    Outcome.Forward f = forward;
    boolean unreadable = coded != null && coded.failed();
    Optional<Detected> told = unreadable ? Optional.empty()
        : FileTypes.ofBytes(peek, peekLength, type, name, rules);
    head = null; // no longer peeking: what is passed on below goes its normal way
    if (told.isPresent() && decided(f, res, told.get(), DownloadOutcome.BLOCKED_BY_BYTES)) {
      closeCoded();
      return;
    }
    try {
      front.relay.passed(res); // content analysis may go on with the peek's decoder (peeked())
    } finally {
      closeCoded(); // whether or not the analysis took it on (or failed to start)
    }
    HttpContent next;
    while ((next = held.poll()) != null && t.up != null) {
      front.relay.body(next);
    }
    if (next != null) {
      next.release(); // the response was cut or blocked by content analysis: the rest is not wanted
    }
    releaseHeld();
  }

  /**
   * A blocked kind was told: the block page (true), or — the site covered — a logged pass (false).
   * {@code res} (and anything held) is released when the page answers.
   */
  private boolean decided(Outcome.Forward f, HttpResponse res, Detected file, DownloadOutcome blocked) {
    DownloadDecision d = f.snapshot().decideDownload(f.decision(), file);
    if (d instanceof DownloadDecision.Lifted l) {
      front.s.metrics().download(DownloadOutcome.LIFTED, file.kind());
      front.s.decisions().downloadLifted(f, l);
      return false;
    }
    if (!(d instanceof DownloadDecision.Block b)) {
      return false;
    }
    front.s.metrics().download(blocked, file.kind());
    ReferenceCountUtil.release(res);
    if (head == res) {
      head = null;
    }
    releaseHeld();
    Upstream u = t.up;
    t.up = null;
    t.keepAliveUp = false;
    if (u != null) {
      u.close(); // the file is not wanted: nothing more of it is read
    }
    front.pauses.resume(ReadPauses.UPSTREAM_FULL);
    if (!t.requestDone) {
      t.closeAfter = true;
    }
    front.answers.answer(front.s.decisions().downloadBlocked(f, b, !t.closeAfter));
    return true;
  }

  /**
   * While a response that was held passes on: the peek through its content coding, whose decoder
   * the content analysis of the same response goes on with ({@code BodyAnalysis.start}); null
   * when the body has no coding or was not held.
   */
  CodedPeek peeked() {
    return coded;
  }

  /** The connection closed or the exchange is over: anything held is released. */
  void reset() {
    if (head != null) {
      ReferenceCountUtil.release(head);
      head = null;
    }
    releaseHeld();
    closeCoded();
    forward = null;
    rules = null;
    type = null;
    name = null;
  }

  private void releaseHeld() {
    HttpContent c;
    while ((c = held.poll()) != null) {
      c.release();
    }
  }

  private void closeCoded() {
    if (coded != null) {
      coded.close();
      coded = null;
    }
  }

  /**
   * True when a {@code 206}'s single range starts at the file's first byte ({@code Content-Range:
   * bytes 0-...}); a multipart answer has no such header and is judged by its headers.
   */
  private static boolean fromStart(HttpResponse res) {
    String range = res.headers().get(HttpHeaderNames.CONTENT_RANGE);
    if (range == null) {
      return false;
    }
    int i = 0;
    while (i < range.length() && range.charAt(i) == ' ') {
      i++;
    }
    if (!range.regionMatches(true, i, "bytes", 0, 5)) {
      return false;
    }
    i += 5;
    while (i < range.length() && range.charAt(i) == ' ') {
      i++;
    }
    return range.startsWith("0-", i);
  }

  /** True when the body has a content coding: its first bytes are the coding's, not the file's. */
  private static boolean coded(HttpResponse res) {
    String coding = res.headers().get(HttpHeaderNames.CONTENT_ENCODING);
    return coding != null && !HttpHeaderValues.IDENTITY.contentEqualsIgnoreCase(coding.strip());
  }
}
