package org.schoolgate.proxy.upstream;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.schoolgate.proxy.metrics.ProxyMetrics;
import org.schoolgate.proxy.transport.Transport;

/**
 * Opens upstream connections on the event loop that asks (the client channel's: a request and
 * its response never change threads) and keeps idle ones in that loop's {@link LoopPool}.
 *
 * <pre>{@code
 * // address: the resolved address the destination check passed; serverName: null for plain HTTP
 * Upstream u = upstreams.pooled(loop, address, 443, "www.example.org"); // null: nothing idle
 * upstreams.open(loop, address, 443, "www.example.org")                 // TLS when named
 *     .addListener(f -> ...);                                            // on loop, after TLS
 * }</pre>
 *
 * An HTTP upstream's pipeline: {@code [tls] → HttpClientCodec → idle → Upstream}. One reader-idle
 * timer serves the silent origin (the proxy's idle timeout) and the pooled connection nobody used
 * (the pool's idle timeout); reader idleness only, so writes carry no listener.
 */
public final class Upstreams {
  private final Transport transport;
  /** Reads of a raw (tunnel) connection: from 16 KiB, growing to 256 KiB while reads fill them. */
  private static final RecvByteBufAllocator TUNNEL_READS =
      new AdaptiveRecvByteBufAllocator(4 * 1024, 16 * 1024, 256 * 1024);
  /** A raw connection's handler until its relay is added: passes everything on. */
  private static final ChannelHandler NOTHING_YET = new Passing();

  @ChannelHandler.Sharable
  private static final class Passing extends ChannelInboundHandlerAdapter {
  }

  private final Map<EventExecutor, LoopPool> pools = new IdentityHashMap<>();
  private final Map<EventExecutor, Bootstrap> raw = new IdentityHashMap<>();
  private final Map<EventExecutor, Bootstrap> rawV4 = new IdentityHashMap<>();
  private final UpstreamTls tls;
  private final Duration connectTimeout;
  private final long readTimeoutNanos;
  private final long poolIdleNanos;
  private final ProxyMetrics metrics;

  /**
   * @param loops the event loops clients are served on (one pool each)
   * @param tls the upstream TLS context for intercepted tunnels, or null when none are
   * @param maxIdlePerKey most idle connections kept per {@link PoolKey} and loop
   * @param maxIdlePerLoop most idle connections kept per loop
   */
  public Upstreams(Transport transport, EventLoopGroup loops, UpstreamTls tls,
      Duration connectTimeout, Duration readTimeout, Duration poolIdle, int maxIdlePerKey,
      int maxIdlePerLoop, ProxyMetrics metrics) {
    this.transport = transport;
    this.tls = tls;
    this.connectTimeout = connectTimeout;
    this.readTimeoutNanos = readTimeout.toNanos();
    this.poolIdleNanos = poolIdle.toNanos();
    this.metrics = metrics;
    for (EventExecutor loop : loops) {
      pools.put(loop, new LoopPool(maxIdlePerKey, maxIdlePerLoop));
      raw.put(loop, rawBootstrap(transport, (EventLoop) loop, false));
      rawV4.put(loop, rawBootstrap(transport, (EventLoop) loop, true));
    }
  }

  private Bootstrap rawBootstrap(Transport transport, EventLoop loop, boolean ipv4) {
    return transport.configure(new Bootstrap().group(loop),
            Math.toIntExact(connectTimeout.toMillis()), ipv4)
        .option(ChannelOption.RCVBUF_ALLOCATOR, TUNNEL_READS)
        .handler(NOTHING_YET);
  }

  /**
   * An idle connection to {@code address:port} (TLS {@code serverName}, null for plain) from
   * {@code loop}'s pool, attached to nobody yet, or null. Allocates nothing.
   */
  public Upstream pooled(EventLoop loop, InetAddress address, int port, String serverName) {
    Upstream u = pool(loop).take(address, port, serverName);
    if (u != null) {
      metrics.upstreamConnection(true);
    }
    return u;
  }

  /**
   * Opens a connection to {@code address:port} on {@code loop}: TLS with SNI and name check
   * {@code serverName} when not null. Completes on {@code loop} once usable; fails with the
   * connect error ({@code ConnectTimeoutException}, {@code ConnectException}) or the handshake's.
   */
  public Future<Upstream> open(EventLoop loop, InetAddress address, int port, String serverName) {
    Promise<Upstream> done = loop.newPromise();
    PoolKey key = new PoolKey(new InetSocketAddress(address, port), serverName);
    Upstream upstream = new Upstream(key, pool(loop), readTimeoutNanos, poolIdleNanos);
    if (serverName != null && tls == null) {
      return done.setFailure(new IllegalStateException("no upstream TLS context: interception"
          + " is not configured"));
    }
    ChannelFuture connecting = bootstrap(loop, address instanceof Inet4Address,
        new ChannelInitializer<Channel>() {
      @Override
      protected void initChannel(Channel ch) {
        if (serverName != null) {
          ch.pipeline().addLast("schoolgate-origin-tls",
              tls.context().newHandler(ch.alloc(), serverName, port));
        }
        ch.pipeline().addLast("schoolgate-origin-http", new HttpClientCodec(new HttpDecoderConfig()
            .setMaxInitialLineLength(8192).setMaxHeaderSize(64 * 1024).setMaxChunkSize(64 * 1024),
            false, false));
        ch.pipeline().addLast("schoolgate-origin-idle", new IdleStateHandler(
            Math.min(readTimeoutNanos, poolIdleNanos), 0, 0, TimeUnit.NANOSECONDS));
        ch.pipeline().addLast(Upstream.NAME, upstream);
      }
    }).connect(key.address());
    metrics.upstreamConnection(false);
    connecting.addListener(f -> {
      if (!f.isSuccess()) {
        done.tryFailure(f.cause());
        return;
      }
      SslHandler ssl = connecting.channel().pipeline().get(SslHandler.class);
      if (ssl == null) {
        done.trySuccess(upstream);
        return;
      }
      ssl.handshakeFuture().addListener(hs -> {
        if (hs.isSuccess()) {
          done.trySuccess(upstream);
        } else {
          done.tryFailure(hs.cause());
          connecting.channel().close();
        }
      });
      connecting.channel().read(); // the handshake needs reading; auto-read is off until attached
    });
    return done;
  }

  /**
   * Opens a raw TCP connection (a tunnel) to {@code address} on {@code loop}, reading off; the
   * relay is added once the tunnel's checks pass. Each loop keeps one bootstrap for these per
   * address family (IPv4 ones get an IPv4 socket: {@code Transport#configure}; no
   * options copied, no initializer added and removed per tunnel), and their reads may grow past
   * an HTTP connection's: a tunnel usually carries a download, read in up to 256 KiB at a time.
   */
  public ChannelFuture openRaw(EventLoop loop, InetSocketAddress address) {
    metrics.upstreamConnection(false);
    Bootstrap b = (address.getAddress() instanceof Inet4Address ? rawV4 : raw).get(loop);
    if (b == null) {
      pool(loop); // throws: not one of the proxy's loops
    }
    return b.connect(address);
  }

  private Bootstrap bootstrap(EventLoop loop, boolean ipv4, ChannelInitializer<Channel> init) {
    return transport.configure(new Bootstrap().group(loop),
        Math.toIntExact(connectTimeout.toMillis()), ipv4).handler(init);
  }

  /** {@code loop}'s pool (package-private for tests that put stand-in connections in it). */
  LoopPool pool(EventLoop loop) {
    LoopPool pool = pools.get(loop);
    if (pool == null) {
      throw new IllegalStateException("event loop " + loop + " is not one of the proxy's"
          + " (expected: upstream connections opened from a client channel's loop)");
    }
    return pool;
  }

  /** Idle pooled connections on every loop (read on each loop; for tests and gauges). */
  int idleOn(EventLoop loop) {
    return pool(loop).size();
  }
}
