package org.schoolgate.proxy.http;

import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.group.ChannelGroup;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.AttributeKey;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.schoolgate.proxy.filter.ClientSession;
import org.schoolgate.proxy.intercept.Interceptor;
import org.schoolgate.proxy.limits.ConnectionLimiter;
import org.schoolgate.proxy.log.AccessLog;
import org.schoolgate.proxy.log.ExchangeRecorder;
import org.schoolgate.proxy.log.Exchanges;
import org.schoolgate.proxy.metrics.ProxyMetrics;
import org.schoolgate.proxy.tls.TransparentHello;

/**
 * Builds every client connection's pipeline, in this order:
 * <pre>
 *   limits → idle → http codec → guard → exchange recorder → front
 * </pre>
 * (a redirected TLS connection has a {@link TransparentHello} in place of the codec and guard)
 * and, inside an intercepted tunnel, after the TLS handler the interceptor adds before the
 * recorder: {@code http codec → guard}, and a front for the tunnel's host at the tail (also
 * {@link Interceptor.HttpLayer}). The connection's {@link ClientSession} stays with its channel
 * through the switch.
 */
public final class ClientPipeline extends ChannelInitializer<Channel>
    implements Interceptor.HttpLayer {
  private static final AttributeKey<ClientSession> SESSION =
      AttributeKey.valueOf("schoolgate.session");
  /** Pipeline name of the client's idle handler. */
  public static final String IDLE = "schoolgate-idle";

  private final FrontServices services;
  private final ConnectionLimiter limiter;
  private final AccessLog accessLog;
  private final ProxyMetrics metrics;
  private final ChannelGroup clients;
  private final int maxRequestLine;
  private final Duration headTimeout;
  private final long idleNanos;
  private final ClientSession.Listener listener;
  private final Function<Channel, InetSocketAddress> originals;
  private final Duration helloTimeout;

  public ClientPipeline(FrontServices services, ConnectionLimiter limiter, AccessLog accessLog,
      ProxyMetrics metrics, ChannelGroup clients, int maxRequestLine, Duration headTimeout,
      Duration idleTimeout) {
    this.services = services;
    this.limiter = limiter;
    this.accessLog = accessLog;
    this.metrics = metrics;
    this.clients = clients;
    this.maxRequestLine = maxRequestLine;
    this.headTimeout = headTimeout;
    this.idleNanos = idleTimeout.toNanos();
    this.listener = ClientSession.Listener.PROXY;
    this.originals = null;
    this.helloTimeout = null;
  }

  private ClientPipeline(ClientPipeline base, ClientSession.Listener listener,
      Function<Channel, InetSocketAddress> originals, Duration helloTimeout) {
    this.services = base.services;
    this.limiter = base.limiter;
    this.accessLog = base.accessLog;
    this.metrics = base.metrics;
    this.clients = base.clients;
    this.maxRequestLine = base.maxRequestLine;
    this.headTimeout = base.headTimeout;
    this.idleNanos = base.idleNanos;
    this.listener = listener;
    this.originals = originals;
    this.helloTimeout = helloTimeout;
  }

  /**
   * The same pipeline for connections accepted by another {@code listener}: transparent HTTP
   * and the page listener get the HTTP handlers (their origin-form requests are decided on
   * {@code Host}); transparent TLS gets a {@link TransparentHello} (within {@code helloTimeout})
   * in their place. {@code originals} reads each connection's original destination (null: none).
   */
  public ClientPipeline forListener(ClientSession.Listener listener,
      Function<Channel, InetSocketAddress> originals, Duration helloTimeout) {
    return new ClientPipeline(this, listener, originals, helloTimeout);
  }

  @Override
  protected void initChannel(Channel ch) {
    InetSocketAddress original = originals == null ? null : originals.apply(ch);
    ClientSession session = new ClientSession((InetSocketAddress) ch.remoteAddress(),
        new Exchanges(accessLog), listener, (InetSocketAddress) ch.localAddress(), original);
    ch.attr(SESSION).set(session);
    ChannelPipeline p = ch.pipeline();
    p.addLast(ConnectionLimiter.NAME, limiter);
    // reader idleness: no listener on every write; the front closes only a connection with no
    // exchange in flight, and a tunnel swaps in an all-idle handler (Tunnels)
    p.addLast(IDLE, new IdleStateHandler(idleNanos, 0, 0, TimeUnit.NANOSECONDS));
    if (listener == ClientSession.Listener.TRANSPARENT_TLS
        || listener == ClientSession.Listener.PAGES_TLS) {
      p.addLast(TransparentHello.NAME, new TransparentHello(original, helloTimeout));
    } else {
      p.addLast(RequestCodec.NAME, new RequestCodec(maxRequestLine, headTimeout));
      p.addLast(RequestGuard.NAME, new RequestGuard());
    }
    p.addLast(ExchangeRecorder.NAME, new ExchangeRecorder(session.exchanges()));
    p.addLast(FrontHandler.NAME, new FrontHandler(services, session));
    clients.add(ch);
    metrics.connectionOpened();
    ch.closeFuture().addListener(f -> metrics.connectionClosed());
  }

  @Override
  public void install(Channel client, String host, int port) {
    ChannelPipeline p = client.pipeline();
    p.addAfter(Interceptor.TLS, RequestCodec.NAME, new RequestCodec(maxRequestLine, headTimeout));
    p.addAfter(RequestCodec.NAME, RequestGuard.NAME, new RequestGuard());
    p.addLast(FrontHandler.NAME, new FrontHandler(services, client.attr(SESSION).get(), host,
        port));
  }
}
