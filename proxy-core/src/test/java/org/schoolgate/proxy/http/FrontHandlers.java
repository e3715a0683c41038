package org.schoolgate.proxy.http;

import com.github.benmanes.caffeine.cache.Ticker;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.schoolgate.policy.PolicyException;
import org.schoolgate.policy.PolicyHolder;
import org.schoolgate.proxy.destination.DestinationGuard;
import org.schoolgate.proxy.destination.DestinationSettings;
import org.schoolgate.proxy.dns.DnsAnswer;
import org.schoolgate.proxy.dns.DnsLookup;
import org.schoolgate.proxy.dns.DnsService;
import org.schoolgate.proxy.dns.DnsSettings;
import org.schoolgate.proxy.filter.ClientSession;
import org.schoolgate.proxy.filter.Decisions;
import org.schoolgate.proxy.log.AccessLog;
import org.schoolgate.proxy.log.ExchangeRecorder;
import org.schoolgate.proxy.log.Exchanges;
import org.schoolgate.proxy.metrics.ProxyMetrics;
import org.schoolgate.proxy.pages.Pages;
import org.schoolgate.proxy.transport.Transport;
import org.schoolgate.proxy.transport.TransportChoice;
import org.schoolgate.proxy.tunnel.Tunnels;
import org.schoolgate.proxy.upstream.StandInUpstreams;
import org.schoolgate.proxy.upstream.Upstreams;

/**
 * The front of a client connection in an {@link EmbeddedChannel}: bytes in, then what the client
 * gets back (responses out) and what goes up to the origin (requests out). Fuzz targets and tests
 * drive it without knowing which handlers those are: when the request path changes, {@link
 * #connection} is the one place to repoint.
 *
 * <p>Today that is the pipeline {@link ClientPipeline} builds — {@link RequestCodec} (the strict
 * RFC 9112 decoder), {@link RequestGuard}, the exchange recorder and the {@link FrontHandler} with
 * a real policy (one blocked site, {@code betting.test}; everything else allowed), real decisions
 * and destination checks — with a tap after the guard that notes what the front is given. Every
 * name resolves to {@link #ORIGIN}; connections to it on port 80 come from the loop's pool, where
 * the harness puts stand-in origin connections ({@link StandInUpstreams}) that answer each whole
 * request with {@code 200} and an {@code X-Origin} header numbering it. Anything else the front
 * would connect to (another port, a tunnel) cannot be opened from an embedded loop and is
 * answered with the proxy's 502 page.
 */
final class FrontHandlers implements AutoCloseable {
  static final InetAddress ORIGIN = address(192, 0, 2, 10);
  private static final Instant NOW = Instant.parse("2026-11-23T12:30:00Z");

  private final Path dir;
  private final ProxyMetrics metrics = new ProxyMetrics(new SimpleMeterRegistry());
  private final AccessLog accessLog;
  private final Pages pages = new Pages("http://admin.school.test/request-access");
  private final DnsService dns;
  private final DestinationGuard destinations;
  private final Decisions decisions;
  private final PolicyHolder policy;

  private FrontHandlers(Path dir) throws IOException, PolicyException {
    this.dir = dir;
    Path file = Files.writeString(dir.resolve("policy.yaml"), """
        clients:
          allow: [10.0.0.0/8]
        groups:
          pupils: { subnets: [10.10.0.0/16] }
        categories:
          gambling: { domains: [betting.test] }
        matrix:
          gambling: { default: unacceptable }
        default: acceptable
        """);
    this.policy = PolicyHolder.load(file, Clock.fixed(NOW, ZoneOffset.UTC));
    this.accessLog = AccessLog.start(dir.resolve("logs"), 256, metrics);
    DnsLookup everywhere = new DnsLookup() {
      @Override
      public CompletableFuture<DnsAnswer> lookup(String host) {
        return CompletableFuture.completedFuture(new DnsAnswer.Resolved(ORIGIN,
            Duration.ofHours(1)));
      }

      @Override
      public void close() {}
    };
    Path hosts = Files.writeString(dir.resolve("hosts"), "");
    // no hosts-file refresh: a lookup completes at once, on the test thread (the embedded loop's)
    this.dns = new DnsService(Map.of(), everywhere,
        DnsSettings.DEFAULTS.withHostsFile(hosts, Duration.ZERO), Ticker.systemTicker(), metrics);
    this.destinations = new DestinationGuard(DestinationSettings.NONE, metrics);
    this.decisions = new Decisions(policy::current, pages, metrics,
        Clock.fixed(NOW, ZoneOffset.UTC), false, destinations);
  }

  /** Starts the shared parts (policy, access log, DNS) in a temporary directory. */
  static FrontHandlers start() {
    try {
      return new FrontHandlers(Files.createTempDirectory("schoolgate-front"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (PolicyException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * What the front was given: a request head (its method, target, version and headers) or the
   * guard's refusal (with its page's status), and whether its body ended. A refusal has the method
   * of the head it replaced when the codec read that head whole (the codec frames the answer by
   * it: no body for HEAD), otherwise none.
   */
  static final class Given {
    final String head;
    final String method;
    final int refusedWith;
    boolean whole;

    Given(String head, String method, int refusedWith) {
      this.head = head;
      this.method = method;
      this.refusedWith = refusedWith;
    }

    /** The head, or the refusal, without whether its body ended. */
    String request() {
      return refusedWith != 0 ? "refused " + refusedWith : head;
    }

    @Override
    public String toString() {
      return request() + (whole ? "" : " <unfinished>");
    }
  }

  /**
   * One connection's story: what the front was given, the bytes the client got, the bytes the
   * origin got (one string per upstream connection, in the order they were first used), whether
   * the connection is still open.
   */
  record Outcome(List<Given> given, byte[] written, List<String> upstream,
      List<String> originMethods, boolean open, List<ByteBuf> sent) {
    /** Checks that nothing holds on to the bytes sent in (body parts are slices of them). */
    void checkReleased() {
      for (ByteBuf b : sent) {
        if (b.refCnt() != 0) {
          throw new AssertionError("the front kept " + b.refCnt() + " reference(s) to bytes sent in");
        }
      }
    }
  }

  /**
   * Sends {@code input} on a new connection in pieces of {@code piece} bytes (the rest is not sent
   * once the connection closes), letting the stand-in origin answer between pieces, then closes
   * the connection. Throws what a handler threw.
   */
  Outcome send(byte[] input, int piece) {
    List<Given> given = new ArrayList<>();
    Connection c = connection(given, 1 + Math.min(7, heads(input)));
    List<ByteBuf> sent = new ArrayList<>();
    ByteArrayOutputStream written = new ByteArrayOutputStream();
    try {
      for (int at = 0; at < input.length && c.client.isOpen(); at += piece) {
        ByteBuf bytes = Unpooled.copiedBuffer(input, at, Math.min(piece, input.length - at));
        sent.add(bytes);
        c.client.writeInbound(bytes);
        c.settle(written);
      }
      c.settle(written);
      c.client.checkException();
      boolean open = c.client.isOpen();
      List<String> upstream = new ArrayList<>();
      for (Origin o : c.origins) {
        if (o.received.size() > 0) {
          upstream.add(o.requests.toString());
        }
      }
      // a copy: closing the connection below makes the decoder pass on what it held (a head cut
      // short becomes a refusal nobody is left to answer), which is not part of the story
      return new Outcome(List.copyOf(given), written.toByteArray(), upstream,
          List.copyOf(c.methods), open, sent);
    } finally {
      c.close();
    }
  }

  /** The front handlers of one client connection, and stand-in origin connections in its pool. */
  private Connection connection(List<Given> given, int origins) {
    EmbeddedChannel client = new EmbeddedChannel();
    Upstreams upstreams = new Upstreams(Transport.choose(TransportChoice.NIO), client.eventLoop(),
        null, Duration.ofSeconds(5), Duration.ofSeconds(60), Duration.ofSeconds(30), 128, 128,
        metrics);
    Tunnels tunnels = new Tunnels(policy::current, metrics, Clock.systemUTC(),
        Duration.ofSeconds(10), pages, dns, upstreams, null, decisions.destinations(),
        Duration.ofSeconds(70));
    FrontServices services = new FrontServices(decisions, dns, upstreams, tunnels, pages, metrics,
        new FrontServices.Drain());
    ClientSession session = new ClientSession(new InetSocketAddress("10.10.0.5", 50_000),
        new Exchanges(accessLog));
    client.pipeline().addLast(RequestCodec.NAME, new RequestCodec(8192, Duration.ofSeconds(10)));
    HeadMethod decoded = new HeadMethod();
    client.pipeline().addLast(decoded);
    client.pipeline().addLast(RequestGuard.NAME, new RequestGuard());
    client.pipeline().addLast(new Tap(given, decoded));
    client.pipeline().addLast(ExchangeRecorder.NAME, new ExchangeRecorder(session.exchanges()));
    client.pipeline().addLast(FrontHandler.NAME, new FrontHandler(services, session));
    Connection c = new Connection(client);
    for (int i = 0; i < origins; i++) {
      c.origins.add(new Origin(StandInUpstreams.idle(upstreams, client.eventLoop(), ORIGIN, 80),
          c.methods));
    }
    return c;
  }

  /**
   * Before the guard: the method of the head the codec read last, if it read it whole, until the
   * {@link Tap} takes it. Changes nothing.
   */
  private static final class HeadMethod extends ChannelInboundHandlerAdapter {
    private String method;

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      if (msg instanceof HttpRequest req) {
        method = req.decoderResult().isSuccess() ? req.method().name() : null;
      }
      ctx.fireChannelRead(msg);
    }

    String take() {
      String m = method;
      method = null;
      return m;
    }
  }

  /** Notes what the guard passes to the front, changing nothing. */
  private static final class Tap extends ChannelInboundHandlerAdapter {
    private final List<Given> given;
    private final HeadMethod decoded;

    Tap(List<Given> given, HeadMethod decoded) {
      this.given = given;
      this.decoded = decoded;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      if (msg instanceof Rejected r) {
        Given g = new Given(null, decoded.take(), r.page().status().code());
        g.whole = true;
        given.add(g);
      } else if (msg instanceof HttpRequest req) {
        decoded.take();
        given.add(new Given(req.method() + " " + req.uri() + " " + req.protocolVersion() + " "
            + req.headers().entries(), req.method().name(), 0));
      }
      if (msg instanceof LastHttpContent && !given.isEmpty()) {
        given.get(given.size() - 1).whole = true;
      }
      ctx.fireChannelRead(msg);
    }
  }

  private static final class Connection {
    final EmbeddedChannel client;
    final List<Origin> origins = new ArrayList<>();
    /** The method of each request an origin answered, in the order of the answers. */
    final List<String> methods = new ArrayList<>();

    Connection(EmbeddedChannel client) {
      this.client = client;
    }

    /** Runs what is pending on both sides until nothing moves; collects the client's bytes. */
    void settle(ByteArrayOutputStream written) {
      boolean moved = true;
      while (moved) {
        moved = false;
        client.runPendingTasks();
        for (Origin o : origins) {
          moved |= o.serve();
        }
        for (Object out; (out = client.readOutbound()) != null; ) {
          ByteBuf buf = (ByteBuf) out;
          byte[] b = new byte[buf.readableBytes()];
          buf.readBytes(b);
          written.writeBytes(b);
          buf.release();
        }
      }
    }

    void close() {
      client.finishAndReleaseAll();
      for (Origin o : origins) {
        o.channel.finishAndReleaseAll();
        if (o.decoder != null) {
          o.decoder.finishAndReleaseAll();
        }
      }
    }
  }

  /**
   * A stand-in origin connection: what the proxy writes to it is read back with a strict request
   * decoder (a malformed request there fails the target) and answered once whole.
   */
  static final class Origin {
    final EmbeddedChannel channel;
    final List<String> answered;
    private String method;
    private EmbeddedChannel decoder;
    final ByteArrayOutputStream received = new ByteArrayOutputStream();
    /** The requests as decoded: heads, bodies and trailers (chunk sizes vary with the pieces). */
    final StringBuilder requests = new StringBuilder();

    /** @param answered the methods of the requests the connection's origins answered */
    Origin(EmbeddedChannel channel, List<String> answered) {
      this.channel = channel;
      this.answered = answered;
    }

    /** Moves what the proxy wrote; answers each whole request. True when anything moved. */
    boolean serve() {
      boolean moved = false;
      channel.runPendingTasks();
      for (Object out; (out = channel.readOutbound()) != null; ) {
        ByteBuf buf = (ByteBuf) out;
        byte[] b = new byte[buf.readableBytes()];
        buf.getBytes(buf.readerIndex(), b);
        received.writeBytes(b);
        if (decoder == null) {
          // strict in form, generous in size: the front's own limits (8 KiB request line in
          // this harness, 32 KiB of headers) are what a request must pass to be sent up
          decoder = new EmbeddedChannel(new HttpRequestDecoder(new HttpDecoderConfig()
              .setStrictLineParsing(true).setUseRfc9112TransferEncoding(true)
              .setAllowDuplicateContentLengths(false).setMaxInitialLineLength(64 * 1024)
              .setMaxHeaderSize(64 * 1024)));
        }
        decoder.writeInbound(buf);
        moved = true;
      }
      for (Object in; decoder != null && (in = decoder.readInbound()) != null; ) {
        HttpObject o = (HttpObject) in;
        boolean failed = o.decoderResult().isFailure();
        Throwable cause = o.decoderResult().cause();
        boolean last = o instanceof LastHttpContent;
        if (!failed) {
          note(o);
        }
        ReferenceCountUtil.release(o);
        if (failed) {
          throw new AssertionError("the proxy sent the origin a request it cannot read: "
              + received.toString(StandardCharsets.ISO_8859_1), cause);
        }
        if (last && channel.isActive()) {
          answered.add(method);
          int n = answered.size();
          requests.append("<answered ").append(n).append(">\n");
          channel.writeInbound(Unpooled.copiedBuffer("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n"
              + "X-Origin: " + n + "\r\n\r\n", StandardCharsets.ISO_8859_1));
          moved = true;
        }
      }
      return moved;
    }

    /** Adds a decoded part of a request to {@link #requests}, checking its framing. */
    private void note(HttpObject o) {
      if (o instanceof HttpRequest r) {
        RequestGuardFuzzTest.checkFraming(r);
        method = r.method().name();
        requests.append(r.method()).append(' ').append(r.uri()).append(' ')
            .append(r.protocolVersion()).append('\n').append(r.headers().entries()).append('\n');
      }
      if (o instanceof HttpContent c) {
        requests.append(c.content().toString(StandardCharsets.ISO_8859_1));
      }
      if (o instanceof LastHttpContent l) {
        requests.append("\n<end ").append(l.trailingHeaders().entries()).append(">\n");
      }
    }
  }

  /**
   * Request heads in {@code input}, at most: how many stand-in connections may be needed (the
   * harness makes at most 8; a request that finds none idle is answered 502).
   */
  private static int heads(byte[] input) {
    int n = 0;
    for (int i = 0; i + 1 < input.length; i++) {
      if (input[i] == '\n' && (input[i + 1] == '\n' || input[i + 1] == '\r')) {
        n++;
      }
    }
    return n;
  }

  private static InetAddress address(int a, int b, int c, int d) {
    try {
      return InetAddress.getByAddress(new byte[] {(byte) a, (byte) b, (byte) c, (byte) d});
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    destinations.close();
    dns.close();
    accessLog.close();
    try (var files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
