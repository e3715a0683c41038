package org.schoolgate.proxy.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import java.util.concurrent.CompletableFuture;
import org.schoolgate.identity.Who;
import org.schoolgate.proxy.filter.ClientSession;
import org.schoolgate.proxy.filter.Outcome;
import org.schoolgate.proxy.metrics.ProxyMetrics.Interception;
import org.schoolgate.proxy.diagnostics.LogLimiter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The proxy's front: one per client connection, last in its pipeline, after the codec, the
 * guard and the exchange recorder. It serves plain proxy HTTP (absolute-form requests and
 * CONNECT) and, with a tunnel host, the requests decrypted inside an intercepted tunnel.
 *
 * <p>Design. One exchange at a time, in request order: a request head that arrives while
 * another exchange is still being read or answered waits, with its body ({@link
 * WaitingRequests}), and the client is not read meanwhile — so pipelined requests are answered
 * in order whatever each one's outcome, and the client can never make the proxy hold more than
 * one read's worth.
 * Each exchange is: identify ({@code Decisions.identify}: at once from the connection's cache or
 * a verifier cache hit, otherwise the answer comes back to this loop while the request and its
 * body wait, reading paused) → decide ({@code Decisions} → a typed {@link Outcome}) → act, by
 * the parts this handler makes for its connection, which share the exchange's state
 * ({@link Turn}):
 * <ul>
 *   <li>{@link Answers}: a page of the proxy's own, written in the exchange's turn;
 *   <li>{@link Dialer}: resolve (DNS answers come back to this loop; nothing waits), check the
 *       address ({@code DestinationCheck}, for a pooled connection as for a new one), take an
 *       idle connection for the exact {@code PoolKey} from this loop's pool or open one on this
 *       loop, or open a tunnel;
 *   <li>{@link RequestSender}: the request (hop-by-hop headers dropped, {@code Via} added) and its
 *       body up, with back-pressure;
 *   <li>{@link UpstreamRelay}: the response down the same way, a 101 to relays, retries and
 *       timeouts.
 * </ul>
 * Asynchronous steps carry the exchange's {@code generation}: a late answer for an exchange that
 * is over is dropped. The client stops being read for independent reasons ({@link ReadPauses}):
 * requests are waiting, a step is pending, the upstream cannot take more; reading resumes when
 * none is left. The connection closes after an exchange when the client asked ({@code
 * Connection: close}, HTTP/1.0), when the response can only end by closing, or when the proxy
 * drains.
 */
public final class FrontHandler extends ChannelInboundHandlerAdapter {
  /** Pipeline name. */
  public static final String NAME = "schoolgate-front";
  private static final Logger log = LoggerFactory.getLogger(FrontHandler.class);
  private static final LogLimiter HANDSHAKE_LINES = LogLimiter.perMinute(20);

  final FrontServices s;
  final ClientSession session;
  final String tunnelHost;
  private final int tunnelPort;
  final Turn turn = new Turn();
  private ChannelHandlerContext ctx;
  // this connection's parts, made once the handler knows its context
  private WaitingRequests waiting;
  ReadPauses pauses;
  Answers answers;
  Dialer dialer;
  RequestSender sender;
  UpstreamRelay relay;

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
    this.waiting = new WaitingRequests(this, ctx.channel());
    this.pauses = new ReadPauses(ctx.channel());
    this.answers = new Answers(this, ctx);
    this.dialer = new Dialer(this, ctx);
    this.sender = new RequestSender(this);
    this.relay = new UpstreamRelay(this, ctx);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    Turn t = turn;
    if (msg instanceof Rejected && t.busy && t.responseDone && !t.requestDone && !t.identifying) {
      // the rest of an answered request's body could not be read: it will never end, so its
      // exchange is over and the refusal is answered next (else it would wait for ever)
      t.requestDone = true;
      maybeDone();
    }
    if (waiting.holds(msg)) {
      return;
    }
    if (WaitingRequests.starts(msg)) {
      begin(msg);
    } else {
      content(msg);
    }
  }

  /** A request's turn has come: decide, then act on the outcome. */
  void begin(Object msg) {
    Turn t = turn;
    t.begin();
    if (msg instanceof Rejected r) {
      t.expectsContinue = false;
      s.decisions().rejected(session, r.page(), r.rejection(), r.detail());
      t.head = false;
      t.closeAfter = true;
      t.requestDone = true;
      answers.answer(s.pages().error(r.page(), false, false));
      return;
    }
    HttpRequest req = (HttpRequest) msg;
    t.head = HttpMethod.HEAD.equals(req.method());
    t.http10 = req.protocolVersion().equals(HttpVersion.HTTP_1_0);
    t.closeAfter = !HttpUtil.isKeepAlive(req) || s.drain().draining();
    t.switching = HttpMethod.CONNECT.equals(req.method()) || req.headers().contains("upgrade");
    t.requestDone = msg instanceof LastHttpContent; // a whole request in one object
    t.expectsContinue = HttpUtil.is100ContinueExpected(req);
    CompletableFuture<Who> asked = s.decisions().identify(session, req, tunnelHost != null);
    if (asked.isDone()) {
      act(req, asked.join());
      return;
    }
    // the directory is asked off the loop: hold what follows (body parts wait in WaitingRequests)
    t.identifying = true;
    pauses.pause(ReadPauses.WAITING);
    int gen = t.generation;
    asked.whenComplete((who, e) -> ctx.executor().execute(() -> identified(gen, req, who)));
  }

  /** The answer of an identification that took a round trip, back on this loop. */
  private void identified(int gen, HttpRequest req, Who who) {
    if (gen != turn.generation || !ctx.channel().isActive()) {
      ReferenceCountUtil.release(req);
      return;
    }
    turn.identifying = false;
    pauses.resume(ReadPauses.WAITING);
    act(req, who);
    waiting.next(); // the body parts that arrived meanwhile
  }

  /** Decides {@code req} for {@code who}, then acts on the outcome. */
  private void act(HttpRequest req, Who who) {
    Turn t = turn;
    Outcome outcome = tunnelHost == null ? s.decisions().decide(session, req, who)
        : s.decisions().decideIntercepted(session, req, who, tunnelHost, tunnelPort);
    if (outcome instanceof Outcome.Answer a) {
      if (t.requestDone) {
        ReferenceCountUtil.release(req);
      }
      t.closeAfter |= t.expectsContinue && !t.requestDone; // the body never came: cannot go on
      answers.answer(a.response());
    } else if (outcome instanceof Outcome.Forward f) {
      if (ForwardHeaders.forThisProxy(req)) {
        if (t.requestDone) {
          ReferenceCountUtil.release(req);
        }
        answers.answer(ForwardHeaders.optionsAnswer());
        return;
      }
      t.upgrade = ForwardHeaders.request(req);
      t.request = req;
      t.forward = f;
      t.forwarding = true;
      sender.hold(req);
      dialer.forward(f);
    } else if (outcome instanceof Outcome.Tunnel tunnel) {
      t.tunnel = tunnel;
      dialer.tunnel(tunnel);
    } else {
      t.intercept = ((Outcome.Intercept) outcome).target(); // switched once the CONNECT is read
      if (t.requestDone) {
        s.tunnels().intercept(ctx, t.intercept);
      }
    }
  }

  /** A part of the body of the request in turn. */
  void content(Object msg) {
    if (!(msg instanceof HttpContent c)) {
      ReferenceCountUtil.release(msg);
      return;
    }
    if (turn.forwarding && !turn.requestDone) {
      turn.bodySent |= c.content().isReadable();
      sender.send(c);
    } else {
      c.release();
    }
    if (msg instanceof LastHttpContent) {
      turn.requestDone = true;
      if (turn.intercept != null) {
        s.tunnels().intercept(ctx, turn.intercept);
        return;
      }
      maybeDone();
    }
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    sender.flushBody();
    ctx.fireChannelReadComplete();
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    if (ctx.channel().isWritable()) {
      relay.clientWritable();
    }
    ctx.fireChannelWritabilityChanged();
  }

  /**
   * After a CONNECT or upgrade that did not switch protocols, what the client sent next is HTTP
   * again: decoded in a later task, as the codec may be in the middle of handing over this very
   * request.
   */
  void releaseHeld() {
    if (turn.switching) {
      turn.switching = false;
      RequestCodec codec = ctx.pipeline().get(RequestCodec.class);
      if (codec != null) {
        ctx.executor().execute(codec::release);
      }
    }
  }

  /** The exchange is over when both its request and its answer are: serve what waits. */
  void maybeDone() {
    Turn t = turn;
    if (!t.busy || !t.requestDone || !t.responseDone || t.closeAfter) {
      return;
    }
    t.busy = false;
    t.request = null;
    waiting.next();
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt instanceof IdleStateEvent) {
      if (!turn.busy) {
        ctx.close(); // an idle keep-alive connection
      }
    } else if (evt instanceof FrontServices.Drain) {
      if (!turn.busy) {
        ctx.close();
      } else {
        turn.closeAfter = true;
      }
    } else if (evt instanceof SslHandshakeCompletionEvent hs) {
      if (hs.isSuccess()) {
        s.metrics().interception(Interception.INTERCEPTED);
      } else {
        s.metrics().interception(Interception.CLIENT_HANDSHAKE_FAILED);
        long heldBack = HANDSHAKE_LINES.admit();
        if (heldBack >= 0) {
          log.info("client refused the intercepted connection to {}: {}{}", tunnelHost,
              hs.cause().toString(), LogLimiter.note(heldBack));
        }
        ctx.close();
      }
    }
    ReferenceCountUtil.release(evt);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    turn.generation++;
    waiting.drop();
    sender.drop();
    if (turn.up != null) {
      turn.up.close();
      turn.up = null;
    }
    ctx.fireChannelInactive();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    log.debug("client connection failed", cause);
    ctx.close();
  }
}
