package org.schoolgate.proxy.filter;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.netty.util.ReferenceCountUtil;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.schoolgate.proxy.dns.DnsGate;
import org.schoolgate.proxy.log.AccessLog;
import org.schoolgate.proxy.log.Exchange;
import org.schoolgate.proxy.log.ExchangeRecorder;
import org.schoolgate.proxy.log.Exchanges;
import org.schoolgate.proxy.metrics.ProxyMetrics;
import org.schoolgate.proxy.pages.Pages;
import org.schoolgate.proxy.tls.TunnelInspector;

/**
 * The handlers at the front of a client connection, in an {@link EmbeddedChannel}: bytes in, then
 * what the rest of the proxy receives (requests out) and what the client receives (responses out).
 * Fuzz targets and tests drive it without knowing which handlers those are.
 *
 * <p>Today that is LittleProxy's codec as LittleProxy configures it (request decoder with an
 * 8 KiB request line and 16 KiB of headers and chunks, response encoder), then
 * {@link MalformedRequestGuard} and {@link org.schoolgate.proxy.log.ExchangeRecorder}, as
 * {@code ConnectionSetup} installs them. The rest of the proxy is a stand-in that takes every
 * message and, as {@code DecisionFilter} does, opens an exchange for each request, answering
 * nothing. When the request path is rewritten, {@link #pipeline} is the one place to repoint.
 */
final class FrontHandlers implements AutoCloseable {
  static final InetSocketAddress CLIENT = new InetSocketAddress("127.0.0.2", 40_000);
  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-23T12:30:00Z"), ZoneOffset.UTC);

  private final Path logDir;
  private final ProxyMetrics metrics = new ProxyMetrics(new SimpleMeterRegistry());
  private final AccessLog accessLog;
  private final Pages pages = new Pages("http://admin.school.test/request-access");

  private FrontHandlers(Path logDir) {
    this.logDir = logDir;
    this.accessLog = AccessLog.start(logDir, 256, metrics);
  }

  /** Starts the shared parts (the access log, in a temporary directory). */
  static FrontHandlers start() {
    try {
      return new FrontHandlers(Files.createTempDirectory("schoolgate-front"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** What one connection's client sent and got. */
  record Outcome(List<HttpObject> passed, byte[] written, boolean open, List<ByteBuf> sent) {
    /**
     * Releases what was passed on, then checks that nothing holds on to the bytes sent in (the
     * decoder passes body parts as slices of them).
     */
    void release() {
      passed.forEach(ReferenceCountUtil::release);
      for (ByteBuf b : sent) {
        if (b.refCnt() != 0) {
          throw new AssertionError("the front handlers kept " + b.refCnt() + " reference(s) to bytes sent in");
        }
      }
    }
  }

  /**
   * Sends {@code input} on a new connection in pieces of {@code piece} bytes, then reads what came
   * out. The caller releases the outcome ({@link Outcome#release}). Throws what a handler threw.
   */
  Outcome send(byte[] input, int piece) {
    List<HttpObject> passed = new ArrayList<>();
    EmbeddedChannel channel = pipeline(passed);
    List<ByteBuf> sent = new ArrayList<>();
    for (int at = 0; at < input.length && channel.isOpen(); at += piece) {
      ByteBuf bytes = Unpooled.copiedBuffer(input, at, Math.min(piece, input.length - at));
      sent.add(bytes);
      channel.writeInbound(bytes);
    }
    channel.runPendingTasks();
    channel.checkException();
    ByteArrayOutputStream written = new ByteArrayOutputStream();
    for (Object out; (out = channel.readOutbound()) != null; ) {
      ByteBuf buf = (ByteBuf) out;
      byte[] b = new byte[buf.readableBytes()];
      buf.readBytes(b);
      written.writeBytes(b);
      buf.release();
    }
    boolean open = channel.isOpen();
    channel.finishAndReleaseAll();
    return new Outcome(passed, written.toByteArray(), open, sent);
  }

  /** The front handlers; {@code passed} receives what reaches the rest of the proxy. */
  private EmbeddedChannel pipeline(List<HttpObject> passed) {
    Exchanges exchanges = new Exchanges(accessLog);
    ClientSession session = new ClientSession(CLIENT, exchanges, new DnsGate(),
        new TunnelInspector(() -> null, metrics, CLOCK, Duration.ofSeconds(10)));
    EmbeddedChannel channel = new EmbeddedChannel(
        new HttpResponseEncoder(),
        new HttpRequestDecoder(8192, 16 * 1024, 16 * 1024),
        new MalformedRequestGuard(pages, metrics, CLOCK, session),
        new ExchangeRecorder(exchanges),
        new ChannelInboundHandlerAdapter() {
          @Override
          public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof HttpRequest) {
              exchanges.begin(new Exchange(CLOCK.instant(), System.nanoTime(), "127.0.0.2"));
            }
            passed.add((HttpObject) msg);
          }
        });
    session.attach(channel);
    return channel;
  }

  @Override
  public void close() {
    accessLog.close();
    try (var files = Files.walk(logDir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
