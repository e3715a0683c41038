package org.schoolgate.proxy.intercept;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;

/**
 * Copies whatever one channel reads to its peer, flushing at the end of each read batch; when
 * the peer cannot take more, this side stops reading until it can. Closing either side closes
 * the other once what was written has left. Used for WebSocket (and other upgraded) connections
 * inside an intercepted tunnel, and for a tunnel handed back untouched. Both channels share one
 * event loop.
 */
final class RawRelay extends ChannelInboundHandlerAdapter {
  static final String NAME = "schoolgate-relay";

  private final Channel peer;

  RawRelay(Channel peer) {
    this.peer = peer;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!peer.isActive() || !(msg instanceof io.netty.buffer.ByteBuf)) {
      ReferenceCountUtil.release(msg); // e.g. the end marker an HTTP decoder emitted before it left
      return;
    }
    peer.write(msg, peer.voidPromise());
    if (!peer.isWritable()) {
      peer.flush();
      ctx.channel().config().setAutoRead(false);
    }
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
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
