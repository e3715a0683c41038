package org.schoolgate.proxy.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import org.schoolgate.proxy.filter.ClientSession;
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
 * Each exchange is identify → decide → act, by the parts this handler makes for its connection,
 * which share the exchange's state ({@link Turn}):
 * <ul>
 *   <li>{@link RequestStart}: identify, decide (a typed {@code Outcome}), hand the outcome on;
 *   <li>{@link Answers}: a page of the proxy's own, written in the exchange's turn;
 *   <li>{@link Dialer}: resolve, check the address, take a pooled connection for the exact
 *       {@code PoolKey} or open one on this loop, or open a tunnel;
 *   <li>{@link RequestSender}: the request and its body up, with back-pressure;
 *   <li>{@link UpstreamRelay}: the response down the same way, a 101 to relays, retries and
 *       timeouts.
 * </ul>
 * Asynchronous steps carry the exchange's {@code generation}: a late answer for an exchange that
 * is over is dropped. The client stops being read for independent reasons ({@link ReadPauses}):
 * requests or body parts are waiting, bytes after a CONNECT are held, the upstream cannot take
 * more; reading resumes when none is left. The connection closes after an exchange when the client asked ({@code
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
  final int tunnelPort;
  final Turn turn = new Turn();
  private ChannelHandlerContext ctx;
  // this connection's parts, made once the handler knows its context
  WaitingRequests waiting;
  RequestStart start;
  ReadPauses pauses;
  Answers answers;
  Dialer dialer;
  RequestSender sender;
  UpstreamRelay relay;
  ContentGate gate;
  DownloadGate downloads;

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
    this.start = new RequestStart(this, ctx);
    this.pauses = new ReadPauses(ctx.channel());
    this.answers = new Answers(this, ctx);
    this.dialer = new Dialer(this, ctx);
    this.sender = new RequestSender(this);
    this.relay = new UpstreamRelay(this, ctx);
    this.gate = new ContentGate(this, ctx);
    this.downloads = new DownloadGate(this, ctx);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    Turn t = turn;
    if (msg instanceof Rejected && t.busy && !t.requestDone && !t.identifying) {
      bodyBroke();
    }
    if (waiting.holds(msg)) {
      return;
    }
    if (WaitingRequests.starts(msg)) {
      start.begin(msg);
    } else {
      content(msg);
    }
  }

  /** A part of the body of the request in turn. */
  void content(Object msg) {
    if (!(msg instanceof HttpContent c)) {
      ReferenceCountUtil.release(msg);
      return;
    }
    if (turn.forwarding && !turn.requestDone) {
      gate.promptPart(c);
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
    pauses.resume(ReadPauses.HELD);
    if (turn.switching) {
      turn.switching = false;
      RequestCodec codec = ctx.pipeline().get(RequestCodec.class);
      if (codec != null) {
        ctx.executor().execute(codec::release);
      }
    }
  }

  /**
   * The rest of the body of the request in turn could not be read (the guard refused it): it
   * will never end, so the request counts as done — its answer, when it is given, ends the
   * exchange and the refusal is answered next, whether the answer came before the refusal or
   * after it (else the refusal would wait for ever behind a body that cannot end). The upstream
   * connection that got part of the body is not reused.
   */
  void bodyBroke() {
    sender.flushBody(); // the parts read before the break go up as they would at a read's end
    turn.requestDone = true;
    turn.bodyBroken = true;
    maybeDone();
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
    } else if (evt == StrictRequestDecoder.HOLDING) {
      pauses.pause(ReadPauses.HELD);
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
    downloads.reset();
    gate.reset();
    gate.dropPrompt();
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
