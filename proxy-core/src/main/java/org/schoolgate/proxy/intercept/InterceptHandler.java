package org.schoolgate.proxy.intercept;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;
import org.schoolgate.proxy.filter.InterceptedRequests;
import org.schoolgate.proxy.metrics.ProxyMetrics.Interception;
import org.schoolgate.proxy.metrics.ProxyMetrics.UpstreamError;
import org.schoolgate.proxy.pages.ErrorPage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client side of one intercepted (decrypted) connection, after the TLS and HTTP codec: each
 * request is decided on its full URL ({@link InterceptedRequests}); a block page is answered at
 * once; an allowed request streams to the origin ({@link OriginLink}: one kept-alive TLS
 * connection on the same event loop) and its response streams back, with back-pressure both
 * ways. One request at a time: requests that arrive early (pipelining) wait in order. A
 * {@code 101} answer turns both connections into byte relays. An origin that cannot be reached or
 * whose certificate fails validation → an error page that says why.
 */
final class InterceptHandler extends ChannelInboundHandlerAdapter {
  static final String NAME = "schoolgate-intercept";
  private static final Logger log = LoggerFactory.getLogger(InterceptHandler.class);

  /** Where the current request's body goes. */
  private enum Body { NONE, FORWARD, DISCARD }

  private final InterceptServices s;
  private final String host;
  private final int port;
  private final ArrayDeque<Object> waiting = new ArrayDeque<>();
  private ChannelHandlerContext ctx;
  private OriginLink origin;
  private Body body = Body.NONE;
  private boolean answering;
  private boolean responseStarted;
  private boolean head;
  private boolean closeAfterResponse;

  InterceptHandler(InterceptServices services, String host, int port) {
    this.s = services;
    this.host = host;
    this.port = port;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
    this.origin = new OriginLink(s, this, ctx);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!waiting.isEmpty() || (msg instanceof HttpRequest && (answering || body != Body.NONE))) {
      waiting.add(msg); // pipelined: wait for the current response; read no more meanwhile
      ctx.channel().config().setAutoRead(false);
      return;
    }
    handle(msg);
  }

  private void handle(Object msg) {
    if (msg instanceof HttpRequest request) {
      request(request);
      if (msg instanceof HttpContent content) {
        content(content);
      }
    } else if (msg instanceof HttpContent content) {
      content(content);
    } else {
      ReferenceCountUtil.release(msg);
    }
  }

  private void request(HttpRequest request) {
    if (request.decoderResult().isFailure()) {
      closeAfterResponse = true;
      answer(s.pages().error(ErrorPage.BAD_REQUEST, false, false));
      body = Body.DISCARD;
      return;
    }
    head = HttpMethod.HEAD.equals(request.method());
    closeAfterResponse = !HttpUtil.isKeepAlive(request);
    responseStarted = false;
    InterceptedRequests.Outcome outcome = s.requests().decide(ctx.channel(), request, host, port);
    if (outcome instanceof InterceptedRequests.Answer a) {
      body = Body.DISCARD;
      answer(a.response());
      return;
    }
    InterceptedRequests.Forward f = (InterceptedRequests.Forward) outcome;
    body = Body.FORWARD;
    answering = true;
    if (origin.reusableFor(f.dialHost())) {
      origin.send(request);
    } else {
      origin.open(f, request);
    }
  }

  private void content(HttpContent content) {
    if (body == Body.FORWARD) {
      origin.send(content);
    } else {
      content.release();
    }
    if (content instanceof LastHttpContent) {
      body = Body.NONE;
      if (!answering) {
        next();
      }
    }
  }

  /** The origin could not be asked (DNS, connect, certificate): answer with {@code page}. */
  void originUnavailable(ErrorPage page) {
    originRefused(s.pages().error(page, head, !closeAfterResponse));
  }

  /** The origin was not asked (its address was refused, or it failed): answer {@code response}. */
  void originRefused(FullHttpResponse response) {
    if (!answering || responseStarted) {
      ReferenceCountUtil.release(response);
      ctx.close();
      return;
    }
    if (body == Body.FORWARD) {
      body = Body.DISCARD;
    }
    answering = false;
    resumeReading();
    answer(response);
  }

  /** Writes a complete answer of our own (block or error page). */
  private void answer(FullHttpResponse response) {
    boolean keepAlive = !closeAfterResponse && HttpUtil.isKeepAlive(response);
    ChannelFuture written = ctx.writeAndFlush(response);
    if (!keepAlive) {
      written.addListener(ChannelFutureListener.CLOSE);
    } else if (body == Body.NONE) {
      next();
    }
  }

  void fromOrigin(Channel channel, Object msg) {
    if (channel != origin.channel() || !answering) {
      ReferenceCountUtil.release(msg);
      return;
    }
    boolean upgrading = false;
    if (msg instanceof HttpResponse response) {
      int code = response.status().code();
      if (code >= 100 && code < 200 && code != 101) {
        ctx.write(msg); // interim: the real response follows
        return;
      }
      responseStarted = true;
      upgrading = code == 101;
      if (!upgrading && !HttpUtil.isKeepAlive(response)) {
        origin.closing();
      }
    }
    ctx.write(msg);
    if (upgrading) {
      relay(); // at the 101 head: whatever follows is the new protocol's bytes
      return;
    }
    if (!ctx.channel().isWritable()) {
      ctx.flush();
      channel.config().setAutoRead(false);
    }
    if (msg instanceof LastHttpContent && responseStarted) {
      responseDone();
    }
  }

  private void responseDone() {
    answering = false;
    ctx.flush();
    if (origin.isClosing()) {
      origin.drop();
    }
    if (closeAfterResponse) {
      ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
    } else if (body == Body.NONE) {
      next();
    }
  }

  /** After a 101: both connections become byte relays (WebSocket and other upgrades). */
  private void relay() {
    ctx.flush();
    Channel client = ctx.channel();
    Channel o = origin.detach();
    answering = false;
    body = Body.NONE;
    o.pipeline().replace(OriginHandler.NAME, RawRelay.NAME, new RawRelay(client));
    o.pipeline().remove(HttpClientCodec.class);
    client.pipeline().replace(this, RawRelay.NAME, new RawRelay(o));
    client.pipeline().remove(Interceptor.HTTP);
  }

  /** Serves what waits (requests in order, each with its body), as far as it can. */
  private void next() {
    while (!waiting.isEmpty() && ctx.channel().isActive()) {
      if (waiting.peek() instanceof HttpRequest && (answering || body != Body.NONE)) {
        return;
      }
      handle(waiting.poll());
    }
    resumeReading();
  }

  /** Reads again unless requests are waiting. */
  void resumeReading() {
    if (waiting.isEmpty() && ctx.channel().isActive()) {
      ctx.channel().config().setAutoRead(true);
    }
  }

  void originReadComplete() {
    ctx.flush();
  }

  void originWritabilityChanged(Channel channel) {
    if (channel == origin.channel() && channel.isWritable()) {
      resumeReading();
    }
  }

  void originClosed(Channel channel) {
    if (origin.closed(channel) || !answering) {
      return;
    }
    if (!responseStarted) {
      s.metrics().upstreamError(UpstreamError.CONNECT);
      originUnavailable(ErrorPage.UPSTREAM_UNREACHABLE);
    } else {
      ctx.close(); // the response was cut short: the client must not take it as complete
    }
  }

  void originFailed(Channel channel, Throwable cause) {
    log.debug("origin connection for {} failed", host, cause);
    channel.close();
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    Channel o = origin.channel();
    if (ctx.channel().isWritable() && o != null) {
      o.config().setAutoRead(true);
    }
    ctx.fireChannelWritabilityChanged();
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt instanceof SslHandshakeCompletionEvent hs) {
      if (hs.isSuccess()) {
        s.metrics().interception(Interception.INTERCEPTED);
      } else {
        s.metrics().interception(Interception.CLIENT_HANDSHAKE_FAILED);
        log.info("client refused the intercepted connection to {}: {}", host, hs.cause().toString());
        ctx.close();
      }
    } else if (evt instanceof IdleStateEvent) {
      ctx.close();
    }
    ReferenceCountUtil.release(evt);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    while (!waiting.isEmpty()) {
      ReferenceCountUtil.release(waiting.poll());
    }
    origin.drop();
    ctx.fireChannelInactive(); // LittleProxy's handler, inert, counts the connection closed
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    log.debug("intercepted connection to {} failed", host, cause);
    ctx.close();
  }
}
