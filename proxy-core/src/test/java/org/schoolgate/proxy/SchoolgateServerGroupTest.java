package org.schoolgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.EventExecutor;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.littleshoot.proxy.TransportProtocol;

class SchoolgateServerGroupTest {
  private final ChannelHandler setup = new ChannelInboundHandlerAdapter() {
    @Override
    public boolean isSharable() {
      return true;
    }
  };
  private final SchoolgateServerGroup group = new SchoolgateServerGroup("test", 3, setup);
  private final List<Channel> channels = new ArrayList<>();

  @AfterEach
  void shutdown() {
    channels.forEach(Channel::close);
    group.shutdown(false);
  }

  @Test
  void acceptingServingAndUpstreamPoolsAreOneGroup() {
    EventLoopGroup workers = group.getClientToProxyWorkerPoolForTransport(TransportProtocol.TCP);

    assertThat(group.getClientToProxyAcceptorPoolForTransport(TransportProtocol.TCP))
        .isSameAs(workers);
    assertThat(group.getProxyToServerWorkerPoolForTransport(TransportProtocol.TCP))
        .isSameAs(workers);
  }

  @Test
  void upstreamChannelIsRegisteredOnTheLoopThatOpensIt() throws Exception {
    EventLoopGroup workers = group.getProxyToServerWorkerPoolForTransport(TransportProtocol.TCP);
    for (EventExecutor executor : workers) {
      EventLoop loop = (EventLoop) executor;
      for (int i = 0; i < 3; i++) { // round robin would have moved at least one elsewhere
        Channel upstream = loop.submit(() -> {
          NioSocketChannel ch = new NioSocketChannel();
          workers.register(ch);
          return (Channel) ch;
        }).get(5, TimeUnit.SECONDS);
        channels.add(upstream);

        assertThat(upstream.eventLoop()).isSameAs(loop);
        assertThat(upstream.pipeline().first())
            .isInstanceOf(io.netty.handler.flush.FlushConsolidationHandler.class);
        assertThat(upstream.pipeline().get(ConnectionSetup.NAME)).isNull();
      }
    }
  }
}
