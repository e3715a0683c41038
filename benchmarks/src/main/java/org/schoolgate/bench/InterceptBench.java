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
 * Interception against a plain tunnel through the real proxy, side by side in one run: new
 * connections per second (CONNECT, full TLS handshake, one small GET, close; no session
 * resumption) and MiB/s of one large streamed download per connection. The origin is a local
 * Netty HTTPS server whose certificate comes from a second CA the proxy trusts as an extra CA;
 * the intercepted group ({@code all}) connects from 127.0.0.2, the tunnelled one from 127.0.0.3.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar org.schoolgate.bench.InterceptBench [seconds] [threads] [mib]
 * </pre>
 */
public final class InterceptBench {
  private static final String HOST = "origin.bench";

  private InterceptBench() {}

  public static void main(String[] args) throws Exception {
    int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
    int threads = args.length > 1 ? Integer.parseInt(args[1]) : 4;
    int mib = args.length > 2 ? Integer.parseInt(args[2]) : 256;
    ExecutorService leafThreads = Executors.newFixedThreadPool(1);
    SchoolCa school = SchoolCa.generate("Bench School", Clock.systemUTC());
    SchoolCa originCa = SchoolCa.generate("Bench Origins", Clock.systemUTC());
    LeafCertificates schoolLeaves = new LeafCertificates(school, leafThreads, Clock.systemUTC(),
        Duration.ofDays(7), 100);
    LeafCertificates originLeaves = new LeafCertificates(originCa, leafThreads, Clock.systemUTC(),
        Duration.ofDays(7), 100);
    EventLoopGroup originLoops = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    Channel origin = startOrigin(originLoops, originLeaves.serverContext(HOST).join());
    Path dir = Files.createTempDirectory("intercept-bench");
    Path policyFile = dir.resolve("policy.yaml");
    Files.writeString(policyFile, """
        clients: { allow: [127.0.0.0/8] }
        groups:
          intercepted: { subnets: [127.0.0.2/32] }
          tunnelled:   { subnets: [127.0.0.3/32] }
        default: acceptable
        tunnels: { allowed-ports: [443, 1024-65535] }
        safesearch: { search: off, youtube: off }
        interception: { groups: { default: off, intercepted: all } }
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
      Mode intercepted = new Mode("intercepted", "127.0.0.2", trusting(school));
      Mode tunnelled = new Mode("plain tunnel", "127.0.0.3", trusting(originCa));
      for (Mode m : List.of(intercepted, tunnelled)) { // warm-up
        handshakes(proxy.address(), port, m, threads, 2);
        download(proxy.address(), port, m, 32);
      }
      System.out.printf("%-14s %14s %12s%n", "path", "handshakes/s", "MiB/s");
      for (Mode m : List.of(intercepted, tunnelled)) {
        double perSecond = handshakes(proxy.address(), port, m, threads, seconds);
        double throughput = download(proxy.address(), port, m, mib);
        System.out.printf("%-14s %14.1f %12.1f%n", m.name(), perSecond, throughput);
      }
    } finally {
      origin.close().sync();
      originLoops.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS);
      leafThreads.shutdownNow();
    }
  }

  private record Mode(String name, String source, SSLContext trust) {}

  private static double handshakes(InetSocketAddress proxy, int port, Mode m, int threads,
      int seconds) throws InterruptedException {
    AtomicLong done = new AtomicLong();
    AtomicLong failed = new AtomicLong();
    long end = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
    Thread[] workers = new Thread[threads];
    AtomicLong ids = new AtomicLong();
    for (int i = 0; i < threads; i++) {
      workers[i] = new Thread(() -> {
        while (System.nanoTime() < end) {
          try (SSLSocket tls = open(proxy, port, m, "peer-" + ids.incrementAndGet())) {
            OutputStream out = tls.getOutputStream();
            out.write(("GET /small HTTP/1.1\r\nHost: " + HOST + "\r\nConnection: close\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            tls.getInputStream().readAllBytes();
            done.incrementAndGet();
          } catch (Exception e) {
            failed.incrementAndGet();
          }
        }
      }, "bench-" + i);
      workers[i].start();
    }
    for (Thread t : workers) {
      t.join();
    }
    if (failed.get() > 0) {
      System.out.println(m.name() + ": " + failed.get() + " connections failed");
    }
    return done.get() / (double) seconds;
  }

  private static double download(InetSocketAddress proxy, int port, Mode m, int mib) throws Exception {
    long start = System.nanoTime();
    long bytes = 0;
    try (SSLSocket tls = open(proxy, port, m, "download-" + System.nanoTime())) {
      OutputStream out = tls.getOutputStream();
      out.write(("GET /big?mib=" + mib + " HTTP/1.1\r\nHost: " + HOST + "\r\nConnection: close\r\n\r\n")
          .getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      InputStream in = tls.getInputStream();
      byte[] buffer = new byte[256 * 1024];
      for (int n; (n = in.read(buffer)) != -1; ) {
        bytes += n;
      }
    }
    if (bytes < (long) mib * 1024 * 1024) {
      throw new IllegalStateException(m.name() + ": download cut short at " + bytes + " bytes");
    }
    return bytes / (1024.0 * 1024.0) / ((System.nanoTime() - start) / 1e9);
  }

  /** CONNECT through the proxy from the mode's source, then a full TLS handshake. */
  private static SSLSocket open(InetSocketAddress proxy, int port, Mode m, String peer) throws Exception {
    Socket socket = new Socket();
    socket.setTcpNoDelay(true); // else Nagle + delayed ACKs add ~40 ms to each handshake
    socket.bind(new InetSocketAddress(m.source(), 0));
    socket.connect(proxy);
    socket.setSoTimeout(30_000);
    OutputStream out = socket.getOutputStream();
    out.write(("CONNECT " + HOST + ":" + port + " HTTP/1.1\r\nHost: " + HOST + ":" + port + "\r\n\r\n")
        .getBytes(StandardCharsets.ISO_8859_1));
    out.flush();
    InputStream in = socket.getInputStream();
    int matched = 0;
    StringBuilder head = new StringBuilder();
    while (matched < 4) { // read up to the blank line
      int c = in.read();
      if (c < 0) {
        throw new IllegalStateException("proxy closed: " + head);
      }
      head.append((char) c);
      matched = (c == '\r' && (matched == 0 || matched == 2)) || (c == '\n' && (matched == 1 || matched == 3))
          ? matched + 1 : 0;
    }
    if (!head.toString().startsWith("HTTP/1.1 200")) {
      throw new IllegalStateException("CONNECT refused: " + head);
    }
    // a distinct peer name per connection: the JDK never resumes a session, every handshake is full
    SSLSocket tls = (SSLSocket) m.trust().getSocketFactory().createSocket(socket, peer, port, true);
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

  /** {@code /big?mib=N}: N MiB streamed as the client takes it; anything else: "ok". */
  private static final class Origin extends SimpleChannelInboundHandler<HttpObject> {
    private static final byte[] CHUNK = new byte[64 * 1024];

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, HttpObject msg) {
      if (!(msg instanceof HttpRequest request)) {
        return;
      }
      if (request.uri().startsWith("/big?mib=")) {
        int chunks = Integer.parseInt(request.uri().substring(9)) * 16;
        var head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        HttpUtil.setContentLength(head, (long) chunks * CHUNK.length);
        ctx.write(head);
        send(ctx, chunks, HttpUtil.isKeepAlive(request));
        return;
      }
      var ok = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
          Unpooled.wrappedBuffer("ok\n".getBytes(StandardCharsets.US_ASCII)));
      HttpUtil.setContentLength(ok, 3);
      HttpUtil.setKeepAlive(ok, HttpUtil.isKeepAlive(request));
      ctx.writeAndFlush(ok).addListener(f -> {
        if (!HttpUtil.isKeepAlive(request)) {
          ctx.close();
        }
      });
    }

    private static void send(ChannelHandlerContext ctx, int left, boolean keepAlive) {
      while (left > 0 && ctx.channel().isWritable()) {
        ctx.write(new DefaultHttpContent(Unpooled.wrappedBuffer(CHUNK)));
        left--;
      }
      if (left == 0) {
        ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT).addListener(f -> {
          if (!keepAlive) {
            ctx.close();
          }
        });
        return;
      }
      int remaining = left;
      ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(f -> {
        if (f.isSuccess()) {
          send(ctx, remaining, keepAlive);
        }
      });
    }
  }
}
