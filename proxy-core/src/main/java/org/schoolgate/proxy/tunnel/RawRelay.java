package org.schoolgate.proxy.tunnel;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;

/**
 * Copies whatever one channel reads to its peer, flushing at the end of each read batch; when
 * the peer cannot take more, this side stops reading until it can. Closing either side closes
 * the other once what was written has left; no byte either way for the idle timeout closes both
 * ({@link RelayIdle}, shared by the pair). Used for CONNECT tunnels whose checks passed,
 * WebSocket (and other upgraded) connections, and an intercepted tunnel handed back untouched.
 * Both channels share one event loop.
 */
public final class RawRelay extends ChannelInboundHandlerAdapter {
  public static final String NAME = "schoolgate-relay";

  private final Channel peer;
  private final RelayIdle idle;

  RawRelay(Channel peer, RelayIdle idle) {
    this.peer = peer;
    this.idle = idle;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!peer.isActive() || !(msg instanceof ByteBuf)) {
      ReferenceCountUtil.release(msg); // e.g. the end marker an HTTP decoder emitted before it left
      return;
    }
    peer.write(msg, peer.voidPromise());
    if (!peer.isWritable()) {
      // pause before flushing: the flush may make the peer writable at once, and its writability
      // event (which resumes this side) must not come before the pause
      ctx.channel().config().setAutoRead(false);
      peer.flush();
      if (peer.isWritable()) {
        ctx.channel().config().setAutoRead(true);
      }
    }
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    idle.moved();
    peer.flush();
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    if (ctx.channel().isWritable()) {
      peer.config().setAutoRead(true);
    }
    ctx.fireChannelWritabilityChanged();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    idle.stop();
    closeAfterFlush(peer);
    ctx.fireChannelInactive();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    ctx.close();
  }

  static void closeAfterFlush(Channel channel) {
    if (channel.isActive()) {
      channel.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
    }
  }
}
