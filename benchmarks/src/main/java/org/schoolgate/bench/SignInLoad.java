package org.schoolgate.bench;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.schoolgate.identity.IdentityService;
import org.schoolgate.policy.PolicyHolder;
import org.schoolgate.proxy.ProxyServer;
import org.schoolgate.proxy.ProxyConfig;
import org.schoolgate.proxy.log.AccessEventSink;

/**
 * Keep-alive requests per second through the real proxy with proxy sign-in (Basic, every request
 * checked against the verifier's cache) against the same proxy code identifying by subnet only,
 * side by side in one run: two proxies in this JVM, one in-process origin (1 KiB answers), and
 * {@code wrk} against each in turn, alternating, so both see the same machine load.
 *
 * <ul>
 *   <li><b>basic</b>: the policy asks for Basic on 127.0.0.0/8; {@value IdentityBench#USERS}
 *       people are signed in before the runs (so every request is a cache hit) and the verifier's
 *       "directory" answers from memory ({@link IdentityBench});
 *   <li><b>subnet</b>: the same policy without {@code identification:}, no identity service.
 * </ul>
 * wrk sends the same request to both (with the {@code Proxy-Authorization} header, which the
 * subnet proxy drops). Two user modes: {@code per-connection} (each wrk thread one person, as a
 * browser's connection is) and {@code rotating} (every request another of the 10,000 people).
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar org.schoolgate.bench.SignInLoad 5 50 7 15  # seconds conns rounds warm-up
 * </pre>
 */
public final class SignInLoad {
  private static final Pattern RPS = Pattern.compile("Requests/sec:\\s+([0-9.]+)");
  private static final Pattern TOTAL = Pattern.compile("([0-9]+) requests in");
  private static final com.sun.management.OperatingSystemMXBean OS =
      (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();

  /** One wrk run: requests/s, and this JVM's CPU time per request (proxy, verifier, origin, GC). */
  private record Run(double rps, double cpuMicros) {}
  private static final String SUBNET_POLICY = IdentityBench.POLICY
      .replace("10.20.0.0/16", "127.0.0.0/8").replace("10.0.0.0/8", "127.0.0.0/8")
      .replaceAll("(?s)identification:.*", "");

  private SignInLoad() {}

  public static void main(String[] args) throws Exception {
    int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
    int conns = args.length > 1 ? Integer.parseInt(args[1]) : 50;
    int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
    int warmup = args.length > 3 ? Integer.parseInt(args[3]) : 15;
    Path dir = Files.createTempDirectory("sign-in-load");
    EventLoopGroup originLoop = new NioEventLoopGroup(1);
    try (IdentityBench bench = new IdentityBench()) {
      bench.signInEveryone();
      Channel origin = origin(originLoop);
      int originPort = ((InetSocketAddress) origin.localAddress()).getPort();
      Path basicPolicy = Files.writeString(dir.resolve("basic.yaml"),
          IdentityBench.POLICY.replace("10.20.0.0/16", "127.0.0.0/8").replace("10.0.0.0/8", "127.0.0.0/8"));
      Path subnetPolicy = Files.writeString(dir.resolve("subnet.yaml"), SUBNET_POLICY);
      Path headers = dir.resolve("headers.txt");
      Files.write(headers, List.of(bench.headers));
      Path script = dir.resolve("sign-in.lua");
      Files.writeString(script, LUA);
      IdentityService service = bench.service;
      try (ProxyServer basic = proxy(dir.resolve("basic-logs"), basicPolicy, service);
          ProxyServer subnet = proxy(dir.resolve("subnet-logs"), subnetPolicy, null)) {
        String target = "http://127.0.0.1:" + originPort + "/1k";
        System.out.printf("%d s per run, %d connections, %d rounds; %d people signed in%n", seconds, conns,
            rounds, IdentityBench.USERS);
        for (String mode : List.of("per-connection", "rotating")) {
          wrk(basic, target, script, headers, mode, warmup, conns); // warm-up (JIT) of both
          wrk(subnet, target, script, headers, mode, warmup, conns);
          List<Double> ratios = new ArrayList<>();
          List<Double> cpuRatios = new ArrayList<>();
          for (int r = 0; r < rounds; r++) {
            Run b = wrk(basic, target, script, headers, mode, seconds, conns);
            Run s = wrk(subnet, target, script, headers, mode, seconds, conns);
            ratios.add(b.rps() / s.rps());
            cpuRatios.add(b.cpuMicros() / s.cpuMicros());
            System.out.printf("%-15s round %d: basic %8.0f req/s %6.1f us CPU/req | subnet %8.0f req/s %6.1f us"
                + " CPU/req | req/s basic/subnet %.3f, CPU/req basic/subnet %.3f%n", mode, r + 1, b.rps(),
                b.cpuMicros(), s.rps(), s.cpuMicros(), b.rps() / s.rps(), b.cpuMicros() / s.cpuMicros());
          }
          ratios.sort(Double::compare);
          cpuRatios.sort(Double::compare);
          System.out.printf("%-15s median req/s basic/subnet %.3f, median CPU/req basic/subnet %.3f%n", mode,
              ratios.get(ratios.size() / 2), cpuRatios.get(cpuRatios.size() / 2));
        }
      }
      origin.close().sync();
    } finally {
      originLoop.shutdownGracefully().sync();
    }
  }

  private static ProxyServer proxy(Path logs, Path policy, IdentityService identity) throws Exception {
    PolicyHolder holder = PolicyHolder.load(policy, Clock.systemUTC());
    ProxyConfig config = ProxyConfig.builder()
        .listen(new InetSocketAddress("127.0.0.1", 0))
        .accessLogDir(logs)
        .hostsFile(Files.writeString(logs.resolveSibling(logs.getFileName() + ".hosts"), ""))
        .build();
    return ProxyServer.start(config, holder::current, new SimpleMeterRegistry(), Clock.systemUTC(),
        AccessEventSink.NONE, identity);
  }

  private static Run wrk(ProxyServer proxy, String target, Path script, Path headers, String mode,
      int seconds, int conns) throws Exception {
    ProcessBuilder pb = new ProcessBuilder("wrk", "-t2", "-c" + conns, "-d" + seconds + "s", "-s",
        script.toString(), "http://127.0.0.1:" + proxy.address().getPort());
    pb.environment().put("SCHOOLGATE_TARGET", target);
    pb.environment().put("SCHOOLGATE_TARGET_HOST", target.replaceFirst("^http://", "").replaceFirst("/.*", ""));
    pb.environment().put("SCHOOLGATE_HEADERS", headers.toString());
    pb.environment().put("SCHOOLGATE_MODE", mode);
    pb.redirectErrorStream(true);
    long cpuBefore = OS.getProcessCpuTime();
    Process p = pb.start();
    StringBuilder out = new StringBuilder();
    try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        out.append(line).append('\n');
      }
    }
    p.waitFor();
    long cpu = OS.getProcessCpuTime() - cpuBefore;
    Matcher m = RPS.matcher(out);
    Matcher total = TOTAL.matcher(out);
    if (!m.find() || !total.find() || out.indexOf("Non-2xx") >= 0) {
      throw new IllegalStateException("wrk did not report a clean run:\n" + out);
    }
    return new Run(Double.parseDouble(m.group(1)), cpu / 1000.0 / Long.parseLong(total.group(1)));
  }

  /** A keep-alive origin answering every request with 1 KiB. */
  private static Channel origin(EventLoopGroup loop) throws InterruptedException {
    ByteBuf body = Unpooled.unreleasableBuffer(Unpooled.wrappedBuffer(new byte[1024]).asReadOnly());
    return new ServerBootstrap().group(loop).channel(NioServerSocketChannel.class)
        .childHandler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(1 << 16),
                new SimpleChannelInboundHandler<HttpRequest>() {
                  @Override
                  protected void channelRead0(ChannelHandlerContext ctx, HttpRequest req) {
                    FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                        HttpResponseStatus.OK, body.duplicate());
                    res.headers().set(HttpHeaderNames.CONTENT_LENGTH, 1024)
                        .set(HttpHeaderNames.CONTENT_TYPE, "application/octet-stream");
                    ctx.writeAndFlush(res);
                  }

                  @Override
                  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                    ctx.close(); // the proxy closing pooled connections after a run: not news
                  }
                });
          }
        }).bind("127.0.0.1", 0).sync().channel();
  }

  /**
   * The wrk script: absolute-form requests to the proxy with a {@code Proxy-Authorization} header;
   * per-connection mode gives each wrk thread one person (a static header), rotating mode another
   * person on every request.
   */
  private static final String LUA = """
      local target = os.getenv("SCHOOLGATE_TARGET")
      local host = os.getenv("SCHOOLGATE_TARGET_HOST")
      local mode = os.getenv("SCHOOLGATE_MODE")
      local file = os.getenv("SCHOOLGATE_HEADERS")
      local threads = 0
      function setup(thread)
        threads = threads + 1
        thread:set("id", threads)
      end
      local headers = {}
      local n = 0
      local i = 0
      function init(args)
        for line in io.lines(file) do
          n = n + 1
          headers[n] = line
        end
        wrk.path = target
        wrk.headers["Host"] = host
        wrk.headers["Proxy-Authorization"] = headers[(id * 7919) % n + 1]
        i = id * 1000
      end
      if mode == "rotating" then
        request = function()
          i = i % n + 1
          return wrk.format("GET", target, { ["Host"] = host, ["Proxy-Authorization"] = headers[i] })
        end
      end
      """;
}
