package org.schoolgate.proxy.transport;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.ChannelFactory;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.SocketProtocolFamily;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;

/**
 * Which Netty transport the proxy runs on, chosen once at start: epoll when the native library
 * loads (Linux x86-64) and {@code preferNative} is set, NIO otherwise. Every channel gets
 * {@code TCP_NODELAY} (Netty's own default on both transports, set as the channel is made; not
 * set again here, which would cost each connection another system call) and the pooled
 * direct-buffer allocator; with epoll a listening socket may
 * share its port ({@code SO_REUSEPORT}, one listener per event loop) and may accept connections
 * for addresses that are not the machine's ({@code IP_TRANSPARENT}, for a transparent mode later).
 *
 * <pre>{@code
 * Transport t = Transport.choose(true);
 * EventLoopGroup loops = t.loops(2, "schoolgate-worker");
 * new ServerBootstrap().group(loops).channel(t.serverChannel());
 * }</pre>
 */
public final class Transport {
  private final boolean epoll;

  private Transport(boolean epoll) {
    this.epoll = epoll;
  }

  /** Epoll when {@code preferNative} and it is available here, else NIO. */
  public static Transport choose(boolean preferNative) {
    return new Transport(preferNative && Epoll.isAvailable());
  }

  /** {@code epoll} or {@code nio}, for the start-up log line. */
  public String name() {
    return epoll ? "epoll" : "nio";
  }

  /** True on the native epoll transport. */
  public boolean isNative() {
    return epoll;
  }

  /** Why epoll is not used (null when it is, or when it was not asked for). */
  public static Throwable nativeUnavailabilityCause() {
    return Epoll.unavailabilityCause();
  }

  /** {@code threads} event loops whose threads are named {@code name-N}. */
  public EventLoopGroup loops(int threads, String name) {
    IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
    return new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory(name), io);
  }

  public Class<? extends ServerChannel> serverChannel() {
    return epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
  }

  public Class<? extends SocketChannel> socketChannel() {
    return epoll ? EpollSocketChannel.class : NioSocketChannel.class;
  }

  /** True when several listeners can share one port, each on its own loop. */
  public boolean canReusePort() {
    return epoll;
  }

  /**
   * Sets the listener's options: accept backlog, buffers and no-delay for accepted channels,
   * {@code SO_REUSEPORT} when {@code reusePort}, {@code IP_TRANSPARENT} when {@code transparent}.
   */
  public ServerBootstrap configure(ServerBootstrap b, boolean reusePort, boolean transparent) {
    b.channel(serverChannel())
        .option(ChannelOption.SO_BACKLOG, 4096)
        .option(ChannelOption.SO_REUSEADDR, true)
        .option(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
        .childOption(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT);
    if (epoll && reusePort) {
      b.option(EpollChannelOption.SO_REUSEPORT, true);
    }
    if (transparent) {
      if (!epoll) {
        throw new IllegalStateException("proxy.transparent needs the native epoll transport"
            + " (expected: Linux x86-64 with the epoll library, and proxy.native-transport on)");
      }
      b.option(EpollChannelOption.IP_TRANSPARENT, true);
    }
    return b;
  }

  /** Sets the options of an upstream (proxy → origin) channel. */
  public Bootstrap configure(Bootstrap b, int connectTimeoutMillis) {
    return configure(b, connectTimeoutMillis, false);
  }

  /**
   * Like {@link #configure(Bootstrap, int)}, for channels that connect to {@code ipv4} addresses
   * only when that is true: with epoll their socket is then an IPv4 one (one system call fewer
   * per connection than the dual-stack default, which sets {@code IPV6_V6ONLY} off). Channels are
   * made by constructor reference, not reflection.
   */
  public Bootstrap configure(Bootstrap b, int connectTimeoutMillis, boolean ipv4) {
    ChannelFactory<SocketChannel> channels = !epoll ? NioSocketChannel::new
        : ipv4 ? () -> new EpollSocketChannel(SocketProtocolFamily.INET) : EpollSocketChannel::new;
    return b.channelFactory(channels)
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, connectTimeoutMillis)
        .option(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
        .option(ChannelOption.AUTO_READ, false);
  }
}
