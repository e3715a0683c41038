package org.schoolgate.proxy.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.channel.uring.IoUringChannelOption;
import io.netty.channel.uring.IoUringServerSocketChannel;
import io.netty.channel.uring.IoUringSocketChannel;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Each {@code proxy.transport} setting gives its own channels (auto: io_uring, which loads and
 * works on the Linux x86-64 machines the tests run on), and every transport gives accepted and upstream
 * channels {@code TCP_NODELAY} without the proxy setting it again.
 */
class TransportTest {
  @ParameterizedTest
  @CsvSource({"auto, io_uring", "epoll, epoll", "io_uring, io_uring", "nio, nio"})
  void eachSettingChoosesItsTransport(String setting, String expected) {
    Transport t = Transport.choose(TransportChoice.parse(setting));

    assertThat(t.name()).isEqualTo(expected);
    assertThat(t.isNative()).isEqualTo(!expected.equals("nio"));
    assertThat(t.canReusePort()).isEqualTo(t.isNative());
    assertThat(t.serverChannel()).isEqualTo(switch (expected) {
      case "epoll" -> EpollServerSocketChannel.class;
      case "io_uring" -> IoUringServerSocketChannel.class;
      default -> NioServerSocketChannel.class;
    });
    assertThat(t.socketChannel()).isEqualTo(switch (expected) {
      case "epoll" -> EpollSocketChannel.class;
      case "io_uring" -> IoUringSocketChannel.class;
      default -> NioSocketChannel.class;
    });
  }

  @Test
  void anUnknownSettingNamesTheFourAccepted() {
    assertThatThrownBy(() -> TransportChoice.parse("iouring"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("'iouring' is not a transport (expected: auto, epoll, io_uring or nio)");
  }

  @Test
  void nioRefusesTransparentListeners() {
    Transport nio = Transport.choose(TransportChoice.NIO);

    assertThatThrownBy(() -> nio.configure(new ServerBootstrap(), false, true))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("proxy.transparent needs a native transport");
  }

  @ParameterizedTest
  @EnumSource(value = TransportChoice.class, names = {"EPOLL", "IO_URING", "NIO"})
  void acceptedAndUpstreamChannelsHaveNoDelay(TransportChoice choice) throws Exception {
    Transport t = Transport.choose(choice);
    EventLoopGroup loops = t.loops(1, "transport-test");
    try {
      CompletableFuture<Boolean> accepted = new CompletableFuture<>();
      Channel listener = t.configure(new ServerBootstrap().group(loops), t.isNative(), false)
          .childHandler(new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel ch) {
              accepted.complete(ch.config().getOption(ChannelOption.TCP_NODELAY));
            }
          })
          .bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
      Channel up = t.configure(new Bootstrap().group(loops), 5_000, true)
          .handler(new ChannelInboundHandlerAdapter())
          .connect(listener.localAddress()).sync().channel();
      assertThat(listener).isInstanceOf(t.serverChannel());
      assertThat(up).isInstanceOf(t.socketChannel());
      assertThat(up.config().getOption(ChannelOption.TCP_NODELAY)).isTrue();
      assertThat(accepted.get(10, TimeUnit.SECONDS)).isTrue();
      up.close().sync();
      listener.close().sync();
    } finally {
      loops.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    }
  }

  /**
   * With the buffer ring asked for, io_uring sockets read from their loop's ring (multishot
   * receive): both the accepted and the upstream channel carry the ring's group, and 300 KiB go
   * each way through it, arriving whole and in order (the ring's buffers are smaller, so many
   * reads are needed). Not asked for, io_uring reads as before.
   */
  @Test
  void ioUringSocketsReadFromTheLoopsBufferRing() throws Exception {
    assertThat(Transport.choose(TransportChoice.IO_URING).bufferRing()).isFalse(); // off unasked
    Transport t = Transport.choose(TransportChoice.IO_URING).withBufferRing();
    assertThat(t.bufferRing()).isTrue(); // this machine's kernel registers buffer rings
    EventLoopGroup loops = t.loops(1, "transport-ring-test");
    byte[] payload = new byte[300 * 1024];
    for (int i = 0; i < payload.length; i++) {
      payload[i] = (byte) (i * 31 + (i >>> 10));
    }
    try {
      CompletableFuture<Short> acceptedGroup = new CompletableFuture<>();
      Channel listener = t.configure(new ServerBootstrap().group(loops), true, false)
          .childHandler(new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel ch) {
              acceptedGroup.complete(ch.config().getOption(
                  IoUringChannelOption.IO_URING_BUFFER_GROUP_ID));
              ch.pipeline().addLast(new ChannelInboundHandlerAdapter() {
                @Override
                public void channelRead(ChannelHandlerContext ctx, Object msg) {
                  ctx.writeAndFlush(msg); // echo
                }
              });
            }
          })
          .bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
      ByteBuf received = Unpooled.buffer(payload.length);
      CompletableFuture<Void> all = new CompletableFuture<>();
      Channel up = t.configure(new Bootstrap().group(loops), 5_000, true)
          .option(ChannelOption.AUTO_READ, true)
          .handler(new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
              ByteBuf b = (ByteBuf) msg;
              received.writeBytes(b);
              b.release();
              if (received.readableBytes() >= payload.length) {
                all.complete(null);
              }
            }
          })
          .connect(listener.localAddress()).sync().channel();
      assertThat(up.config().getOption(IoUringChannelOption.IO_URING_BUFFER_GROUP_ID))
          .isEqualTo((short) 1);
      up.writeAndFlush(Unpooled.wrappedBuffer(payload)).sync();
      all.get(10, TimeUnit.SECONDS);
      assertThat(acceptedGroup.get(10, TimeUnit.SECONDS)).isEqualTo((short) 1);
      byte[] back = new byte[received.readableBytes()];
      received.readBytes(back);
      assertThat(back).isEqualTo(payload);
      up.close().sync();
      listener.close().sync();
    } finally {
      loops.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    }
  }
}
