package org.schoolgate.proxy.intercept;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * The origin side of one intercepted connection: hands every response object to the
 * {@link InterceptHandler} that opened it, and tells it about flushes, back-pressure and the
 * connection's end. Exceptions close the origin connection (the handler then answers or closes).
 */
final class OriginHandler extends ChannelInboundHandlerAdapter {
  static final String NAME = "schoolgate-origin";

  private final InterceptHandler owner;

  OriginHandler(InterceptHandler owner) {
    this.owner = owner;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    owner.fromOrigin(ctx.channel(), msg);
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    owner.originReadComplete();
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    owner.originWritabilityChanged(ctx.channel());
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    owner.originClosed(ctx.channel());
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    owner.originFailed(ctx.channel(), cause);
  }
}
