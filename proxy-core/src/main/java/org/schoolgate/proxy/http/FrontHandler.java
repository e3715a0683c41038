package org.schoolgate.proxy.http;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ConnectTimeoutException;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import javax.net.ssl.SSLException;
import org.schoolgate.proxy.destination.Destination;
import org.schoolgate.proxy.dns.DnsAnswer;
import org.schoolgate.proxy.filter.ClientSession;
import org.schoolgate.proxy.filter.Outcome;
import org.schoolgate.proxy.metrics.ProxyMetrics.Interception;
import org.schoolgate.proxy.metrics.ProxyMetrics.UpstreamError;
import org.schoolgate.proxy.pages.ErrorPage;
import org.schoolgate.proxy.tls.TunnelTarget;
import org.schoolgate.proxy.upstream.PoolKey;
import org.schoolgate.proxy.upstream.Upstream;
import org.schoolgate.proxy.upstream.UpstreamListener;
import org.schoolgate.proxy.upstream.UpstreamTls;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The proxy's front: one per client connection, last in its pipeline, after the codec, the
 * guard and the exchange recorder. It serves plain proxy HTTP (absolute-form requests and
 * CONNECT) and, with a tunnel host, the requests decrypted inside an intercepted tunnel.
 *
 * <p>Design. One exchange at a time, in request order: a request head that arrives while
 * another exchange is still being read or answered waits, with its body, in {@code waiting},
 * and the client is not read meanwhile — so pipelined requests are answered in order whatever
 * each one's outcome, and the client can never make the proxy hold more than one read's worth.
 * Each exchange is: decide ({@code Decisions} → a typed {@link Outcome}) → act: answer a page;
 * or resolve (DNS answers come back to this loop; nothing waits), take an idle connection for
 * the exact {@link PoolKey} from this loop's pool or open one on this loop, send the request
 * (hop-by-hop headers dropped, {@code Via} added) and stream its body with back-pressure, then
 * stream the response back the same way; or open a tunnel. Asynchronous steps carry the
 * exchange's {@code generation}: a late answer for an exchange that is over is dropped. The
 * client stops being read for three independent reasons (bits in {@code pauses}): requests are
 * waiting, a step is pending, the upstream cannot take more; reading resumes when none is left.
 * The connection closes after an exchange when the client asked ({@code Connection: close},
 * HTTP/1.0), when the response can only end by closing, or when the proxy drains.
 */
public final class FrontHandler extends ChannelInboundHandlerAdapter implements UpstreamListener {
  /** Pipeline name. */
  public static final String NAME = "schoolgate-front";
  private static final Logger log = LoggerFactory.getLogger(FrontHandler.class);
  private static final int PIPELINED = 1;
  private static final int WAITING = 2;
  private static final int UPSTREAM_FULL = 4;

  private final FrontServices s;
  private final ClientSession session;
  private final String tunnelHost;
  private final int tunnelPort;
  private final ArrayDeque<Object> waiting = new ArrayDeque<>(2);
  private final ArrayDeque<HttpObject> unsent = new ArrayDeque<>(2);
  private ChannelHandlerContext ctx;
  private int pauses;
  private int generation;
  private boolean serving;

  // the exchange in progress
  private boolean busy;
  private boolean forwarding;
  private boolean requestDone;
  private boolean responseStarted;
  private boolean responseDone;
  private boolean interim;
  private boolean head;
  private boolean http10;
  private boolean closeAfter;
  private boolean upgrade;
  private boolean switching;
  private boolean bodySent;
  private boolean keepAliveUp;
  private boolean retried;
  private HttpRequest request;
  private Outcome.Tunnel tunnel;
  private Outcome.Forward forward;
  private TunnelTarget intercept;
  private PoolKey key;
  private Upstream up;

  /** A front for plain proxy HTTP. */
  public FrontHandler(FrontServices services, ClientSession session) {
    this(services, session, null, 0);
  }

  /** A front for the requests inside an intercepted tunnel to {@code host:port}. */
  public FrontHandler(FrontServices services, ClientSession session, String host, int port) {
    this.s = services;
    this.session = session;
    this.tunnelHost = host;
    this.tunnelPort = port;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    boolean starts = msg instanceof HttpRequest || msg instanceof Rejected;
    if (starts ? busy || !waiting.isEmpty() : !waiting.isEmpty()) {
      waiting.add(msg);
      pause(PIPELINED);
    } else if (starts) {
      begin(msg);
    } else {
      content(msg);
    }
  }

  private void begin(Object msg) {
    busy = true;
    generation++;
    forwarding = requestDone = responseStarted = responseDone = interim = false;
    upgrade = switching = bodySent = keepAliveUp = retried = false;
    tunnel = null;
    forward = null;
    intercept = null;
    key = null;
    if (msg instanceof Rejected r) {
      s.decisions().rejected(session, r.page(), r.rejection(), r.detail());
      head = false;
      closeAfter = true;
      requestDone = true;
      answer(s.pages().error(r.page(), false, false));
      return;
    }
    HttpRequest req = (HttpRequest) msg;
    head = HttpMethod.HEAD.equals(req.method());
    http10 = req.protocolVersion().equals(HttpVersion.HTTP_1_0);
    closeAfter = !HttpUtil.isKeepAlive(req) || s.drain().draining();
    switching = HttpMethod.CONNECT.equals(req.method()) || req.headers().contains("upgrade");
    requestDone = msg instanceof LastHttpContent; // a whole request in one object
    boolean expectsContinue = HttpUtil.is100ContinueExpected(req);
    Outcome outcome = tunnelHost == null ? s.decisions().decide(session, req)
        : s.decisions().decideIntercepted(session, req, tunnelHost, tunnelPort);
    if (outcome instanceof Outcome.Answer a) {
      if (requestDone) {
        ReferenceCountUtil.release(req);
      }
      closeAfter |= expectsContinue && !requestDone; // the body never came: the connection cannot go on
      answer(a.response());
    } else if (outcome instanceof Outcome.Forward f) {
      if (ForwardHeaders.forThisProxy(req)) {
        if (requestDone) {
          ReferenceCountUtil.release(req);
        }
        answer(ForwardHeaders.optionsAnswer());
        return;
      }
      upgrade = ForwardHeaders.request(req);
      request = req;
      forward = f;
      forwarding = true;
      unsent.add(req);
      dial(f.dialHost(), f.port(), tunnelHost == null ? null : f.host());
    } else if (outcome instanceof Outcome.Tunnel t) {
      tunnel = t;
      dial(t.dialHost(), t.target().port(), null);
    } else {
      intercept = ((Outcome.Intercept) outcome).target(); // switched once the CONNECT is read
      if (requestDone) {
        s.tunnels().intercept(ctx, intercept);
      }
    }
  }

  private void content(Object msg) {
    if (!(msg instanceof HttpContent c)) {
      ReferenceCountUtil.release(msg);
      return;
    }
    if (forwarding && !requestDone) {
      bodySent |= c.content().isReadable();
      toUpstream(c);
    } else {
      c.release();
    }
    if (msg instanceof LastHttpContent) {
      requestDone = true;
      if (intercept != null) {
        s.tunnels().intercept(ctx, intercept);
        return;
      }
      maybeDone();
    }
  }

  /** Resolves {@code dialHost}; then an idle pooled connection, a new one, or a tunnel. */
  private void dial(String dialHost, int port, String serverName) {
    int gen = generation;
    DnsAnswer cached = s.dns().peekCounted(dialHost);
    if (cached != null) {
      resolved(gen, cached, port, serverName);
      return;
    }
    pause(WAITING);
    s.dns().resolve(dialHost).whenComplete((answer, e) ->
        ctx.executor().execute(() -> resolved(gen, answer, port, serverName)));
  }

  private void resolved(int gen, DnsAnswer answer, int port, String serverName) {
    if (gen != generation || !ctx.channel().isActive()) {
      return;
    }
    if (!(answer instanceof DnsAnswer.Resolved r)) {
      s.metrics().upstreamError(UpstreamError.DNS);
      failEarly(ErrorPage.DNS_FAILED);
      return;
    }
    Destination destination = tunnel != null
        ? s.decisions().destinations().tunnel(tunnel, r.address())
        : s.decisions().destinations().forward(session, forward, r.address());
    if (destination instanceof Destination.Refused refused) {
      failEarly(tunnel != null
          ? s.pages().blockedConnect(tunnel.target().host(), refused.decision(), !closeAfter)
          : s.pages().error(ErrorPage.INTERNAL_DESTINATION, head, !closeAfter));
      return;
    }
    if (destination instanceof Destination.AdminOrigin && tunnel == null) {
      s.decisions().destinations().adminOrigin(request, session);
    }
    InetSocketAddress address = new InetSocketAddress(r.address(), port);
    if (tunnel != null) {
      pause(WAITING);
      s.upstreams().openRaw(ctx.channel().eventLoop(), address)
          .addListener(f -> tunnelConnected(gen, f));
      return;
    }
    key = new PoolKey(address, serverName);
    Upstream pooled = s.upstreams().pooled(ctx.channel().eventLoop(), key);
    if (pooled != null) {
      bind(pooled);
    } else {
      connect(gen);
    }
  }

  private void connect(int gen) {
    pause(WAITING); // a pooled connection needs no pause: reading goes on, no epoll change
    s.upstreams().open(ctx.channel().eventLoop(), key, key.address().getPort())
        .addListener(f -> connected(gen, (Future<Upstream>) f));
  }

  private void connected(int gen, Future<Upstream> f) {
    if (gen != generation || !ctx.channel().isActive()) {
      if (f.isSuccess()) {
        f.getNow().close();
      }
      return;
    }
    if (f.isSuccess()) {
      bind(f.getNow());
    } else {
      failEarly(pageFor(f.cause()));
    }
  }

  private void tunnelConnected(int gen, Future<?> f) {
    Channel origin = ((io.netty.channel.ChannelFuture) f).channel();
    if (gen != generation || !ctx.channel().isActive()) {
      origin.close();
      return;
    }
    if (!f.isSuccess()) {
      failEarly(pageFor(f.cause()));
      return;
    }
    s.tunnels().established(ctx, tunnel.target(), origin);
  }

  private void bind(Upstream u) {
    up = u;
    u.attach(this);
    Channel c = u.channel();
    HttpObject msg;
    while ((msg = unsent.poll()) != null) {
      c.write(msg, c.voidPromise());
    }
    if (!c.isWritable()) {
      pause(UPSTREAM_FULL);
    }
    c.flush();
    if (c.isWritable()) {
      resume(UPSTREAM_FULL);
    }
    resume(WAITING);
  }

  private void toUpstream(HttpContent c) {
    Upstream u = up;
    if (u == null) {
      unsent.add(c); // still dialling: reading is paused, this is the rest of one read
      return;
    }
    Channel ch = u.channel();
    ch.write(c, ch.voidPromise());
    if (!ch.isWritable()) {
      pause(UPSTREAM_FULL); // before the flush, whose writability event resumes (see upstreamRead)
      ch.flush();
      if (ch.isWritable()) {
        resume(UPSTREAM_FULL);
      }
    } else if (c instanceof LastHttpContent) {
      ch.flush();
    }
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    if (up != null && forwarding && !requestDone) {
      up.channel().flush();
    }
    ctx.fireChannelReadComplete();
  }

  @Override
  public void upstreamRead(Upstream u, Object msg) {
    if (u != up) {
      ReferenceCountUtil.release(msg);
      return;
    }
    if (msg instanceof HttpResponse res) {
      int code = res.status().code();
      if (code == 101) {
        switchProtocols(res);
        return;
      }
      if (code >= 100 && code < 200) {
        interim = true; // 100 Continue, 103 Early Hints: the real answer follows
        if (!http10) {
          ForwardHeaders.response(res, false);
          ctx.write(res, ctx.voidPromise());
        }
        return;
      }
      responseStarted = true;
      request = null;
      keepAliveUp = HttpUtil.isKeepAlive(res);
      ForwardHeaders.response(res, false);
      closeAfter = ForwardHeaders.frame(res, head, http10, closeAfter || s.drain().draining());
      ctx.write(res, ctx.voidPromise());
      return;
    }
    if (!(msg instanceof HttpContent c)) {
      ReferenceCountUtil.release(msg);
      return;
    }
    if (interim) {
      if (http10) {
        c.release();
      } else {
        ctx.write(c, ctx.voidPromise()); // ends the interim answer in the encoder too
      }
      if (c instanceof LastHttpContent) {
        interim = false;
        ctx.flush();
      }
      return;
    }
    ctx.write(c, ctx.voidPromise());
    if (!ctx.channel().isWritable()) {
      // stop reading before flushing: the flush may make the client writable again at once, and
      // the writability event (which resumes the origin) must come after the pause, not before
      u.channel().config().setAutoRead(false);
      ctx.flush();
      if (ctx.channel().isWritable()) {
        u.channel().config().setAutoRead(true);
      }
    }
    if (c instanceof LastHttpContent) {
      responseEnded();
    }
  }

  private void responseEnded() {
    responseDone = true;
    Upstream u = up;
    up = null;
    u.release(keepAliveUp && requestDone);
    resume(UPSTREAM_FULL);
    if (!requestDone) {
      closeAfter = true; // answered before the body was read whole: the rest is not wanted
    }
    if (closeAfter) {
      ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
      return;
    }
    ctx.flush();
    releaseHeld();
    maybeDone();
  }

  /** After a 101: both connections become byte relays (WebSocket and other upgrades). */
  private void switchProtocols(HttpResponse res) {
    if (!upgrade) {
      ReferenceCountUtil.release(res);
      up.close();
      up = null;
      failEarly(ErrorPage.UPSTREAM_UNREACHABLE);
      return;
    }
    ForwardHeaders.response(res, true);
    ctx.writeAndFlush(res);
    responseStarted = responseDone = true;
    Upstream u = up;
    up = null;
    s.tunnels().relayUpgraded(ctx, u);
  }

  @Override
  public void upstreamReadComplete(Upstream u) {
    ctx.flush();
  }

  @Override
  public void upstreamWritabilityChanged(Upstream u) {
    if (u == up && u.channel().isWritable()) {
      resume(UPSTREAM_FULL);
    }
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    if (ctx.channel().isWritable() && up != null) {
      up.channel().config().setAutoRead(true);
    }
    ctx.fireChannelWritabilityChanged();
  }

  @Override
  public void upstreamClosed(Upstream u) {
    if (u != up) {
      return;
    }
    up = null;
    if (responseStarted) {
      ctx.flush();
      ctx.close(); // the response was cut short: the client must not take it as complete
      return;
    }
    if (u.reused() && !retried && !bodySent && request != null) {
      retried = true; // an idle connection the origin had just closed: once more, on a new one
      unsent.add(request);
      if (requestDone) {
        unsent.add(LastHttpContent.EMPTY_LAST_CONTENT);
      }
      connect(generation);
      return;
    }
    s.metrics().upstreamError(UpstreamError.CONNECT);
    failEarly(ErrorPage.UPSTREAM_UNREACHABLE);
  }

  @Override
  public void upstreamTimedOut(Upstream u) {
    if (u != up || !requestDone) {
      return;
    }
    up = null;
    u.close();
    if (responseStarted) {
      ctx.close();
      return;
    }
    s.metrics().upstreamError(UpstreamError.TIMEOUT);
    failEarly(ErrorPage.UPSTREAM_TIMEOUT);
  }

  /** The origin could not be asked (DNS, connect, TLS, closed): answer with {@code page}. */
  private void failEarly(ErrorPage page) {
    failEarly(s.pages().error(page, head, !closeAfter));
  }

  /** The origin was not asked (its address was refused, or it failed): answer {@code page}. */
  private void failEarly(FullHttpResponse page) {
    HttpObject msg;
    while ((msg = unsent.poll()) != null) {
      ReferenceCountUtil.release(msg);
    }
    forwarding = false;
    tunnel = null;
    request = null;
    resume(WAITING);
    answer(page);
  }

  private ErrorPage pageFor(Throwable cause) {
    if (cause instanceof ConnectTimeoutException) {
      s.metrics().upstreamError(UpstreamError.TIMEOUT);
      return ErrorPage.UPSTREAM_TIMEOUT;
    }
    if (cause instanceof SSLException || cause.getCause() instanceof SSLException) {
      ErrorPage page = UpstreamTls.problem(cause);
      s.metrics().interception(Interception.UPSTREAM_CERTIFICATE_INVALID);
      log.warn("origin {} failed TLS validation ({}): {}", tunnelHost, page.heading(),
          cause.toString());
      return page;
    }
    s.metrics().upstreamError(UpstreamError.CONNECT);
    return ErrorPage.UPSTREAM_UNREACHABLE;
  }

  /** Writes a complete answer of the proxy's own (a block, error or OPTIONS page). */
  private void answer(FullHttpResponse page) {
    responseStarted = true;
    responseDone = true;
    if (closeAfter || !HttpUtil.isKeepAlive(page)) {
      closeAfter = true;
      HttpUtil.setKeepAlive(page, false);
      ctx.writeAndFlush(page).addListener(ChannelFutureListener.CLOSE);
      return;
    }
    ctx.writeAndFlush(page, ctx.voidPromise());
    releaseHeld();
    maybeDone();
  }

  /**
   * After a CONNECT or upgrade that did not switch protocols, what the client sent next is HTTP
   * again: decoded in a later task, as the codec may be in the middle of handing over this very
   * request.
   */
  private void releaseHeld() {
    if (switching) {
      switching = false;
      RequestCodec codec = ctx.pipeline().get(RequestCodec.class);
      if (codec != null) {
        ctx.executor().execute(codec::release);
      }
    }
  }

  private void maybeDone() {
    if (!busy || !requestDone || !responseDone || closeAfter) {
      return;
    }
    busy = false;
    request = null;
    next();
  }

  /** Serves what waits: requests in order, each with its body, as far as it can. */
  private void next() {
    if (serving) {
      return; // an answer given while serving the queue: the loop below goes on
    }
    serving = true;
    try {
      while (!waiting.isEmpty() && ctx.channel().isActive()) {
        Object msg = waiting.peek();
        boolean starts = msg instanceof HttpRequest || msg instanceof Rejected;
        if (starts && busy) {
          return;
        }
        waiting.poll();
        if (starts) {
          begin(msg);
        } else {
          content(msg);
        }
      }
    } finally {
      serving = false;
    }
    if (waiting.isEmpty()) {
      resume(PIPELINED);
    }
  }

  private void pause(int reason) {
    if (pauses == 0) {
      ctx.channel().config().setAutoRead(false);
    }
    pauses |= reason;
  }

  private void resume(int reason) {
    if ((pauses & reason) == 0) {
      return;
    }
    pauses &= ~reason;
    if (pauses == 0 && ctx.channel().isActive()) {
      ctx.channel().config().setAutoRead(true);
    }
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt instanceof IdleStateEvent) {
      if (!busy) {
        ctx.close(); // an idle keep-alive connection
      }
    } else if (evt instanceof FrontServices.Drain) {
      if (!busy) {
        ctx.close();
      } else {
        closeAfter = true;
      }
    } else if (evt instanceof SslHandshakeCompletionEvent hs) {
      if (hs.isSuccess()) {
        s.metrics().interception(Interception.INTERCEPTED);
      } else {
        s.metrics().interception(Interception.CLIENT_HANDSHAKE_FAILED);
        log.info("client refused the intercepted connection to {}: {}", tunnelHost,
            hs.cause().toString());
        ctx.close();
      }
    }
    ReferenceCountUtil.release(evt);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    generation++;
    Object msg;
    while ((msg = waiting.poll()) != null) {
      ReferenceCountUtil.release(msg);
    }
    while ((msg = unsent.poll()) != null) {
      ReferenceCountUtil.release(msg);
    }
    if (up != null) {
      up.close();
      up = null;
    }
    ctx.fireChannelInactive();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    log.debug("client connection failed", cause);
    ctx.close();
  }
}
