package org.schoolgate.proxy.intercept;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ConnectTimeoutException;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import org.schoolgate.proxy.dns.DnsAnswer;
import org.schoolgate.proxy.filter.InterceptedRequests;
import org.schoolgate.proxy.metrics.ProxyMetrics.Interception;
import org.schoolgate.proxy.metrics.ProxyMetrics.UpstreamError;
import org.schoolgate.proxy.pages.ErrorPage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client side of one intercepted (decrypted) connection, after the TLS and HTTP codec: each
 * request is decided on its full URL ({@link InterceptedRequests}); a block page is answered at
 * once; an allowed request streams to the origin over one kept-alive TLS connection on the same
 * event loop and its response streams back. One request at a time: requests that arrive early
 * (pipelining) wait in order. A {@code 101} answer turns both connections into byte relays. The
 * origin's certificate failing validation, an unreachable or unknown origin → an error page.
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
  private Channel origin;
  private String originDialHost;
  private String originHost;
  private boolean originReady;
  private final ArrayDeque<HttpObject> toOrigin = new ArrayDeque<>();
  private Body body = Body.NONE;
  private boolean answering;
  private boolean responseStarted;
  private boolean upgrading;
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
    upgrading = false;
    body = Body.FORWARD;
    InterceptedRequests.Outcome outcome = s.requests().decide(ctx.channel(), request, host, port);
    if (outcome instanceof InterceptedRequests.Answer a) {
      body = Body.DISCARD;
      answer(a.response());
      return;
    }
    InterceptedRequests.Forward f = (InterceptedRequests.Forward) outcome;
    answering = true;
    if (origin != null && origin.isActive() && f.dialHost().equals(originDialHost)) {
      sendToOrigin(request);
    } else {
      toOrigin.add(request);
      connect(f);
    }
  }

  private void content(HttpContent content) {
    boolean last = content instanceof LastHttpContent;
    if (body == Body.FORWARD) {
      sendToOrigin(content);
    } else {
      content.release();
    }
    if (last) {
      body = Body.NONE;
      if (!answering) {
        next();
      }
    }
  }

  private void sendToOrigin(HttpObject msg) {
    if (!originReady) {
      toOrigin.add(msg);
      ctx.channel().config().setAutoRead(false); // hold no more than what already arrived
      return;
    }
    origin.write(msg, origin.voidPromise());
    if (msg instanceof LastHttpContent || !origin.isWritable()) {
      origin.flush();
    }
    if (!origin.isWritable()) {
      ctx.channel().config().setAutoRead(false);
    }
  }

  private void connect(InterceptedRequests.Forward f) {
    dropOrigin();
    originDialHost = f.dialHost();
    originHost = f.host();
    DnsAnswer cached = s.dns().peekCounted(f.dialHost());
    if (cached != null) {
      dial(f, cached);
    } else {
      ctx.channel().config().setAutoRead(false);
      s.dns().resolve(f.dialHost()).whenComplete((answer, e) -> ctx.executor().execute(() -> {
        ctx.channel().config().setAutoRead(true);
        dial(f, answer);
      }));
    }
  }

  private void dial(InterceptedRequests.Forward f, DnsAnswer answer) {
    if (!ctx.channel().isActive()) {
      return;
    }
    if (!(answer instanceof DnsAnswer.Resolved r)) {
      s.metrics().upstreamError(UpstreamError.DNS);
      failRequest(ErrorPage.DNS_FAILED);
      return;
    }
    ChannelFuture connecting = Origins.connectHttps(ctx.channel(),
        new InetSocketAddress(r.address(), f.port()), f.host(), f.port(), s.tls(),
        s.connectTimeout(), new OriginHandler(this));
    origin = connecting.channel();
    connecting.addListener(done -> {
      if (!done.isSuccess()) {
        connectFailed(connecting.channel(), done.cause());
        return;
      }
      SslHandler tls = connecting.channel().pipeline().get(SslHandler.class);
      tls.handshakeFuture().addListener(hs -> {
        if (hs.isSuccess()) {
          originReady(connecting.channel());
        } else {
          handshakeFailed(connecting.channel(), f.host(), hs.cause());
        }
      });
    });
  }

  private void originReady(Channel channel) {
    if (channel != origin) {
      return;
    }
    originReady = true;
    HttpObject msg;
    while ((msg = toOrigin.poll()) != null) {
      origin.write(msg, origin.voidPromise());
    }
    origin.flush();
    if (waiting.isEmpty() && origin.isWritable()) {
      ctx.channel().config().setAutoRead(true);
    }
  }

  private void connectFailed(Channel channel, Throwable cause) {
    if (channel != origin) {
      return;
    }
    boolean timeout = cause instanceof ConnectTimeoutException;
    s.metrics().upstreamError(timeout ? UpstreamError.TIMEOUT : UpstreamError.CONNECT);
    origin = null;
    failRequest(timeout ? ErrorPage.UPSTREAM_TIMEOUT : ErrorPage.UPSTREAM_UNREACHABLE);
  }

  private void handshakeFailed(Channel channel, String name, Throwable cause) {
    if (channel != origin) {
      return;
    }
    ErrorPage page = UpstreamTls.problem(cause);
    s.metrics().interception(Interception.UPSTREAM_CERTIFICATE_INVALID);
    log.warn("origin {} failed TLS validation ({}): {}", name, page.heading(), cause.toString());
    origin = null;
    channel.close();
    failRequest(page);
  }

  /** The origin could not be asked: answer the current request with {@code page}. */
  private void failRequest(ErrorPage page) {
    releaseQueued();
    originReady = false;
    if (body == Body.FORWARD) {
      body = Body.DISCARD;
    }
    answering = false;
    answer(s.pages().error(page, head, !closeAfterResponse));
  }

  /** Writes a complete answer of our own (block or error page). */
  private void answer(FullHttpResponse response) {
    boolean keepAlive = !closeAfterResponse && HttpUtil.isKeepAlive(response);
    ChannelFuture written = ctx.writeAndFlush(response);
    if (!keepAlive) {
      written.addListener(ChannelFutureListener.CLOSE);
      return;
    }
    if (body == Body.NONE) {
      next();
    }
  }

  void fromOrigin(Channel channel, Object msg) {
    if (channel != origin || !answering) {
      ReferenceCountUtil.release(msg);
      return;
    }
    if (msg instanceof HttpResponse response) {
      int code = response.status().code();
      if (code >= 100 && code < 200 && code != 101) {
        ctx.write(msg); // interim: the real response follows
        return;
      }
      responseStarted = true;
      upgrading = code == 101;
      if (!upgrading && !HttpUtil.isKeepAlive(response)) {
        originDialHost = null; // the origin closes after this response
      }
    }
    ctx.write(msg);
    if (upgrading) {
      relay(); // at the 101 head: whatever follows is the new protocol's bytes
      return;
    }
    if (!ctx.channel().isWritable()) {
      ctx.flush();
      origin.config().setAutoRead(false);
    }
    if (msg instanceof LastHttpContent && responseStarted) {
      responseDone();
    }
  }

  private void responseDone() {
    answering = false;
    ctx.flush();
    if (originDialHost == null) {
      dropOrigin();
    }
    if (closeAfterResponse) {
      ctx.writeAndFlush(io.netty.buffer.Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
      return;
    }
    if (body == Body.NONE) {
      next();
    }
  }

  /** After a 101: both connections become byte relays (WebSocket and other upgrades). */
  private void relay() {
    ctx.flush();
    Channel client = ctx.channel();
    Channel o = origin;
    answering = false;
    body = Body.NONE;
    releaseQueued();
    o.pipeline().replace(OriginHandler.NAME, RawRelay.NAME, new RawRelay(client));
    o.pipeline().remove(HttpClientCodec.class);
    client.pipeline().replace(this, RawRelay.NAME, new RawRelay(o));
    client.pipeline().remove(Interceptor.HTTP);
    origin = null;
  }

  /** Serves what waits (requests in order, each with its body), as far as it can. */
  private void next() {
    while (!waiting.isEmpty() && ctx.channel().isActive()) {
      if (waiting.peek() instanceof HttpRequest && (answering || body != Body.NONE)) {
        return;
      }
      handle(waiting.poll());
    }
    if (waiting.isEmpty() && ctx.channel().isActive()) {
      ctx.channel().config().setAutoRead(true);
    }
  }

  void originReadComplete() {
    ctx.flush();
  }

  void originWritabilityChanged(Channel channel) {
    if (channel == origin && channel.isWritable()) {
      ctx.channel().config().setAutoRead(true);
    }
  }

  void originClosed(Channel channel) {
    if (channel != origin) {
      return;
    }
    SslHandler tls = channel.pipeline().get(SslHandler.class);
    if (!originReady && tls != null && tls.handshakeFuture().isDone()
        && !tls.handshakeFuture().isSuccess()) {
      handshakeFailed(channel, originHost, tls.handshakeFuture().cause());
      return;
    }
    origin = null;
    originReady = false;
    if (!answering) {
      return;
    }
    if (!responseStarted) {
      s.metrics().upstreamError(UpstreamError.CONNECT);
      failRequest(ErrorPage.UPSTREAM_UNREACHABLE);
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
    if (ctx.channel().isWritable() && origin != null) {
      origin.config().setAutoRead(true);
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
    releaseQueued();
    while (!waiting.isEmpty()) {
      ReferenceCountUtil.release(waiting.poll());
    }
    dropOrigin();
    ctx.fireChannelInactive(); // LittleProxy's handler, inert, counts the connection closed
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    log.debug("intercepted connection to {} failed", host, cause);
    ctx.close();
  }

  private void releaseQueued() {
    HttpObject msg;
    while ((msg = toOrigin.poll()) != null) {
      ReferenceCountUtil.release(msg);
    }
  }

  private void dropOrigin() {
    if (origin != null) {
      Channel o = origin;
      origin = null;
      originReady = false;
      o.close();
    }
  }
}
