package org.schoolgate.proxy;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import java.util.ArrayDeque;

/**
 * Honours a client's {@code Connection: close}: the response says {@code Connection: close} and
 * the connection is closed once it is written. LittleProxy decides this from the request it sent
 * upstream, whose hop-by-hop {@code Connection} header it has already removed, so an HTTP/1.1
 * client asking to close would otherwise be kept open until the idle timeout.
 *
 * <p>Sits between the codec and LittleProxy, on the connection's event loop; one flag per
 * request in flight (pipelined requests are answered in order). CONNECT requests are left alone:
 * their 2xx answer starts a tunnel.
 */
final class CloseAfterResponse extends ChannelDuplexHandler {
  static final String NAME = "schoolgate-close-after-response";

  private final ArrayDeque<Boolean> closeAfter = new ArrayDeque<>(2);
  private boolean interim;

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof HttpRequest request && request.decoderResult().isSuccess()) {
      closeAfter.addLast(!HttpMethod.CONNECT.equals(request.method()) && !HttpUtil.isKeepAlive(request));
    }
    ctx.fireChannelRead(msg);
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
    boolean close = Boolean.TRUE.equals(closeAfter.peekFirst());
    if (msg instanceof HttpResponse response) {
      int code = response.status().code();
      interim = code >= 100 && code < 200;
      if (close && !interim) {
        response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
      }
    }
    if (msg instanceof LastHttpContent && !closeAfter.isEmpty()) {
      if (interim) {
        interim = false;
      } else {
        closeAfter.pollFirst();
        if (close) {
          ctx.write(msg, promise).addListener(ChannelFutureListener.CLOSE);
          return;
        }
      }
    }
    ctx.write(msg, promise);
  }
}
