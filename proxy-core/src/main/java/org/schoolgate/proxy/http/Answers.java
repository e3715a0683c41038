package org.schoolgate.proxy.http;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ConnectTimeoutException;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import javax.net.ssl.SSLException;
import org.schoolgate.proxy.destination.Destination;
import org.schoolgate.proxy.metrics.ProxyMetrics.Interception;
import org.schoolgate.proxy.metrics.ProxyMetrics.UpstreamError;
import org.schoolgate.proxy.pages.ErrorPage;
import org.schoolgate.proxy.upstream.UpstreamTls;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The proxy's own answers, written in the exchange's turn: block and error pages, the OPTIONS
 * answer, and the page for an origin that could not be asked (its name did not resolve, its
 * address was refused by the destination check, the connect or TLS handshake failed) — which
 * also drops what was waiting to go upstream. A connection whose exchange must end it is closed
 * once the answer is written.
 */
final class Answers {
  private static final Logger log = LoggerFactory.getLogger(Answers.class);

  private final FrontHandler front;
  private final ChannelHandlerContext ctx;
  private final Turn t;

  Answers(FrontHandler front, ChannelHandlerContext ctx) {
    this.front = front;
    this.ctx = ctx;
    this.t = front.turn;
  }

  /** Writes a complete answer of the proxy's own (a block, error or OPTIONS page). */
  void answer(FullHttpResponse page) {
    t.responseStarted = true;
    t.responseDone = true;
    if (t.closeAfter || !HttpUtil.isKeepAlive(page)) {
      t.closeAfter = true;
      HttpUtil.setKeepAlive(page, false);
      ctx.writeAndFlush(page).addListener(ChannelFutureListener.CLOSE);
      return;
    }
    ctx.writeAndFlush(page, ctx.voidPromise());
    front.releaseHeld();
    front.maybeDone();
  }

  /** The origin could not be asked (DNS, connect, TLS, closed): answer with {@code page}. */
  void failEarly(ErrorPage page) {
    failEarly(front.s.pages().error(page, t.head, !t.closeAfter));
  }

  /**
   * The destination check refused the address: the 403 page, or the short 403 for a CONNECT.
   * The access log and the metric already have the refusal.
   */
  void refused(Destination.Refused refused) {
    failEarly(t.tunnel != null
        ? front.s.pages().blockedConnect(t.tunnel.target().host(), refused.decision(),
            !t.closeAfter)
        : front.s.pages().error(ErrorPage.forRefusal(refused.kind()), t.head, !t.closeAfter));
  }

  /**
   * The origin was not asked, or failed before answering: answer {@code page}. A client still
   * waiting for {@code 100 Continue} will not send its body now, so its connection cannot go on.
   */
  private void failEarly(FullHttpResponse page) {
    if (t.expectsContinue && !t.requestDone && !t.closeAfter) {
      t.closeAfter = true;
      HttpUtil.setKeepAlive(page, false);
    }
    front.sender.drop();
    t.forwarding = false;
    t.tunnel = null;
    t.request = null;
    front.pauses.resume(ReadPauses.WAITING);
    answer(page);
  }

  /** The page for a failed connect or handshake, counted. */
  ErrorPage pageFor(Throwable cause) {
    if (cause instanceof ConnectTimeoutException) {
      front.s.metrics().upstreamError(UpstreamError.TIMEOUT);
      return ErrorPage.UPSTREAM_TIMEOUT;
    }
    if (cause instanceof SSLException || cause.getCause() instanceof SSLException) {
      ErrorPage page = UpstreamTls.problem(cause);
      front.s.metrics().interception(Interception.UPSTREAM_CERTIFICATE_INVALID);
      log.warn("origin {} failed TLS validation ({}): {}", front.tunnelHost, page.heading(),
          cause.toString());
      return page;
    }
    front.s.metrics().upstreamError(UpstreamError.CONNECT);
    return ErrorPage.UPSTREAM_UNREACHABLE;
  }
}
