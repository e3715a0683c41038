package org.schoolgate.proxy.filter;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.util.ReferenceCountUtil;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.List;
import org.schoolgate.proxy.log.Exchange;
import org.schoolgate.proxy.metrics.ProxyMetrics;
import org.schoolgate.proxy.metrics.ProxyMetrics.Rejection;
import org.schoolgate.proxy.pages.ErrorPage;
import org.schoolgate.proxy.pages.Pages;

/**
 * Answers requests the HTTP decoder could not read, before LittleProxy sees them: an over-long
 * request line gets the 414 page, over-large headers 431, anything else 400, then the connection
 * closes (the decoder discards the rest of the stream). A failure in the middle of a body, or
 * while another response is still being sent, just closes the connection. Logged and counted.
 */
public final class MalformedRequestGuard extends ChannelInboundHandlerAdapter {
  /** Pipeline name. */
  public static final String NAME = "schoolgate-malformed-guard";

  private final Pages pages;
  private final ProxyMetrics metrics;
  private final Clock clock;
  private final ClientSession session;
  private boolean answered;

  public MalformedRequestGuard(Pages pages, ProxyMetrics metrics, Clock clock,
      ClientSession session) {
    this.pages = pages;
    this.metrics = metrics;
    this.clock = clock;
    this.session = session;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof HttpObject http) || !http.decoderResult().isFailure()) {
      ctx.fireChannelRead(msg);
      return;
    }
    Throwable cause = http.decoderResult().cause();
    boolean request = msg instanceof HttpRequest;
    ReferenceCountUtil.release(msg);
    if (answered) {
      return;
    }
    answered = true;
    if (!request || session.exchanges.answering() != null) {
      ctx.close();
      return;
    }
    ErrorPage page = cause instanceof TooLongHttpLineException ? ErrorPage.URI_TOO_LONG
        : cause instanceof TooLongHttpHeaderException ? ErrorPage.HEADERS_TOO_LARGE
        : ErrorPage.BAD_REQUEST;
    metrics.rejected(page == ErrorPage.URI_TOO_LONG ? Rejection.URI_TOO_LONG
        : Rejection.BAD_REQUEST);
    FullHttpResponse response = pages.error(page, false, false);
    Exchange exchange = new Exchange(clock.instant(), System.nanoTime(), session.clientIp)
        .status(page.status().code());
    exchange.decision("reject", null, "malformed-request",
        cause == null ? page.heading() : cause.getClass().getSimpleName(), List.of(),
        ZoneOffset.UTC);
    exchange.bytesOut(response.content().readableBytes());
    session.exchanges.logNow(exchange);
    ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
  }
}
