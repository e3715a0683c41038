package org.schoolgate.proxy.http;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import org.schoolgate.proxy.metrics.ProxyMetrics.UpstreamError;
import org.schoolgate.proxy.pages.ErrorPage;
import org.schoolgate.proxy.upstream.Upstream;
import org.schoolgate.proxy.upstream.UpstreamListener;

/**
 * The response's way down, told by the upstream connection bound to the exchange (on the shared
 * event loop): interim answers pass on (not to an HTTP/1.0 client), the head is framed for the
 * client ({@link ForwardHeaders}), body parts stream with back-pressure (the origin is not read
 * while the client cannot take more), and the end releases the connection to its loop's pool
 * when the exchange left it reusable. A 101 to an upgrade request turns both connections into
 * relays. A connection that closes before answering is retried once on a new one when it came
 * from the pool and the request had no body; otherwise, and on the idle timeout, the client gets
 * a page — or is closed when the response had started and can no longer be completed.
 */
final class UpstreamRelay implements UpstreamListener {
  private final FrontHandler front;
  private final ChannelHandlerContext ctx;
  private final Turn t;

  UpstreamRelay(FrontHandler front, ChannelHandlerContext ctx) {
    this.front = front;
    this.ctx = ctx;
    this.t = front.turn;
  }

  @Override
  public void upstreamRead(Upstream u, Object msg) {
    if (u != t.up) {
      ReferenceCountUtil.release(msg);
      return;
    }
    if (msg instanceof HttpResponse res) {
      head(res);
      return;
    }
    if (!(msg instanceof HttpContent c)) {
      ReferenceCountUtil.release(msg);
      return;
    }
    if (t.interim) {
      if (t.http10) {
        c.release();
      } else {
        ctx.write(c, ctx.voidPromise()); // ends the interim answer in the encoder too
      }
      if (c instanceof LastHttpContent) {
        t.interim = false;
        ctx.flush();
      }
      return;
    }
    if (front.downloads.active()) {
      front.downloads.content(c); // the first bytes of a possible download: held until its kind is told
      return;
    }
    body(c);
  }

  /** A body piece after the download check: analysed (content), or forwarded. */
  void body(HttpContent c) {
    if (front.gate.active()) {
      front.gate.content(c); // analysed: forwarded, held or cut there
      return;
    }
    forward(c);
  }

  /** Writes a body piece to the client, pausing the origin while the client cannot take more. */
  void forward(HttpContent c) {
    Upstream u = t.up;
    ctx.write(c, ctx.voidPromise());
    if (!ctx.channel().isWritable() && u != null) {
      // stop reading before flushing: the flush may make the client writable again at once, and
      // the writability event (which resumes the origin) must come after the pause, not before
      u.channel().config().setAutoRead(false);
      ctx.flush();
      if (ctx.channel().isWritable() && !front.gate.backlogged()) {
        u.channel().config().setAutoRead(true);
      }
    }
    if (c instanceof LastHttpContent) {
      ended();
    }
  }

  private void head(HttpResponse res) {
    int code = res.status().code();
    if (code == 101) {
      switchProtocols(res);
      return;
    }
    if (code >= 100 && code < 200) {
      t.interim = true; // 100 Continue, 103 Early Hints: the real answer follows
      if (!t.http10) {
        ForwardHeaders.response(res, false);
        ctx.write(res, ctx.voidPromise());
      }
      return;
    }
    t.responseStarted = true;
    t.request = null;
    t.keepAliveUp = HttpUtil.isKeepAlive(res);
    ForwardHeaders.response(res, false);
    if (front.downloads.begin(res)) {
      return; // a download its group may not have (the block page answered), or its first bytes are awaited
    }
    passed(res);
  }

  /** A response head the download check passed: content analysis, framing, written or held. */
  void passed(HttpResponse res) {
    boolean held = front.gate.begin(res); // content analysis: may hold the head (the look-ahead)
    t.closeAfter = ForwardHeaders.frame(res, t.head, t.http10,
        t.closeAfter || front.s.drain().draining());
    if (!held) {
      ctx.write(res, ctx.voidPromise());
    }
  }

  private void ended() {
    front.downloads.reset();
    front.gate.reset();
    t.responseDone = true;
    Upstream u = t.up;
    t.up = null;
    u.release(t.keepAliveUp && t.requestDone && !t.bodyBroken);
    front.pauses.resume(ReadPauses.UPSTREAM_FULL);
    if (!t.requestDone) {
      t.closeAfter = true; // answered before the body was read whole: the rest is not wanted
    }
    if (t.closeAfter) {
      ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
      return;
    }
    ctx.flush();
    front.releaseHeld();
    front.maybeDone();
  }

  /** After a 101: both connections become byte relays (WebSocket and other upgrades). */
  private void switchProtocols(HttpResponse res) {
    if (!t.upgrade) {
      ReferenceCountUtil.release(res);
      t.up.close();
      t.up = null;
      front.answers.failEarly(ErrorPage.UPSTREAM_UNREACHABLE);
      return;
    }
    ForwardHeaders.response(res, true);
    ctx.writeAndFlush(res);
    t.responseStarted = t.responseDone = true;
    Upstream u = t.up;
    t.up = null;
    front.s.tunnels().relayUpgraded(ctx, u);
  }

  @Override
  public void upstreamReadComplete(Upstream u) {
    ctx.flush();
  }

  @Override
  public void upstreamWritabilityChanged(Upstream u) {
    if (u == t.up && u.channel().isWritable()) {
      front.pauses.resume(ReadPauses.UPSTREAM_FULL);
    }
  }

  /** The client can take writes again: read the origin again. */
  void clientWritable() {
    if (t.up != null && !front.gate.backlogged()) { // pieces waiting for analysis resume it when drained
      t.up.channel().config().setAutoRead(true);
    }
  }

  @Override
  public void upstreamClosed(Upstream u) {
    if (u != t.up) {
      return;
    }
    if (front.gate.pending()) {
      // the origin sent the rest and closed while pieces still wait for analysis off the loop:
      // they go on first (their end, if it came, ends the exchange; otherwise this runs then)
      front.gate.whenDrained(() -> upstreamClosed(u));
      return;
    }
    t.up = null;
    front.downloads.reset();
    front.gate.reset();
    if (t.responseStarted) {
      ctx.flush();
      ctx.close(); // the response was cut short: the client must not take it as complete
      return;
    }
    if (u.reused() && !t.retried && !t.bodySent && !t.bodyBroken && t.request != null) {
      t.retried = true; // an idle connection the origin had just closed: once more, on a new one
      front.sender.hold(t.request);
      if (t.requestDone) {
        front.sender.hold(LastHttpContent.EMPTY_LAST_CONTENT);
      }
      front.dialer.connect(t.generation);
      return;
    }
    front.s.metrics().upstreamError(UpstreamError.CONNECT);
    front.answers.failEarly(ErrorPage.UPSTREAM_UNREACHABLE);
  }

  @Override
  public void upstreamTimedOut(Upstream u) {
    if (u != t.up || !t.requestDone) {
      return;
    }
    t.up = null;
    u.close();
    front.downloads.reset();
    front.gate.reset();
    if (t.responseStarted) {
      ctx.close();
      return;
    }
    front.s.metrics().upstreamError(UpstreamError.TIMEOUT);
    front.answers.failEarly(ErrorPage.UPSTREAM_TIMEOUT);
  }
}
