package org.schoolgate.bench;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.handler.codec.dns.DatagramDnsQuery;
import io.netty.handler.codec.dns.DatagramDnsQueryDecoder;
import io.netty.handler.codec.dns.DatagramDnsResponse;
import io.netty.handler.codec.dns.DatagramDnsResponseEncoder;
import io.netty.handler.codec.dns.DefaultDnsQuestion;
import io.netty.handler.codec.dns.DefaultDnsRawRecord;
import io.netty.handler.codec.dns.DnsQuestion;
import io.netty.handler.codec.dns.DnsRecordType;
import io.netty.handler.codec.dns.DnsSection;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.schoolgate.identity.AddressBindings;
import org.schoolgate.policy.PolicyHolder;
import org.schoolgate.policy.sample.SamplePolicy;
import org.schoolgate.proxy.log.AccessLog;
import org.schoolgate.proxy.metrics.ProxyMetrics;
import org.schoolgate.resolver.DnsFilter;
import org.schoolgate.resolver.DnsFilterConfig;
import org.schoolgate.resolver.metrics.ResolverMetrics;

/**
 * Queries per second through the real filtering DNS resolver on loopback, with a warm cache: the
 * sample policy (starter lists), a real access log in a temporary directory (one line per query,
 * as in production), and an upstream stand-in answering every A query. {@code names} distinct
 * allowed names are asked once to fill the cache; then {@code queries} queries cycle over them
 * (and, with {@code blocked}, over a gambling name the policy answers itself) from one UDP socket
 * at 127.0.0.1 (the sample's ks3-4), at most {@code window} unanswered, and the answers are
 * counted. The per-client rate limit is off (one socket is one client); bounded to 60 s. Run:
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar org.schoolgate.bench.DnsLoad [queries] [window] [names] [blocked]
 * </pre>
 */
public final class DnsLoad {
  private DnsLoad() {}

  public static void main(String[] args) throws Exception {
    int queries = args.length > 0 ? Integer.parseInt(args[0]) : 300_000;
    int window = args.length > 1 ? Integer.parseInt(args[1]) : 64;
    int names = args.length > 2 ? Integer.parseInt(args[2]) : 1_000;
    boolean blocked = args.length > 3 && Boolean.parseBoolean(args[3]);
    Path dir = Files.createTempDirectory("dns-load");
    PolicyHolder policy = PolicyHolder.load(SamplePolicy.extractTo(dir), Clock.systemUTC());
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    EventLoopGroup upstreamLoop = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    Channel upstream = upstream(upstreamLoop);
    AccessLog log = AccessLog.start(dir.resolve("logs"), 65_536, new ProxyMetrics(registry));
    DnsFilterConfig config = DnsFilterConfig.embeddedDefault().withPort(0)
        .withUpstreams(List.of((InetSocketAddress) upstream.localAddress()))
        .withRateLimit(DnsFilterConfig.RateLimit.OFF).withCacheSize(Math.max(10_000, names * 2));
    try (DnsFilter dns = DnsFilter.start(config, policy::current, AddressBindings.NONE, log::offer, registry,
        Clock.systemUTC());
        DatagramSocket socket = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
      socket.setReceiveBufferSize(4 << 20);
      socket.setSoTimeout(1000);
      InetSocketAddress target = dns.udpAddresses().get(0);
      byte[][] warm = new byte[names][];
      for (int i = 0; i < names; i++) {
        warm[i] = query(i, "name" + i + ".load.example");
      }
      run(socket, target, warm, names, Math.min(window, 16)); // fill the cache
      byte[][] load = new byte[queries][];
      for (int i = 0; i < queries; i++) {
        load[i] = blocked && i % 2 == 1 ? query(i, "www.bet365.com") : warm[i % names];
      }
      long t0 = System.nanoTime();
      long answered = run(socket, target, load, queries, window);
      double seconds = (System.nanoTime() - t0) / 1e9;
      System.out.printf("%,d queries (%s), %,d answered in %.2f s: %,.0f queries/s (window %d, %,d names)%n",
          queries, blocked ? "half cached, half blocked" : "all cached", answered, seconds, answered / seconds,
          window, names);
      System.out.printf("cache hits %,.0f, misses %,.0f; blocked %,.0f; access-log lines dropped %,.0f%n",
          registry.counter(ResolverMetrics.CACHE, "result", "hit").count(),
          registry.counter(ResolverMetrics.CACHE, "result", "miss").count(),
          registry.counter(ResolverMetrics.QUERIES, "action", "block", "qtype", "a").count(),
          registry.counter(ProxyMetrics.ACCESS_LOG_DROPPED).count());
    } finally {
      log.close();
      upstream.close().awaitUninterruptibly();
      upstreamLoop.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly();
      try (var files = Files.walk(dir)) {
        for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(p);
        }
      }
    }
  }

  /** Sends {@code count} of {@code packets} keeping at most {@code window} unanswered; returns the answers. */
  private static long run(DatagramSocket socket, InetSocketAddress target, byte[][] packets, int count, int window)
      throws InterruptedException, java.io.IOException {
    Semaphore inFlight = new Semaphore(window);
    AtomicLong answered = new AtomicLong();
    Thread receiver = new Thread(() -> {
      byte[] buf = new byte[1500];
      DatagramPacket in = new DatagramPacket(buf, buf.length);
      while (answered.get() < count) {
        try {
          socket.receive(in);
          answered.incrementAndGet();
          inFlight.release();
        } catch (SocketTimeoutException e) {
          inFlight.release(window); // datagrams lost on loopback: let the sender go on
        } catch (Exception e) {
          return;
        }
      }
    }, "dns-load-receiver");
    receiver.start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    for (int i = 0; i < count && System.nanoTime() < deadline; i++) {
      inFlight.acquire();
      socket.send(new DatagramPacket(packets[i], packets[i].length, target));
    }
    receiver.join(Duration.ofSeconds(5).toMillis());
    return answered.get();
  }

  /** An A query with EDNS for {@code name}, id {@code id}. */
  private static byte[] query(int id, String name) {
    ByteBuffer b = ByteBuffer.allocate(300);
    b.putShort((short) id).putShort((short) 0x0100).putShort((short) 1).putShort((short) 0).putShort((short) 0)
        .putShort((short) 1);
    for (String label : name.split("\\.")) {
      byte[] l = label.getBytes(StandardCharsets.US_ASCII);
      b.put((byte) l.length).put(l);
    }
    b.put((byte) 0).putShort((short) 1).putShort((short) 1);
    b.put((byte) 0).putShort((short) 41).putShort((short) 1232).putInt(0).putShort((short) 0);
    return java.util.Arrays.copyOf(b.array(), b.position());
  }

  /** An upstream that answers every A query with 192.0.2.1, TTL 1 hour. */
  private static Channel upstream(EventLoopGroup group) throws InterruptedException {
    return new Bootstrap().group(group).channel(NioDatagramChannel.class)
        .handler(new ChannelInitializer<NioDatagramChannel>() {
          @Override
          protected void initChannel(NioDatagramChannel ch) {
            ch.pipeline().addLast(new DatagramDnsQueryDecoder(), new DatagramDnsResponseEncoder(),
                new SimpleChannelInboundHandler<DatagramDnsQuery>() {
                  @Override
                  protected void channelRead0(ChannelHandlerContext ctx, DatagramDnsQuery q) {
                    DnsQuestion question = q.recordAt(DnsSection.QUESTION);
                    DatagramDnsResponse r = new DatagramDnsResponse(q.recipient(), q.sender(), q.id());
                    r.setRecursionAvailable(true);
                    r.addRecord(DnsSection.QUESTION, new DefaultDnsQuestion(question.name(), question.type()));
                    if (question.type() == DnsRecordType.A) {
                      r.addRecord(DnsSection.ANSWER, new DefaultDnsRawRecord(question.name(), DnsRecordType.A,
                          3600, Unpooled.wrappedBuffer(new byte[] {(byte) 192, 0, 2, 1})));
                    }
                    ctx.writeAndFlush(r);
                  }
                });
          }
        })
        .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).sync().channel();
  }
}
