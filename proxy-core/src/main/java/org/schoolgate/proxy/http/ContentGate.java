package org.schoolgate.proxy.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import java.util.ArrayDeque;
import org.schoolgate.policy.PolicySnapshot;
import org.schoolgate.policy.content.ContentAction;
import org.schoolgate.policy.content.ContentDecision;
import org.schoolgate.policy.content.ContentRules;
import org.schoolgate.policy.content.ContentVerdict;
import org.schoolgate.policy.content.TextFormat;
import org.schoolgate.proxy.content.AnalysisExecutor;
import org.schoolgate.proxy.content.AnalysisLane;
import org.schoolgate.proxy.content.BodyAnalysis;
import org.schoolgate.proxy.content.HeldBytes;
import org.schoolgate.proxy.diagnostics.LogLimiter;
import org.schoolgate.proxy.filter.Outcome;
import org.schoolgate.proxy.metrics.ProxyMetrics.ContentOutcome;
import org.schoolgate.proxy.upstream.Upstream;

/**
 * Content analysis on one connection's response path, between the origin and {@link
 * UpstreamRelay}'s forwarding. For a response whose group has content rules and whose type is
 * read ({@code TextFormat.of}: HTML, plain text, JSON, event streams):
 * <ul>
 *   <li>every body piece is analysed ({@link BodyAnalysis}) as it passes;
 *   <li>for a group with {@code block} rules the response goes to an HTTP/1.1 client chunked,
 *       so that ending it early is a clean end, not a broken one; an HTML page is held — head
 *       and body — until the look-ahead limit would be passed or the page ended (never more than
 *       the limit: the piece that would pass it is analysed and then decided on, not held), then
 *       replaced by the block page or forwarded;
 *   <li>a later {@code block} (a long page, a stream) ends the response where it is, with the
 *       terminating chunk, and the upstream connection is closed;
 *   <li>at the end (or the cut) the content decision — the policy's precedence: an allow-list
 *       entry, an unblock or a bypass lifts a block to an alert — goes into the access line
 *       ({@link ContentNotes}), from which the alert rules raise the DSL's alert.
 * </ul>
 * A failed analysis blocks for a group with block rules and passes otherwise ({@code
 * ContentRules.onFailure}); both are counted. An analysis that threw (an {@code Error}, on the loop
 * or an analysis thread) is such a failure, also counted ({@code analysis-error}) and logged
 * once with the exception. Confined to the connection's loop.
 */
final class ContentGate {
  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(ContentGate.class);
  /** Lines for analyses that threw: one each, with the exception, a few a minute at most. */
  private static final LogLimiter ERROR_LINES = LogLimiter.perMinute(5);
  private final FrontHandler front;
  private final ChannelHandlerContext ctx;
  private final Turn t;
  private final HeldBytes heldBytes;
  private final ArrayDeque<HttpContent> held = new ArrayDeque<>(8);
  private HttpResponse heldHead;
  private long heldCount;
  private long lookAhead;
  private BodyAnalysis analysis;
  private ContentRules rules;
  private PolicySnapshot snapshot;
  private Outcome.Forward forward;
  private boolean holding;
  private boolean decided;
  private boolean ai;
  private boolean chunked;
  /** The prompt of the exchange's request to an AI chat tool, analysed as it went up, or null. */
  private BodyAnalysis prompt;
  private final ContentNotes notes;
  private final AnalysisExecutor offLoop;
  private final AnalysisLane.Listener laneListener = new AnalysisLane.Listener() {
    @Override
    public void analysed(HttpContent piece) {
      ContentGate.this.analysed(piece);
      if (onDrained != null && (lane == null || lane.waiting() == 0)) {
        Runnable r = onDrained;
        onDrained = null;
        r.run();
      }
    }

    @Override
    public void refused(ArrayDeque<HttpContent> waiting) {
      ContentGate.this.refused(waiting);
    }

    @Override
    public boolean mayRead() {
      return ctx.channel().isWritable();
    }
  };
  /** The response's analysis off the loop, or null while it runs on the loop. */
  private AnalysisLane lane;
  private long analysedBytes;
  /** What to do once the lane has drained (the origin closed while pieces waited), or null. */
  private Runnable onDrained;

  ContentGate(FrontHandler front, ChannelHandlerContext ctx) {
    this.front = front;
    this.ctx = ctx;
    this.t = front.turn;
    this.offLoop = front.s.analysis();
    this.heldBytes = front.s.metrics().heldBytes();
    this.notes = new ContentNotes(front.s.metrics());
  }

  /**
   * The request of a new exchange: when it goes to an AI chat tool whose prompts the policy
   * scores, its body is analysed as it goes up ({@link #promptPart}).
   */
  void request(io.netty.handler.codec.http.HttpRequest req, Outcome.Forward f) {
    dropPrompt();
    PolicySnapshot p = f.snapshot();
    if (p == null || !p.contentPolicy().aiPrompts() || !p.contentPolicy().isAiChat(f.decision().categories())) {
      return;
    }
    ContentRules r = p.contentRules(f.decision().group());
    String type = req.headers().get(HttpHeaderNames.CONTENT_TYPE);
    if (!r.enabled() || type == null) {
      return;
    }
    TextFormat format = TextFormat.of(type).map(x -> x == TextFormat.JSON ? TextFormat.AI_JSON : x)
        .orElse(TextFormat.PLAIN);
    prompt = BodyAnalysis.start(r, format, req.headers().get(HttpHeaderNames.CONTENT_ENCODING), type,
        p.contentPolicy().excerptChars() * 4);
  }

  /** A body part of the request in turn (not consumed). */
  void promptPart(HttpContent c) {
    if (prompt != null) {
      prompt.feed(c.content());
      if (c instanceof LastHttpContent) {
        prompt.end();
      }
      Throwable error = prompt.takeError();
      if (error != null) {
        analysisError(error, "prompt");
      }
    }
  }

  /** The exchange is over, or the connection closed. */
  void dropPrompt() {
    if (prompt != null) {
      prompt.close();
      prompt = null;
    }
  }

  /** True while a response is being analysed: its body pieces go to {@link #content}. */
  boolean active() {
    return analysis != null;
  }

  /**
   * A response head: starts its analysis when its group and type call for it. Returns true when
   * the head is held (the look-ahead); the caller writes it otherwise.
   */
  boolean begin(HttpResponse res) {
    reset();
    Outcome.Forward f = t.forward;
    int code = res.status().code();
    if (f == null || t.head || code == 204 || code == 304 || code == 206 || f.snapshot() == null) {
      return false;
    }
    PolicySnapshot p = f.snapshot();
    ContentRules r = p.contentRules(f.decision().group());
    if (!r.enabled()) {
      return false;
    }
    String type = res.headers().get(HttpHeaderNames.CONTENT_TYPE);
    TextFormat format = TextFormat.of(type).orElse(null);
    if (format == null) {
      return false;
    }
    boolean aiSite = p.contentPolicy().isAiChat(f.decision().categories());
    if (aiSite && format == TextFormat.JSON) {
      format = TextFormat.AI_JSON;
    }
    this.forward = f;
    this.snapshot = p;
    this.rules = r;
    this.ai = aiSite;
    this.lookAhead = p.contentPolicy().lookAheadBytes();
    int excerpt = aiSite ? p.contentPolicy().excerptChars() * 4 : 0;
    analysis = BodyAnalysis.start(r, format, res.headers().get(HttpHeaderNames.CONTENT_ENCODING), type, excerpt,
        front.downloads.peeked()); // a coded download peek's decoder goes on: no byte decoded twice
    front.s.metrics().content(ContentOutcome.ANALYSED);
    if (r.blocks() && !t.http10) {
      res.headers().remove(HttpHeaderNames.CONTENT_LENGTH); // chunked: a cut is a clean end
      HttpUtil.setTransferEncodingChunked(res, true);
    }
    chunked = HttpUtil.isTransferEncodingChunked(res) && !t.http10;
    holding = r.blocks() && format != TextFormat.EVENT_STREAM; // a stream is scored as it goes
    if (holding) {
      heldHead = res;
    }
    return holding;
  }

  /**
   * A body piece of the analysed response (owned: forwarded, held or released here). Analysed on
   * the loop, or — once the response is long or the loop busy ({@link AnalysisExecutor#shouldMove})
   * — on the analysis executor through the response's {@link AnalysisLane}, in order, the origin
   * paused while too many pieces wait.
   */
  void content(HttpContent c) {
    if (lane != null) {
      lane.submit(c);
      return;
    }
    boolean last = c instanceof LastHttpContent;
    if (!last && !analysis.failed() && t.up != null && offLoop.shouldMove(analysedBytes, ctx.executor())) {
      lane = offLoop.lane(analysis, ctx.executor(), t.up.channel(), laneListener);
      front.s.metrics().content(ContentOutcome.MOVED);
      lane.submit(c);
      return;
    }
    analysedBytes += c.content().readableBytes();
    analysis.feed(c.content());
    if (last) {
      analysis.end();
    }
    analysed(c);
  }

  /**
   * True while pieces of the response wait for the analysis executor: an origin that closed
   * after sending them has not cut the response short yet ({@link #whenDrained}).
   */
  boolean pending() {
    return lane != null && lane.waiting() > 0;
  }

  /** Runs {@code r} once the waiting pieces were analysed and passed on (or the response ended). */
  void whenDrained(Runnable r) {
    onDrained = r;
  }

  /** True while pieces wait for the analysis executor in numbers that pause the origin. */
  boolean backlogged() {
    return lane != null && lane.paused();
  }

  /** What was analysed (on the loop or the executor) is held, forwarded or cut. */
  private void analysed(HttpContent c) {
    Throwable error = analysis.takeError();
    if (error != null) {
      analysisError(error, "response");
    }
    boolean last = c instanceof LastHttpContent;
    if (holding) {
      int n = c.content().readableBytes();
      if (!last && !analysis.failed() && heldCount + n <= lookAhead) {
        held.add(c);
        heldCount += n;
        heldBytes.hold(n, heldCount);
        return;
      }
      holding = false;
      ContentDecision d = decision();
      if (d instanceof ContentDecision.Block b) {
        blockPage(b, c);
        return;
      }
      releaseHead();
      if (last) {
        finish(d);
      } else {
        decided = d instanceof ContentDecision.Alert a && a.blockLifted(); // a lifted block stays lifted
      }
      front.relay.forward(c);
      return;
    }
    if (last) {
      finish(decision());
      front.relay.forward(c);
      return;
    }
    if (!decided && (analysis.action() == ContentAction.BLOCK || (analysis.failed() && rules.blocks()))) {
      ContentDecision d = decision();
      decided = true;
      if (d instanceof ContentDecision.Block) {
        cut(d, c);
        return;
      }
    }
    front.relay.forward(c);
  }

  /**
   * An analysis threw (an Error, a bug): it failed, and the group's failure rule applies as for
   * any failed analysis (closed with block rules, open otherwise); counted and logged once here.
   */
  private void analysisError(Throwable error, String what) {
    front.s.metrics().content(ContentOutcome.ERROR);
    long heldBack = ERROR_LINES.admit();
    if (heldBack >= 0) {
      log.warn("content analysis of a {} threw; its analysis failed (blocked for groups with block rules,"
          + " passed for the others){}", what, LogLimiter.note(heldBack), error);
    }
  }

  /** The executor refused the lane's hand-off: the analysis failed; the waiting pieces go on as such. */
  private void refused(ArrayDeque<HttpContent> waiting) {
    lane = null;
    if (analysis != null) {
      analysis.fail("the analysis executor is full");
    }
    HttpContent c;
    while ((c = waiting.poll()) != null) {
      if (analysis == null) {
        c.release(); // blocked or cut by an earlier piece: the rest is not wanted
      } else {
        analysed(c);
      }
    }
  }

  /** The connection closed or the exchange is over: held pieces are released. */
  void reset() {
    if (heldHead != null) {
      io.netty.util.ReferenceCountUtil.release(heldHead);
      heldHead = null;
    }
    HttpContent c;
    while ((c = held.poll()) != null) {
      c.release();
    }
    heldBytes.release(heldCount);
    heldCount = 0;
    if (lane != null) {
      lane.abandon(); // closes the analysis once no piece is being fed
      lane = null;
    } else if (analysis != null) {
      analysis.close();
    }
    analysis = null;
    analysedBytes = 0;
    onDrained = null;
    holding = decided = ai = chunked = false;
    forward = null;
    snapshot = null;
    rules = null;
  }

  private ContentDecision decision() {
    if (analysis.failed()) {
      return rules.onFailure(analysis.failure());
    }
    ContentVerdict v = analysis.verdict();
    if (v instanceof ContentVerdict.Clean) {
      return null;
    }
    return snapshot.decideContent(forward.decision(), v);
  }

  /** The look-ahead decided block: the held response is dropped and the block page answers. */
  private void blockPage(ContentDecision.Block b, HttpContent c) {
    c.release();
    Outcome.Forward f = forward;
    String theme = b.verdict() == null ? "analysis-failed" : b.verdict().deciding().theme().configName();
    notes.note(f.exchange(), b, false, ai, prompt, analysis, snapshot, f.decision());
    Upstream u = t.up;
    t.up = null;
    t.keepAliveUp = false;
    u.close();
    front.pauses.resume(ReadPauses.UPSTREAM_FULL);
    if (!t.requestDone) {
      t.closeAfter = true;
    }
    reset();
    front.answers.answer(front.s.decisions().contentBlocked(f, theme, b.reason(), !t.closeAfter));
  }

  /** A block after part of the response went out: end it here, cleanly, and close the origin. */
  private void cut(ContentDecision d, HttpContent c) {
    c.release();
    ContentDecision.Block b = (ContentDecision.Block) d;
    String theme = b.verdict() == null ? "analysis-failed" : b.verdict().deciding().theme().configName();
    front.s.decisions().markContentBlock(forward, theme, b.reason());
    notes.note(forward.exchange(), d, true, ai, prompt, analysis, snapshot, forward.decision());
    t.keepAliveUp = false;
    t.closeAfter |= !chunked; // without chunks, an early end can only be told by closing
    reset();
    front.relay.forward(LastHttpContent.EMPTY_LAST_CONTENT);
  }

  /** The response ended: its content decision (if any) goes into the access line. */
  private void finish(ContentDecision d) {
    notes.note(forward.exchange(), d, false, ai, prompt, analysis, snapshot, forward.decision());
    BodyAnalysis a = analysis;
    analysis = null;
    if (lane != null) {
      lane.abandon(); // the last piece was analysed: nothing waits
      lane = null;
    } else {
      a.close();
    }
  }

  private void releaseHead() {
    ctx.write(heldHead, ctx.voidPromise());
    heldHead = null;
    HttpContent c;
    while ((c = held.poll()) != null) {
      ctx.write(c, ctx.voidPromise());
    }
    heldBytes.release(heldCount);
    heldCount = 0;
  }
}
