package org.schoolgate.proxy.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Both transports give accepted and upstream channels {@code TCP_NODELAY} without the proxy
 * setting it again (Netty sets it as the channel is made).
 */
class TransportTest {
  @ParameterizedTest
  @ValueSource(booleans = {true, false})
  void acceptedAndUpstreamChannelsHaveNoDelay(boolean preferNative) throws Exception {
    Transport t = Transport.choose(preferNative);
    assertThat(t.isNative()).isEqualTo(preferNative);
    EventLoopGroup loops = t.loops(1, "transport-test");
    try {
      CompletableFuture<Boolean> accepted = new CompletableFuture<>();
      Channel listener = t.configure(new ServerBootstrap().group(loops), false, false)
          .childHandler(new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel ch) {
              accepted.complete(ch.config().getOption(ChannelOption.TCP_NODELAY));
            }
          })
          .bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
      Channel up = t.configure(new Bootstrap().group(loops), 5_000)
          .handler(new ChannelInboundHandlerAdapter())
          .connect(listener.localAddress()).sync().channel();
      assertThat(up.config().getOption(ChannelOption.TCP_NODELAY)).isTrue();
      assertThat(accepted.get(10, TimeUnit.SECONDS)).isTrue();
      up.close().sync();
      listener.close().sync();
    } finally {
      loops.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    }
  }
}
