package org.schoolgate.proxy.upstream;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One upstream connection and the last handler of its pipeline: while a client exchange uses it
 * ({@link #attach}), everything it reads goes to that exchange's {@link UpstreamListener}; while
 * it waits in its loop's pool, anything it reads (an origin must not speak unasked) or a close
 * removes it from the pool, and so does the pool's idle timeout. Confined to its event loop.
 */
public final class Upstream extends ChannelInboundHandlerAdapter {
  static final String NAME = "schoolgate-upstream";
  private static final Logger log = LoggerFactory.getLogger(Upstream.class);

  private final PoolKey key;
  private final LoopPool pool;
  private final long readTimeoutNanos;
  private final long poolIdleNanos;
  private long lastReadNanos;
  private long pooledAtNanos;
  private Channel channel;
  private UpstreamListener listener;
  private boolean pooled;
  private int uses;

  Upstream(PoolKey key, LoopPool pool, long readTimeoutNanos, long poolIdleNanos) {
    this.key = key;
    this.pool = pool;
    this.readTimeoutNanos = readTimeoutNanos;
    this.poolIdleNanos = poolIdleNanos;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.channel = ctx.channel();
  }

  public PoolKey key() {
    return key;
  }

  public Channel channel() {
    return channel;
  }

  /** True when this connection carried an earlier request (it came from the pool). */
  public boolean reused() {
    return uses > 1;
  }

  /** Hands the connection to {@code l} for one exchange; reading starts. */
  public void attach(UpstreamListener l) {
    this.listener = l;
    this.pooled = false;
    this.lastReadNanos = System.nanoTime();
    uses++;
    channel.config().setAutoRead(true);
  }

  /**
   * Ends the current exchange: the connection goes back to its loop's pool when {@code reusable}
   * (the response was complete, both sides keep alive, the request was sent whole) and the pool
   * has room; otherwise it is closed.
   */
  public void release(boolean reusable) {
    listener = null;
    if (reusable && channel.isActive() && pool.offer(this)) {
      pooled = true;
      pooledAtNanos = System.nanoTime();
      return;
    }
    channel.close();
  }

  /** Closes the connection, out of any exchange. */
  public void close() {
    listener = null;
    channel.close();
  }

  /** Takes the connection out of this handler's hands for a byte relay (after a 101). */
  public void detach() {
    listener = null;
    channel.pipeline().remove(this);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    UpstreamListener l = listener;
    if (l != null) {
      lastReadNanos = System.nanoTime();
      l.upstreamRead(this, msg);
      return;
    }
    ReferenceCountUtil.release(msg);
    ctx.close(); // unasked-for bytes from an idle connection: it cannot be trusted with a request
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    UpstreamListener l = listener;
    if (l != null) {
      l.upstreamReadComplete(this);
    }
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    UpstreamListener l = listener;
    if (l != null) {
      l.upstreamWritabilityChanged(this);
    }
    ctx.fireChannelWritabilityChanged();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    if (pooled) {
      pooled = false;
      pool.remove(this);
    }
    UpstreamListener l = listener;
    listener = null;
    if (l != null) {
      l.upstreamClosed(this);
    }
  }

  /**
   * One reader-idle timer serves both limits (no write is tracked, so writes cost no listener):
   * it fires after the shorter of the two silences, and the elapsed times say which one passed.
   */
  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt instanceof IdleStateEvent idle && idle.state() == IdleState.READER_IDLE) {
      long now = System.nanoTime();
      UpstreamListener l = listener;
      if (pooled && now - pooledAtNanos >= poolIdleNanos) {
        ctx.close();
      } else if (l != null && now - lastReadNanos >= readTimeoutNanos) {
        l.upstreamTimedOut(this);
      }
      return;
    }
    ctx.fireUserEventTriggered(evt);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    log.debug("upstream connection to {} failed", key.address(), cause);
    ctx.close();
  }
}
