package org.schoolgate.proxy.intercept;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ConnectTimeoutException;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.ssl.SslHandler;
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
 * The origin connection of one intercepted client connection: resolved through the proxy's DNS
 * service (the safe host's address for SafeSearch), opened on the client's event loop, TLS with
 * the origin's name checked (the address first passes the destination check), kept alive across requests to the same host. What the client sends
 * before the handshake completes waits here (the client's reading paused). A failure to resolve,
 * connect or validate the origin's certificate is handed to the owner as the page to show.
 */
final class OriginLink {
  private static final Logger log = LoggerFactory.getLogger(OriginLink.class);

  private final InterceptServices s;
  private final InterceptHandler owner;
  private final ChannelHandlerContext client;
  private final ArrayDeque<HttpObject> pending = new ArrayDeque<>();
  private Channel channel;
  private String dialHost;
  private String host;
  private boolean ready;

  OriginLink(InterceptServices services, InterceptHandler owner, ChannelHandlerContext client) {
    this.s = services;
    this.owner = owner;
    this.client = client;
  }

  /** The open origin channel, or null. */
  Channel channel() {
    return channel;
  }

  /** True when the open connection goes to {@code dialHost} and may take another request. */
  boolean reusableFor(String dialHost) {
    return channel != null && channel.isActive() && dialHost.equals(this.dialHost);
  }

  /** The origin will close after the current response: do not reuse the connection. */
  void closing() {
    dialHost = null;
  }

  /** True when the connection was marked {@link #closing()}. */
  boolean isClosing() {
    return dialHost == null;
  }

  /** Opens a connection for {@code f} (dropping any other), then sends {@code first}. */
  void open(InterceptedRequests.Forward f, HttpObject first) {
    drop();
    dialHost = f.dialHost();
    host = f.host();
    pending.add(first);
    client.channel().config().setAutoRead(false);
    DnsAnswer cached = s.dns().peekCounted(f.dialHost());
    if (cached != null) {
      dial(f, cached);
    } else {
      s.dns().resolve(f.dialHost()).whenComplete((answer, e) ->
          client.executor().execute(() -> dial(f, answer)));
    }
  }

  private void dial(InterceptedRequests.Forward f, DnsAnswer answer) {
    if (!client.channel().isActive() || !f.dialHost().equals(dialHost)) {
      return;
    }
    if (!(answer instanceof DnsAnswer.Resolved r)) {
      s.metrics().upstreamError(UpstreamError.DNS);
      fail(ErrorPage.DNS_FAILED);
      return;
    }
    // the destination check on the address the origin connection goes to
    if (s.requests().destination(client.channel(), f, r.address())
        instanceof InterceptedRequests.Answer refused) {
      drop();
      owner.originRefused(refused.response());
      return;
    }
    ChannelFuture connecting = Origins.connectHttps(client.channel(),
        new InetSocketAddress(r.address(), f.port()), f.host(), f.port(), s.tls(),
        s.connectTimeout(), new OriginHandler(owner));
    Channel opened = connecting.channel();
    channel = opened;
    connecting.addListener(done -> {
      if (!done.isSuccess()) {
        connectFailed(opened, done.cause());
        return;
      }
      opened.pipeline().get(SslHandler.class).handshakeFuture().addListener(hs -> {
        if (hs.isSuccess()) {
          ready(opened);
        } else {
          handshakeFailed(opened, hs.cause());
        }
      });
    });
  }

  /** Sends {@code msg} now, or after the handshake. */
  void send(HttpObject msg) {
    if (!ready) {
      pending.add(msg);
      client.channel().config().setAutoRead(false); // hold no more than what already arrived
      return;
    }
    channel.write(msg, channel.voidPromise());
    if (msg instanceof LastHttpContent || !channel.isWritable()) {
      channel.flush();
    }
    if (!channel.isWritable()) {
      client.channel().config().setAutoRead(false);
    }
  }

  private void ready(Channel opened) {
    if (opened != channel) {
      return;
    }
    ready = true;
    HttpObject msg;
    while ((msg = pending.poll()) != null) {
      channel.write(msg, channel.voidPromise());
    }
    channel.flush();
    if (channel.isWritable()) {
      owner.resumeReading();
    }
  }

  private void connectFailed(Channel opened, Throwable cause) {
    if (opened != channel) {
      return;
    }
    boolean timeout = cause instanceof ConnectTimeoutException;
    s.metrics().upstreamError(timeout ? UpstreamError.TIMEOUT : UpstreamError.CONNECT);
    fail(timeout ? ErrorPage.UPSTREAM_TIMEOUT : ErrorPage.UPSTREAM_UNREACHABLE);
  }

  private void handshakeFailed(Channel opened, Throwable cause) {
    if (opened != channel) {
      return;
    }
    ErrorPage page = UpstreamTls.problem(cause);
    s.metrics().interception(Interception.UPSTREAM_CERTIFICATE_INVALID);
    log.warn("origin {} failed TLS validation ({}): {}", host, page.heading(), cause.toString());
    fail(page);
  }

  /**
   * The origin connection closed. Returns true when that was a failed handshake (already
   * answered with its page), false for an ordinary close.
   */
  boolean closed(Channel closed) {
    if (closed != channel) {
      return true;
    }
    SslHandler tls = closed.pipeline().get(SslHandler.class);
    if (!ready && tls != null && tls.handshakeFuture().isDone() && !tls.handshakeFuture().isSuccess()) {
      handshakeFailed(closed, tls.handshakeFuture().cause());
      return true;
    }
    channel = null;
    ready = false;
    return false;
  }

  private void fail(ErrorPage page) {
    drop();
    owner.originUnavailable(page);
  }

  /** Hands the connection over (for a byte relay); this link forgets it. */
  Channel detach() {
    Channel c = channel;
    channel = null;
    ready = false;
    return c;
  }

  /** Closes the connection, if any, and drops what waited for it. */
  void drop() {
    HttpObject msg;
    while ((msg = pending.poll()) != null) {
      ReferenceCountUtil.release(msg);
    }
    Channel c = channel;
    channel = null;
    ready = false;
    if (c != null) {
      c.close();
    }
  }
}
