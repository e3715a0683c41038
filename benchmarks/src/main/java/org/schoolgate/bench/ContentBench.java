package org.schoolgate.bench;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.ssl.SslContext;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.schoolgate.policy.PolicyHolder;
import org.schoolgate.proxy.ProxyConfig;
import org.schoolgate.proxy.ProxyServer;
import org.schoolgate.proxy.ca.LeafCertificates;
import org.schoolgate.proxy.ca.SchoolCa;
import org.schoolgate.proxy.intercept.InterceptionSettings;

/**
 * Content analysis through the real proxy, side by side in one run: intercepted HTML pages with
 * analysis on (clients from 127.0.0.2: a group with block and alert rules, so pages are held to
 * the look-ahead, decoded and scored) against the same pages intercepted with analysis off
 * (127.0.0.3: no content rules). Each client thread keeps one TLS connection and requests a
 * benign HTML page of {@code kib} KiB again and again for {@code seconds}; reported per path:
 * requests per second and the 50th/99th percentile of each request's time.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar org.schoolgate.bench.ContentBench [seconds] [threads] [kib...]
 * </pre>
 */
public final class ContentBench {
  private static final String HOST = "origin.bench";

  private ContentBench() {}

  public static void main(String[] args) throws Exception {
    int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
    int threads = args.length > 1 ? Integer.parseInt(args[1]) : 4;
    List<Integer> sizes = new java.util.ArrayList<>();
    for (int i = 2; i < args.length; i++) {
      sizes.add(Integer.parseInt(args[i]));
    }
    if (sizes.isEmpty()) {
      sizes = List.of(16, 256);
    }
    ExecutorService leafThreads = Executors.newFixedThreadPool(1);
    SchoolCa school = SchoolCa.generate("Bench School", Clock.systemUTC());
    SchoolCa originCa = SchoolCa.generate("Bench Origins", Clock.systemUTC());
    LeafCertificates schoolLeaves = new LeafCertificates(school, leafThreads, Clock.systemUTC(),
        Duration.ofDays(7), 100);
    LeafCertificates originLeaves = new LeafCertificates(originCa, leafThreads, Clock.systemUTC(),
        Duration.ofDays(7), 100);
    EventLoopGroup originLoops = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    Channel origin = startOrigin(originLoops, originLeaves.serverContext(HOST).join());
    Path dir = Files.createTempDirectory("content-bench");
    Path policyFile = dir.resolve("policy.yaml");
    Files.writeString(policyFile, """
        clients: { allow: [127.0.0.0/8] }
        groups:
          analysed: { subnets: [127.0.0.2/32] }
          plain:    { subnets: [127.0.0.3/32] }
        default: acceptable
        tunnels: { allowed-ports: [443, 1024-65535] }
        safesearch: { search: off, youtube: off }
        interception: { groups: { default: all } }
        content:
          groups:
            analysed: { default: alert, self-harm: block, pornography: block }
        """);
    PolicyHolder holder = PolicyHolder.load(policyFile, Clock.systemUTC());
    ProxyConfig config = ProxyConfig.builder()
        .listen(new InetSocketAddress("127.0.0.1", 0))
        .accessLogDir(dir.resolve("logs"))
        .staticHosts(Map.of(HOST, InetAddress.getLoopbackAddress()))
        .hostsFile(dir.resolve("hosts"))
        .interception(InterceptionSettings.of(schoolLeaves, List.of(originCa.certificate())))
        .build();
    int port = ((InetSocketAddress) origin.localAddress()).getPort();
    try (ProxyServer proxy = ProxyServer.start(config, holder::current, new SimpleMeterRegistry(),
        Clock.systemUTC())) {
      Mode analysed = new Mode("analysis on", "127.0.0.2");
      Mode plain = new Mode("analysis off", "127.0.0.3");
      SSLContext trust = trusting(school);
      for (int kib : sizes) {
        for (Mode m : List.of(analysed, plain)) { // warm-up
          run(proxy.address(), port, m, trust, threads, 3, kib);
        }
      }
      System.out.printf("%-13s %8s %10s %9s %9s%n", "path", "page KiB", "req/s", "p50 ms", "p99 ms");
      for (int kib : sizes) {
        for (int round = 0; round < 2; round++) {
          for (Mode m : List.of(analysed, plain)) {
            Result r = run(proxy.address(), port, m, trust, threads, seconds, kib);
            System.out.printf("%-13s %8d %10.1f %9.2f %9.2f%n", m.name(), kib, r.perSecond(), r.p50(), r.p99());
          }
        }
      }
    } finally {
      origin.close().sync();
      originLoops.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS);
      leafThreads.shutdownNow();
    }
  }

  private record Mode(String name, String source) {}

  private record Result(double perSecond, double p50, double p99) {}

  private static Result run(InetSocketAddress proxy, int port, Mode m, SSLContext trust, int threads,
      int seconds, int kib) throws InterruptedException {
    long end = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
    long[][] times = new long[threads][];
    int[] counts = new int[threads];
    AtomicLong failed = new AtomicLong();
    Thread[] workers = new Thread[threads];
    for (int i = 0; i < threads; i++) {
      int w = i;
      times[w] = new long[1 << 20];
      workers[i] = new Thread(() -> {
        try (SSLSocket tls = open(proxy, port, m.source(), trust)) {
          OutputStream out = tls.getOutputStream();
          InputStream in = new java.io.BufferedInputStream(tls.getInputStream(), 64 * 1024);
          byte[] request = ("GET /page?kib=" + kib + " HTTP/1.1\r\nHost: " + HOST + "\r\n\r\n")
              .getBytes(StandardCharsets.ISO_8859_1);
          while (System.nanoTime() < end && counts[w] < times[w].length) {
            long t0 = System.nanoTime();
            out.write(request);
            out.flush();
            readResponse(in);
            times[w][counts[w]++] = System.nanoTime() - t0;
          }
        } catch (Exception e) {
          failed.incrementAndGet();
          System.out.println(m.name() + ": " + e);
        }
      }, "bench-" + i);
      workers[i].start();
    }
    for (Thread t : workers) {
      t.join();
    }
    int total = 0;
    for (int c : counts) {
      total += c;
    }
    long[] all = new long[total];
    int k = 0;
    for (int i = 0; i < threads; i++) {
      System.arraycopy(times[i], 0, all, k, counts[i]);
      k += counts[i];
    }
    java.util.Arrays.sort(all);
    double p50 = total == 0 ? 0 : all[total / 2] / 1e6;
    double p99 = total == 0 ? 0 : all[Math.min(total - 1, (int) (total * 0.99))] / 1e6;
    return new Result(total / (double) seconds, p50, p99);
  }

  /** Reads one response (Content-Length or chunked) and checks it is a 200. */
  private static void readResponse(InputStream in) throws java.io.IOException {
    String status = line(in);
    if (!status.startsWith("HTTP/1.1 200")) {
      throw new IllegalStateException("not a 200: " + status);
    }
    long length = -1;
    boolean chunked = false;
    for (String h = line(in); !h.isEmpty(); h = line(in)) {
      String lower = h.toLowerCase(java.util.Locale.ROOT);
      if (lower.startsWith("content-length:")) {
        length = Long.parseLong(lower.substring(15).trim());
      } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
        chunked = true;
      }
    }
    if (!chunked) {
      skip(in, length);
      return;
    }
    while (true) {
      long size = Long.parseLong(line(in).split(";")[0].trim(), 16);
      if (size == 0) {
        while (!line(in).isEmpty()) {
          // trailers
        }
        return;
      }
      skip(in, size);
      line(in);
    }
  }

  private static void skip(InputStream in, long n) throws java.io.IOException {
    byte[] buf = new byte[16 * 1024];
    long left = n;
    while (left > 0) {
      int r = in.read(buf, 0, (int) Math.min(buf.length, left));
      if (r < 0) {
        throw new java.io.EOFException("body cut short");
      }
      left -= r;
    }
  }

  private static String line(InputStream in) throws java.io.IOException {
    StringBuilder sb = new StringBuilder();
    for (int c = in.read(); c != '\n'; c = in.read()) {
      if (c < 0) {
        throw new java.io.EOFException("closed");
      }
      if (c != '\r') {
        sb.append((char) c);
      }
    }
    return sb.toString();
  }

  /** CONNECT through the proxy from {@code source}, then TLS trusting the school CA. */
  private static SSLSocket open(InetSocketAddress proxy, int port, String source, SSLContext trust)
      throws Exception {
    Socket socket = new Socket();
    socket.setTcpNoDelay(true);
    socket.bind(new InetSocketAddress(source, 0));
    socket.connect(proxy);
    socket.setSoTimeout(30_000);
    OutputStream out = socket.getOutputStream();
    out.write(("CONNECT " + HOST + ":" + port + " HTTP/1.1\r\nHost: " + HOST + ":" + port + "\r\n\r\n")
        .getBytes(StandardCharsets.ISO_8859_1));
    out.flush();
    InputStream in = socket.getInputStream();
    String status = line(in);
    while (!line(in).isEmpty()) {
      // headers
    }
    if (!status.startsWith("HTTP/1.1 200")) {
      throw new IllegalStateException("CONNECT refused: " + status);
    }
    SSLSocket tls = (SSLSocket) trust.getSocketFactory().createSocket(socket, HOST, port, true);
    SSLParameters params = tls.getSSLParameters();
    params.setServerNames(List.of(new SNIHostName(HOST)));
    tls.setSSLParameters(params);
    tls.startHandshake();
    return tls;
  }

  private static SSLContext trusting(SchoolCa ca) throws Exception {
    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(null, null);
    store.setCertificateEntry("ca", ca.certificate());
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(store);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, tmf.getTrustManagers(), null);
    return context;
  }

  private static Channel startOrigin(EventLoopGroup loops, SslContext tls) throws InterruptedException {
    return new ServerBootstrap().group(loops).channel(NioServerSocketChannel.class)
        .childHandler(new ChannelInitializer<Channel>() {
          @Override
          protected void initChannel(Channel ch) {
            ch.pipeline().addLast(tls.newHandler(ch.alloc()), new HttpServerCodec(), new Origin());
          }
        }).bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
  }

  /** {@code /page?kib=N}: a benign HTML page of N KiB (a school sports report), Content-Length, keep-alive. */
  private static final class Origin extends SimpleChannelInboundHandler<HttpObject> {
    private static final Map<Integer, byte[]> PAGES = new java.util.concurrent.ConcurrentHashMap<>();

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, HttpObject msg) {
      if (!(msg instanceof HttpRequest request)) {
        return;
      }
      int kib = Integer.parseInt(request.uri().substring(request.uri().indexOf('=') + 1));
      byte[] page = PAGES.computeIfAbsent(kib, ContentBench::page);
      var ok = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
          Unpooled.wrappedBuffer(page));
      ok.headers().set("Content-Type", "text/html; charset=utf-8");
      HttpUtil.setContentLength(ok, page.length);
      ctx.writeAndFlush(ok);
    }
  }

  static byte[] page(int kib) {
    StringBuilder b = new StringBuilder("<!doctype html><html><head><title>Sports day</title>"
        + "<style>p{margin:0}</style></head><body>");
    String p = "<p>The under twelve football team trained on the <b>school field</b> after lessons and the"
        + " coach praised their passing and teamwork before the match on Saturday morning.</p>\n";
    while (b.length() < kib * 1024 - 16) {
      b.append(p);
    }
    b.setLength(kib * 1024 - 14);
    b.append("</body></html>");
    return b.toString().getBytes(StandardCharsets.UTF_8);
  }
}
