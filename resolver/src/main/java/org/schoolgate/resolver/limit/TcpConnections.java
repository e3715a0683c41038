package org.schoolgate.resolver.limit;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.Map;
import org.schoolgate.resolver.metrics.ResolverMetrics;

/**
 * Caps DNS-over-TCP connections, in all and per client address: one over either cap is closed at
 * once and counted ({@value ResolverMetrics#TCP_REFUSED}). Idle connections are closed by the
 * pipeline's idle handler, so a client cannot hold sockets open for ever. One instance per
 * resolver, shared by its connections: all of them live on the resolver's one event loop, so the
 * counts need no locks.
 */
public final class TcpConnections {
  /** Most DNS-over-TCP connections at once. */
  public static final int MAX_CONNECTIONS = 1024;
  /** Most DNS-over-TCP connections at once from one address. */
  public static final int MAX_PER_CLIENT = 32;

  private final Map<InetAddress, Integer> perClient = new HashMap<>();
  private final ResolverMetrics metrics;
  private int open;

  public TcpConnections(ResolverMetrics metrics) {
    this.metrics = metrics;
  }

  /** A handler for one new connection; it counts the connection while it is open. */
  public ChannelInboundHandlerAdapter handler() {
    return new ChannelInboundHandlerAdapter() {
      private InetAddress counted;

      @Override
      public void channelActive(ChannelHandlerContext ctx) {
        InetAddress client = ((InetSocketAddress) ctx.channel().remoteAddress()).getAddress();
        int mine = perClient.getOrDefault(client, 0);
        if (open >= MAX_CONNECTIONS || mine >= MAX_PER_CLIENT) {
          metrics.tcpRefused();
          ctx.close();
          return;
        }
        open++;
        perClient.put(client, mine + 1);
        counted = client;
        ctx.fireChannelActive();
      }

      @Override
      public void channelInactive(ChannelHandlerContext ctx) {
        if (counted != null) {
          open--;
          perClient.computeIfPresent(counted, (c, n) -> n <= 1 ? null : n - 1);
          counted = null;
        }
        ctx.fireChannelInactive();
      }
    };
  }

  /** Connections open now (for tests). */
  public int open() {
    return open;
  }
}
