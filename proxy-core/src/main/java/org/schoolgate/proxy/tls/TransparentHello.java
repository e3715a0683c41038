package org.schoolgate.proxy.tls;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.schoolgate.policy.url.UrlParser;
import org.schoolgate.proxy.diagnostics.LogLimiter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The first handler of a redirected TLS connection (transparent mode): where a proxy client says
 * {@code CONNECT host:443} before its ClientHello, a redirected client sends the ClientHello
 * straight away. This handler holds the client's first bytes (at most {@value
 * TunnelInspector#MAX_HELD}, at most the hello timeout) until the ClientHello is read, then hands
 * the front a {@code CONNECT} to the name it carries (its SNI; without one, or when the bytes are
 * not TLS, the original destination's address) on the original destination's port. From there the
 * connection is decided exactly like a proxied CONNECT: identification, the decision, the
 * destination check on the address the proxy resolves for the name, then the tunnel's
 * {@link TunnelInspector} — which this handler feeds the held bytes when the tunnel code removes
 * it — and a raw relay or interception.
 *
 * <p>The front's HTTP answers never reach the wire, as the client speaks TLS: {@code 200
 * Connection established} is dropped, and any other answer (the blocked CONNECT's 403, an error
 * page) closes the connection: a refused TLS handshake, as the tunnel checks refuse. Confined to
 * the channel's loop; never blocks it.
 */
public final class TransparentHello extends ChannelDuplexHandler {
  /** Pipeline name. */
  public static final String NAME = "schoolgate-transparent-hello";
  private static final Logger log = LoggerFactory.getLogger(TransparentHello.class);
  private static final LogLimiter UNNAMED_LINES = LogLimiter.perMinute(20);

  private final InetSocketAddress original;
  private final Duration timeout;
  private ByteBuf held;
  private ScheduledFuture<?> timer;
  private boolean asked;

  /**
   * {@code original}: where the client meant to go, or null when unknown (then a hello without a
   * name cannot be decided and the connection is closed).
   */
  public TransparentHello(InetSocketAddress original, Duration timeout) {
    this.original = original;
    this.timeout = timeout;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    held = ctx.alloc().buffer(1024);
    timer = ctx.executor().schedule(() -> timedOut(ctx), timeout.toNanos(), TimeUnit.NANOSECONDS);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof ByteBuf bytes) || held == null) {
      ReferenceCountUtil.release(msg);
      return;
    }
    if (asked) { // bytes read while the front decides: the inspector gets them with the rest
      held.writeBytes(bytes);
      bytes.release();
      return;
    }
    int room = TunnelInspector.MAX_HELD - held.readableBytes();
    boolean over = bytes.readableBytes() > room;
    held.writeBytes(bytes, bytes.readerIndex(), Math.min(room, bytes.readableBytes()));
    ClientHello hello = ClientHelloParser.parse(held, TunnelInspector.MAX_HELLO);
    if (over) {
      held.writeBytes(bytes, bytes.readerIndex() + room, bytes.readableBytes() - room);
      if (hello == ClientHello.INCOMPLETE) {
        hello = new ClientHello.NotTls("no complete ClientHello");
      }
    }
    bytes.release();
    if (hello != ClientHello.INCOMPLETE) {
      ask(ctx, hello);
    }
  }

  private void timedOut(ChannelHandlerContext ctx) {
    timer = null;
    if (!asked && held != null) {
      ask(ctx, new ClientHello.NotTls("no complete ClientHello within " + timeout.toSeconds()
          + " s"));
    }
  }

  /** Hands the front a CONNECT to the hello's name (else the original address). */
  private void ask(ChannelHandlerContext ctx, ClientHello hello) {
    asked = true;
    if (timer != null) {
      timer.cancel(false);
      timer = null;
    }
    String host = hello instanceof ClientHello.Hello h && h.serverName() != null
        ? serverName(h.serverName()) : null;
    if (host == null && original != null) {
      host = original.getAddress() instanceof Inet6Address
          ? "[" + original.getAddress().getHostAddress() + "]"
          : original.getAddress().getHostAddress();
    }
    if (host == null) {
      long heldBack = UNNAMED_LINES.admit();
      if (heldBack >= 0) {
        log.info("redirected TLS connection from {} closed: no server name and no original"
            + " destination to decide on{}", ctx.channel().remoteAddress(),
            LogLimiter.note(heldBack));
      }
      ctx.close();
      return;
    }
    int port = original != null ? original.getPort() : 443;
    String authority = host + ":" + port;
    FullHttpRequest connect = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.CONNECT,
        authority);
    connect.headers().set(HttpHeaderNames.HOST, authority);
    ctx.channel().config().setAutoRead(false); // the front reads on when it has decided
    ctx.fireChannelRead(connect);
  }

  /** The server name as a host for the CONNECT target, or null when it is not a host name. */
  private static String serverName(String name) {
    try {
      return UrlParser.normalizeHost(name);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
    if (msg instanceof HttpResponse response) {
      boolean established = response.status().code() == 200;
      ReferenceCountUtil.release(msg);
      promise.trySuccess();
      if (!established) {
        ctx.close(); // refused: inside TLS there is no page to show
      }
      return;
    }
    ctx.write(msg, promise);
  }

  /** Removed by the tunnel code once the inspector is in place: the held bytes go on to it. */
  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    if (timer != null) {
      timer.cancel(false);
      timer = null;
    }
    ByteBuf bytes = held;
    held = null;
    if (bytes != null && bytes.isReadable()) {
      ctx.fireChannelRead(bytes);
    } else if (bytes != null) {
      bytes.release();
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    if (timer != null) {
      timer.cancel(false);
      timer = null;
    }
    if (held != null) {
      held.release();
      held = null;
    }
    ctx.fireChannelInactive();
  }
}
