package org.schoolgate.proxy.intercept;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.HttpClientCodec;
import java.net.InetSocketAddress;
import java.time.Duration;

/**
 * Opens origin connections for intercepted tunnels on the client channel's own event loop (so a
 * request and its response never change threads): raw TCP for relays, or TLS (the upstream
 * context: SNI and name check {@code host}) with an HTTP/1.1 client codec.
 */
final class Origins {
  static final String TLS = "schoolgate-origin-tls";
  static final String HTTP = "schoolgate-origin-http";

  private Origins() {}

  static ChannelFuture connectRaw(Channel client, InetSocketAddress address, Duration timeout) {
    return bootstrap(client, timeout, new ChannelInitializer<Channel>() {
      @Override
      protected void initChannel(Channel ch) {
        // the relay handler is added once connected
      }
    }).connect(address);
  }

  static ChannelFuture connectHttps(Channel client, InetSocketAddress address, String host,
      int port, UpstreamTls tls, Duration timeout, ChannelHandler handler) {
    return bootstrap(client, timeout, new ChannelInitializer<Channel>() {
      @Override
      protected void initChannel(Channel ch) {
        ch.pipeline().addLast(TLS, tls.context().newHandler(ch.alloc(), host, port));
        ch.pipeline().addLast(HTTP, new HttpClientCodec(8192, 64 * 1024, 64 * 1024));
        ch.pipeline().addLast(OriginHandler.NAME, handler);
      }
    }).connect(address);
  }

  private static Bootstrap bootstrap(Channel client, Duration timeout, ChannelHandler init) {
    return new Bootstrap()
        .group(client.eventLoop())
        .channel(NioSocketChannel.class)
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, Math.toIntExact(timeout.toMillis()))
        .option(ChannelOption.TCP_NODELAY, true)
        .handler(init);
  }
}
