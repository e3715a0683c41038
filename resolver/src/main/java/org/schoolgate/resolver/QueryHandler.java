package org.schoolgate.resolver;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.dns.DatagramDnsQuery;
import io.netty.handler.timeout.IdleStateEvent;
import java.io.IOException;
import org.schoolgate.resolver.wire.BadQuery;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last handler of the UDP channels and of every TCP connection: hands decoded queries and
 * undecodable bytes to {@link Resolution}; closes a TCP connection that went idle. One instance
 * per transport, shared: it keeps no state.
 */
@ChannelHandler.Sharable
final class QueryHandler extends SimpleChannelInboundHandler<Object> {
  private static final Logger log = LoggerFactory.getLogger(QueryHandler.class);
  private final Resolution resolution;
  private final boolean udp;

  QueryHandler(Resolution resolution, boolean udp) {
    this.resolution = resolution;
    this.udp = udp;
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof DatagramDnsQuery query) {
      resolution.query(ctx, query, udp);
    } else if (msg instanceof BadQuery bad) {
      resolution.bad(ctx, bad);
    }
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt instanceof IdleStateEvent) {
      ctx.close();
    } else {
      ctx.fireUserEventTriggered(evt);
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (udp) {
      // a UDP socket error (an ICMP unreachable for an earlier reply, say) is no reason to stop
      log.debug("DNS filter UDP error on {}: {}", ctx.channel().localAddress(), cause.toString());
      return;
    }
    if (!(cause instanceof IOException)) {
      log.debug("DNS filter TCP connection from {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
    }
    ctx.close();
  }
}
