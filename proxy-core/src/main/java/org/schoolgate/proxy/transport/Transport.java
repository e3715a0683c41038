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
import io.netty.channel.unix.UnixChannelOption;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringAdaptiveBufferRingAllocator;
import io.netty.channel.uring.IoUringBufferRingConfig;
import io.netty.channel.uring.IoUringChannelOption;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringIoHandlerConfig;
import io.netty.channel.uring.IoUringServerSocketChannel;
import io.netty.channel.uring.IoUringSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;

/**
 * Which Netty transport the proxy runs on, chosen once at start from {@link TransportChoice}:
 * epoll, io_uring (both Linux, native) or Java NIO. Every channel the proxy makes — listeners,
 * upstream dials, tunnels, interception's origin links — comes from here, so all of them share
 * the event loops' kind. Every channel gets {@code TCP_NODELAY} (Netty's own default on all three,
 * set as the channel is made; not set again here, which would cost each connection another
 * system call) and the pooled direct-buffer allocator; on the native transports a listening
 * socket may share its port ({@code SO_REUSEPORT}, one listener per event loop) and may accept
 * connections for addresses that are not the machine's ({@code IP_TRANSPARENT}, transparent
 * mode's TPROXY). On io_uring, sockets may read from a provided-buffer ring per loop (off
 * unless the system property {@code schoolgate.iouring.bufferRing=true} asks for it).
 *
 * <pre>{@code
 * Transport t = Transport.choose(TransportChoice.AUTO);
 * EventLoopGroup loops = t.loops(2, "schoolgate-worker");
 * new ServerBootstrap().group(loops).channel(t.serverChannel());
 * }</pre>
 */
public final class Transport {
  private enum Kind { EPOLL, IO_URING, NIO }

  /** How long each step of io_uring's start-up probe may take (a working one takes a few ms). */
  private static final java.time.Duration PROBE_CEILING = java.time.Duration.ofSeconds(5);

  private final Kind kind;
  /**
   * Whether io_uring sockets read from a provided-buffer ring, one per event loop (multishot
   * receive: one receive stays armed per socket, and a buffer is taken only when bytes arrive).
   * Off unless the system property {@code schoolgate.iouring.bufferRing=true} asks for it, and
   * then only where the kernel registers buffer rings (Linux 5.19+): side by side it gave
   * 0.44-1.33x the CPU per new tunnel (median 0.88 over 14 rounds, two runs for it and two
   * against), block pages 5 % dearer and 87 MB more resident memory under load
   * (benchmarks/README.md, "CPU per tunnel, round 8"), so it waits for a quiet-machine run.
   */
  private static final boolean BUFFER_RING_ASKED =
      Boolean.getBoolean("schoolgate.iouring.bufferRing");
  /** The ring's buffer group id (any one id; the proxy has one ring per loop). */
  private static final short BUFFER_GROUP = 1;
  /** Buffers in a loop's ring (a power of two): only bytes in flight take one. */
  private static final short RING_BUFFERS = 1024;

  /** True when io_uring sockets read from their loop's buffer ring. */
  private final boolean bufferRing;

  private Transport(Kind kind) {
    this(kind, BUFFER_RING_ASKED);
  }

  private Transport(Kind kind, boolean bufferRing) {
    this.kind = kind;
    this.bufferRing = kind == Kind.IO_URING && bufferRing
        && IoUring.isRegisterBufferRingSupported();
  }

  /** This transport with io_uring's buffer ring on (where the kernel has it), for tests. */
  Transport withBufferRing() {
    return new Transport(kind, true);
  }

  /** True when io_uring sockets read from their loop's buffer ring. */
  boolean bufferRing() {
    return bufferRing;
  }

  /**
   * The transport {@code choice} names. {@code auto} is io_uring where it loads and passes {@link
   * IoUringProbe}, else epoll where it loads, else NIO (one log line says which and why);
   * {@code epoll} and {@code io_uring} must load here, and io_uring must pass {@link
   * IoUringProbe}'s loopback connection.
   *
   * @throws IllegalStateException when {@code epoll} or {@code io_uring} cannot be used here,
   *     naming the cause (library not loaded, io_uring switched off by the kernel or a sandbox)
   */
  public static Transport choose(TransportChoice choice) {
    return switch (choice) {
      case AUTO -> auto();
      case EPOLL -> {
        if (!Epoll.isAvailable()) {
          throw unavailable("epoll", Epoll.unavailabilityCause(),
              "Linux x86-64; or transport: auto, which picks io_uring, epoll or nio,"
              + " whichever works here");
        }
        yield new Transport(Kind.EPOLL);
      }
      case IO_URING -> {
        if (!IoUring.isAvailable()) {
          throw unavailable("io_uring", IoUring.unavailabilityCause(), "Linux 5.14 or later on"
              + " x86-64 with io_uring allowed (sysctl kernel.io_uring_disabled = 0, no seccomp"
              + " filter blocking io_uring_setup, as container runtimes' defaults do); or"
              + " transport: epoll");
        }
        if (IoUringProbe.run(PROBE_CEILING) instanceof IoUringProbe.Failed failed) {
          throw new IllegalStateException("proxy.transport: io_uring loads here but does not"
              + " work: " + failed.why() + " (expected: a seccomp profile that allows"
              + " io_uring_setup, io_uring_enter and io_uring_register together; or transport:"
              + " epoll)");
        }
        yield new Transport(Kind.IO_URING);
      }
      case NIO -> new Transport(Kind.NIO);
    };
  }

  /**
   * io_uring if it loads and a loopback connection over it works, else epoll, else NIO: logged
   * in one line naming the choice and, for a fall-back, why the better ones could not be used.
   */
  private static Transport auto() {
    org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(Transport.class);
    String uring;
    if (!IoUring.isAvailable()) {
      uring = "io_uring cannot load here (" + IoUring.unavailabilityCause() + ")";
    } else if (IoUringProbe.run(PROBE_CEILING) instanceof IoUringProbe.Failed failed) {
      uring = "io_uring loads but does not work: " + failed.why();
    } else {
      log.info("proxy.transport: auto: io_uring (it loads, and a loopback connection over it"
          + " worked)");
      return new Transport(Kind.IO_URING);
    }
    if (Epoll.isAvailable()) {
      log.info("proxy.transport: auto: epoll ({})", uring);
      return new Transport(Kind.EPOLL);
    }
    log.warn("proxy.transport: auto: Java NIO ({}; epoll cannot load here ({}))", uring,
        String.valueOf(Epoll.unavailabilityCause()));
    return new Transport(Kind.NIO);
  }

  private static IllegalStateException unavailable(String what, Throwable cause, String expected) {
    return new IllegalStateException("proxy.transport: " + what + " is not available here ("
        + cause + ") (expected: " + expected + ")", cause);
  }

  /** {@code epoll}, {@code io_uring} or {@code nio}, for the start-up log line. */
  public String name() {
    return kind.name().toLowerCase(java.util.Locale.ROOT);
  }

  /** True on a native transport (epoll or io_uring). */
  public boolean isNative() {
    return kind != Kind.NIO;
  }

  /** {@code threads} event loops whose threads are named {@code name-N}. */
  public EventLoopGroup loops(int threads, String name) {
    IoHandlerFactory io = switch (kind) {
      case EPOLL -> EpollIoHandler.newFactory();
      case IO_URING -> bufferRing ? IoUringIoHandler.newFactory(new IoUringIoHandlerConfig()
          .setBufferRingConfig(new IoUringBufferRingConfig.Builder()
              .bufferGroupId(BUFFER_GROUP).bufferRingSize(RING_BUFFERS).batchSize(64)
              .allocator(new IoUringAdaptiveBufferRingAllocator(PooledByteBufAllocator.DEFAULT))
              .build()))
          : IoUringIoHandler.newFactory();
      case NIO -> NioIoHandler.newFactory();
    };
    return new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory(name), io);
  }

  public Class<? extends ServerChannel> serverChannel() {
    return switch (kind) {
      case EPOLL -> EpollServerSocketChannel.class;
      case IO_URING -> IoUringServerSocketChannel.class;
      case NIO -> NioServerSocketChannel.class;
    };
  }

  public Class<? extends SocketChannel> socketChannel() {
    return switch (kind) {
      case EPOLL -> EpollSocketChannel.class;
      case IO_URING -> IoUringSocketChannel.class;
      case NIO -> NioSocketChannel.class;
    };
  }

  /** True when several listeners can share one port, each on its own loop. */
  public boolean canReusePort() {
    return isNative();
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
    if (bufferRing) {
      b.childOption(IoUringChannelOption.IO_URING_BUFFER_GROUP_ID, BUFFER_GROUP);
    }
    if (isNative() && reusePort) {
      b.option(UnixChannelOption.SO_REUSEPORT, true);
    }
    if (transparent) {
      switch (kind) {
        case EPOLL -> b.option(EpollChannelOption.IP_TRANSPARENT, true);
        case IO_URING -> b.option(IoUringChannelOption.IP_TRANSPARENT, true);
        case NIO -> throw new IllegalStateException("proxy.transparent needs a native transport"
            + " (expected: proxy.transport: auto or epoll or io_uring, on Linux x86-64)");
      }
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
   * per connection than the dual-stack default, which sets {@code IPV6_V6ONLY} off; Netty's
   * io_uring channel has no such constructor). Channels are made by constructor reference, not
   * reflection.
   */
  public Bootstrap configure(Bootstrap b, int connectTimeoutMillis, boolean ipv4) {
    ChannelFactory<SocketChannel> channels = switch (kind) {
      case EPOLL -> ipv4 ? () -> new EpollSocketChannel(SocketProtocolFamily.INET)
          : EpollSocketChannel::new;
      case IO_URING -> IoUringSocketChannel::new;
      case NIO -> NioSocketChannel::new;
    };
    if (bufferRing) {
      b.option(IoUringChannelOption.IO_URING_BUFFER_GROUP_ID, BUFFER_GROUP);
    }
    return b.channelFactory(channels)
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, connectTimeoutMillis)
        .option(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
        .option(ChannelOption.AUTO_READ, false);
  }
}
