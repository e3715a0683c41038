package org.schoolgate.proxy.limits;

import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.schoolgate.proxy.metrics.ProxyMetrics;
import org.schoolgate.proxy.metrics.ProxyMetrics.Refusal;

/**
 * Counts open client connections, in total and per client address, and closes a new one at once
 * (before anything is read) when either count would go over its limit; each refusal is counted
 * by reason. First in every client pipeline; shared by all of them (the counts are atomic; an
 * address's entry lives only while it has connections, changed under the map's bin lock, once
 * per connection opened or closed, never per request).
 */
@Sharable
public final class ConnectionLimiter extends ChannelInboundHandlerAdapter {
  /** Pipeline name. */
  public static final String NAME = "schoolgate-limits";

  private final int maxTotal;
  private final int maxPerClient;
  private final ProxyMetrics metrics;
  private final AtomicInteger total = new AtomicInteger();
  private final ConcurrentHashMap<InetAddress, AtomicInteger> perClient = new ConcurrentHashMap<>();

  public ConnectionLimiter(int maxTotal, int maxPerClient, ProxyMetrics metrics) {
    this.maxTotal = maxTotal;
    this.maxPerClient = maxPerClient;
    this.metrics = metrics;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    InetAddress client = ((InetSocketAddress) ctx.channel().remoteAddress()).getAddress();
    if (total.incrementAndGet() > maxTotal) {
      total.decrementAndGet();
      refuse(ctx, Refusal.TOTAL);
      return;
    }
    AtomicInteger mine = perClient.compute(client, ConnectionLimiter::increment);
    if (mine.get() > maxPerClient) {
      release(client);
      total.decrementAndGet();
      refuse(ctx, Refusal.PER_CLIENT);
      return;
    }
    ctx.channel().closeFuture().addListener(f -> {
      release(client);
      total.decrementAndGet();
    });
    ctx.fireChannelActive();
  }

  private void refuse(ChannelHandlerContext ctx, Refusal reason) {
    metrics.connectionRefused(reason);
    ctx.channel().config().setAutoRead(false);
    ctx.close();
  }

  private static AtomicInteger increment(InetAddress client, AtomicInteger count) {
    AtomicInteger c = count == null ? new AtomicInteger() : count;
    c.incrementAndGet();
    return c;
  }

  /** One connection of {@code client} fewer; the entry goes with its last connection. */
  private void release(InetAddress client) {
    perClient.computeIfPresent(client, (a, c) -> c.decrementAndGet() == 0 ? null : c);
  }

  /** Open connections now (for tests). */
  int open() {
    return total.get();
  }
}
