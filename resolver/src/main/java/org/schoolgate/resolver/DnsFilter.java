package org.schoolgate.resolver;

import com.github.benmanes.caffeine.cache.Ticker;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.dns.TcpDnsResponseEncoder;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.resolver.dns.DnsServerAddressStream;
import io.netty.resolver.dns.DnsServerAddressStreamProviders;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.schoolgate.identity.AddressBindings;
import org.schoolgate.policy.PolicySnapshot;
import org.schoolgate.resolver.judge.QueryJudge;
import org.schoolgate.resolver.limit.ClientRateLimiter;
import org.schoolgate.resolver.limit.TcpConnections;
import org.schoolgate.resolver.metrics.ResolverMetrics;
import org.schoolgate.resolver.upstream.AnswerCache;
import org.schoolgate.resolver.upstream.TtlBounds;
import org.schoolgate.resolver.upstream.Upstream;
import org.schoolgate.resolver.wire.QueryDecoder;
import org.schoolgate.resolver.wire.RecordCodec;
import org.schoolgate.resolver.wire.TcpFrames;
import org.schoolgate.resolver.wire.TruncatingResponseEncoder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The filtering DNS resolver: listens on UDP and TCP at each configured address and answers the
 * school's clients with the proxy's policy, forwarding what they may resolve to the upstream
 * resolvers.
 *
 * <pre>{@code
 * try (DnsFilter dns = DnsFilter.start(DnsFilterConfig.embeddedDefault(), holder::current,
 *     bindings, proxy.accessLog()::offer, registry, Clock.systemUTC())) {
 *   System.out.println("DNS on " + dns.udpAddresses());
 * }
 * }</pre>
 *
 * <p>Threads: one event loop, {@code schoolgate-resolver}, runs everything — the listening
 * sockets, every TCP connection, the upstream queries and their answers, the cache and the rate
 * limiter — so nothing is shared between threads and nothing needs a lock. Nothing on it blocks:
 * the policy is the in-memory snapshot, the address bindings are memory, the access log queues.
 * One loop answers tens of thousands of cached queries a second (benchmarks/README.md), more
 * than a school's network asks.
 */
public final class DnsFilter implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(DnsFilter.class);
  /** A TCP connection with no query for this long is closed (RFC 7766 suggests seconds). */
  static final Duration TCP_IDLE = Duration.ofSeconds(10);
  /** Receive buffer of each UDP socket: room for bursts while the loop is busy. */
  static final int UDP_RECEIVE_BUFFER = 4 << 20;
  /** Ports tried for port 0 before giving up (another program may hold the TCP twin of a free UDP port). */
  private static final int BIND_ATTEMPTS = 20;

  private final EventLoopGroup group;
  private final Upstream upstream;
  private final AnswerCache cache;
  private final List<Channel> channels;
  private final List<InetSocketAddress> udp;
  private final List<InetSocketAddress> tcp;

  private DnsFilter(EventLoopGroup group, Upstream upstream, AnswerCache cache, List<Channel> channels,
      List<InetSocketAddress> udp, List<InetSocketAddress> tcp) {
    this.group = group;
    this.upstream = upstream;
    this.cache = cache;
    this.channels = channels;
    this.udp = udp;
    this.tcp = tcp;
  }

  /** {@link #start(DnsFilterConfig, Supplier, AddressBindings, QueryLog, MeterRegistry, Clock, Ticker)} on the system ticker. */
  public static DnsFilter start(DnsFilterConfig config, Supplier<PolicySnapshot> policy, AddressBindings bindings,
      QueryLog queryLog, MeterRegistry registry, Clock clock) {
    return start(config, policy, bindings, queryLog, registry, clock, Ticker.systemTicker());
  }

  /**
   * Binds every listen address on UDP and TCP and starts answering. {@code policy} is read once
   * per query; {@code bindings} says who is at an address ({@link AddressBindings#NONE}: nobody);
   * every answered query goes to {@code queryLog}; {@code clock} stamps events and chooses
   * schedules, {@code ticker} ages the cache and the rate limits.
   *
   * @throws IllegalStateException when an address cannot be bound, or no upstream is known
   */
  public static DnsFilter start(DnsFilterConfig config, Supplier<PolicySnapshot> policy, AddressBindings bindings,
      QueryLog queryLog, MeterRegistry registry, Clock clock, Ticker ticker) {
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(policy, "policy");
    Objects.requireNonNull(bindings, "bindings");
    Objects.requireNonNull(queryLog, "queryLog");
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(ticker, "ticker");
    List<InetSocketAddress> servers = upstreams(config);
    ResolverMetrics metrics = new ResolverMetrics(registry);
    EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("schoolgate-resolver", true),
        NioIoHandler.newFactory());
    EventLoop loop = group.next();
    AnswerCache cache = new AnswerCache(config.cacheSize(), ticker);
    Upstream upstream = null;
    List<Channel> channels = new ArrayList<>();
    try {
      upstream = new Upstream(loop, servers, config.queryTimeout(), cache,
          TtlBounds.of(config.minTtl(), config.maxTtl()), metrics, ticker);
      Upstream up = upstream;
      metrics.bindGauges(cache::size, () -> up.inflight());
      Resolution resolution = new Resolution(policy, new QueryJudge(bindings, config.blockAnswer()), upstream,
          new ClientRateLimiter(config.rateLimit(), ticker), config, queryLog, metrics, clock, ticker);
      QueryHandler udpHandler = new QueryHandler(resolution, true);
      QueryHandler tcpHandler = new QueryHandler(resolution, false);
      TcpConnections connections = new TcpConnections(metrics);
      List<InetSocketAddress> udp = new ArrayList<>();
      List<InetSocketAddress> tcp = new ArrayList<>();
      Bootstrap udpBootstrap = udpBootstrap(loop, metrics, udpHandler);
      ServerBootstrap tcpBootstrap = tcpBootstrap(loop, tcpHandler, connections);
      for (InetSocketAddress address : config.listen()) {
        Channel[] pair = bindPair(address, udpBootstrap, tcpBootstrap);
        channels.add(pair[0]);
        channels.add(pair[1]);
        udp.add((InetSocketAddress) pair[0].localAddress());
        tcp.add((InetSocketAddress) pair[1].localAddress());
      }
      log.info("DNS filter answering on {} (UDP and TCP), forwarding to {}, blocked names get {}", udp, servers,
          config.blockAnswer().text());
      return new DnsFilter(group, upstream, cache, channels, List.copyOf(udp), List.copyOf(tcp));
    } catch (RuntimeException e) {
      channels.forEach(c -> c.close().awaitUninterruptibly());
      if (upstream != null) {
        upstream.close();
      }
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly();
      throw e;
    }
  }

  /** The configured upstreams, or the system's from /etc/resolv.conf; never this resolver itself. */
  static List<InetSocketAddress> upstreams(DnsFilterConfig config) {
    if (!config.upstreams().isEmpty()) {
      return config.upstreams();
    }
    Set<InetSocketAddress> found = new LinkedHashSet<>();
    DnsServerAddressStream stream = DnsServerAddressStreamProviders.platformDefault().nameServerAddressStream("");
    for (int i = 0; i < stream.size(); i++) {
      found.add(stream.next());
    }
    List<InetSocketAddress> servers = new ArrayList<>();
    for (InetSocketAddress s : found) {
      boolean self = config.listen().stream().anyMatch(own -> DnsFilterConfig.isSelf(s, own));
      if (self) {
        log.warn("DNS filter: the system resolver {} is this resolver itself; not forwarding to it",
            DnsFilterConfig.text(s));
      } else {
        servers.add(s);
      }
    }
    if (servers.isEmpty()) {
      throw new IllegalStateException("DNS filter: /etc/resolv.conf names no resolver it may forward to"
          + " (expected: set dns-filter.upstreams to the school's DNS servers, such as the domain controllers)");
    }
    return servers;
  }

  private static Bootstrap udpBootstrap(EventLoop loop, ResolverMetrics metrics, QueryHandler handler) {
    return new Bootstrap().group(loop).channel(NioDatagramChannel.class)
        .option(ChannelOption.SO_RCVBUF, UDP_RECEIVE_BUFFER)
        .option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(4096))
        .handler(new ChannelInitializer<NioDatagramChannel>() {
          @Override
          protected void initChannel(NioDatagramChannel ch) {
            ch.pipeline().addLast(new QueryDecoder(), new TruncatingResponseEncoder(metrics), handler);
          }
        });
  }

  private static ServerBootstrap tcpBootstrap(EventLoop loop, QueryHandler handler, TcpConnections connections) {
    return new ServerBootstrap().group(loop, loop).channel(NioServerSocketChannel.class)
        .option(ChannelOption.SO_REUSEADDR, true)
        .childHandler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            ch.pipeline().addLast(connections.handler(),
                new IdleStateHandler(0, 0, TCP_IDLE.toMillis(), TimeUnit.MILLISECONDS),
                TcpFrames.framer(), new TcpFrames.ToPacket(), new QueryDecoder(), new TcpDnsResponseEncoder(RecordCodec.ENCODER),
                handler);
          }
        });
  }

  /**
   * UDP and TCP on one port. With port 0 the UDP socket picks a free port and TCP takes the same
   * one; when another program holds that TCP port, both are let go and a new port is tried.
   */
  private static Channel[] bindPair(InetSocketAddress address, Bootstrap udp, ServerBootstrap tcp) {
    for (int attempt = 1; ; attempt++) {
      Channel u = bind("UDP", address, udp.bind(address));
      InetSocketAddress tcpAddress = new InetSocketAddress(address.getAddress(),
          ((InetSocketAddress) u.localAddress()).getPort());
      io.netty.channel.ChannelFuture t = tcp.bind(tcpAddress).awaitUninterruptibly();
      if (t.isSuccess()) {
        return new Channel[] {u, t.channel()};
      }
      u.close().awaitUninterruptibly();
      if (address.getPort() != 0 || attempt == BIND_ATTEMPTS) {
        throw bindFailure("TCP", tcpAddress, t.cause());
      }
    }
  }

  private static Channel bind(String transport, InetSocketAddress address, io.netty.channel.ChannelFuture f) {
    f.awaitUninterruptibly();
    if (!f.isSuccess()) {
      throw bindFailure(transport, address, f.cause());
    }
    return f.channel();
  }

  private static IllegalStateException bindFailure(String transport, InetSocketAddress address, Throwable cause) {
    String port = address.getPort() < 1024 && address.getPort() != 0
        ? "; ports below 1024 need CAP_NET_BIND_SERVICE or a redirect, see the README" : "";
    return new IllegalStateException("DNS filter could not listen on " + DnsFilterConfig.text(address) + " ("
        + transport + "): " + cause.getMessage() + " (expected: a free port on an address of this machine"
        + port + ")", cause);
  }

  /** The UDP addresses actually bound (real ports when configured with port 0). */
  public List<InetSocketAddress> udpAddresses() {
    return udp;
  }

  /** The TCP addresses actually bound (the same ports as UDP). */
  public List<InetSocketAddress> tcpAddresses() {
    return tcp;
  }

  /** The upstream resolvers it forwards to, in order. */
  public List<InetSocketAddress> upstreams() {
    return upstream.servers();
  }

  /** Forgets every cached answer (tests; an operator's "flush"). */
  public void clearCache() {
    upstream.loop().execute(cache::clear);
  }

  /** Stops listening, closes connections and the upstream sockets, and ends the loop. */
  @Override
  public void close() {
    for (Channel c : channels) {
      c.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
    }
    upstream.close();
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
  }
}
