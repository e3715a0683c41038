package org.schoolgate.proxy.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.benmanes.caffeine.cache.Ticker;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.embedded.EmbeddedChannel;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
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
import org.schoolgate.proxy.upstream.Upstreams;

/**
 * The client pipeline (codec → guard → recorder → front) in an {@link EmbeddedChannel}, with
 * name resolution the test answers by hand: the order of answers to pipelined requests, whatever
 * each one's outcome and however long each takes; closing after {@code Connection: close};
 * {@code Expect: 100-continue} on a refused request; the 400 page for a smuggling attempt.
 */
class FrontHandlerTest {
  private static final Instant NOW = Instant.parse("2026-11-23T12:30:00Z");
  private static final Pattern STATUS = Pattern.compile("HTTP/1\\.1 (\\d{3}) ");

  @TempDir static Path dir;
  static PolicyHolder policy;
  static EventLoopGroup unused;

  private final List<CompletableFuture<DnsAnswer>> lookups = new ArrayList<>();
  private AccessLog accessLog;
  private DnsService dns;
  private EmbeddedChannel channel;
  private DestinationGuard guard;

  @BeforeAll
  static void load() throws Exception {
    Path file = dir.resolve("policy.yaml");
    Files.writeString(file, """
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
    policy = PolicyHolder.load(file, Clock.fixed(NOW, ZoneOffset.UTC));
    unused = Transport.choose(TransportChoice.NIO).loops(1, "front-test-unused");
  }

  @AfterAll
  static void stop() {
    unused.shutdownGracefully(0, 0, TimeUnit.SECONDS);
  }

  @BeforeEach
  void pipeline() throws Exception {
    ProxyMetrics metrics = new ProxyMetrics(new SimpleMeterRegistry());
    Path hosts = Files.writeString(Files.createTempFile(dir, "hosts", ""), "");
    DnsLookup byHand = new DnsLookup() {
      @Override
      public CompletableFuture<DnsAnswer> lookup(String host) {
        CompletableFuture<DnsAnswer> f = new CompletableFuture<>();
        lookups.add(f);
        return f;
      }

      @Override
      public void close() {}
    };
    dns = new DnsService(Map.of(), byHand, DnsSettings.DEFAULTS.withHostsFile(hosts, Duration.ZERO),
        Ticker.systemTicker(), metrics);
    accessLog = AccessLog.start(dir.resolve("logs"), 64, metrics);
    Pages pages = new Pages("http://admin.test/request");
    Upstreams upstreams = new Upstreams(Transport.choose(TransportChoice.NIO), unused, null,
        Duration.ofSeconds(5), Duration.ofSeconds(60), Duration.ofSeconds(30), 4, 64, metrics);
    guard = new DestinationGuard(DestinationSettings.NONE, metrics);
    Decisions decisions = new Decisions(policy::current, pages, metrics,
        Clock.fixed(NOW, ZoneOffset.UTC), false, guard);
    FrontServices services = new FrontServices(decisions, dns, upstreams,
        new Tunnels(policy::current, metrics, Clock.systemUTC(), Duration.ofSeconds(10), pages,
            dns, upstreams, null, decisions.destinations(), Duration.ofSeconds(70)),
        pages, metrics, new FrontServices.Drain());
    ClientSession session = new ClientSession(new InetSocketAddress("10.10.0.5", 50000),
        new Exchanges(accessLog));
    channel = new EmbeddedChannel(new RequestCodec(8192, Duration.ofSeconds(10)),
        new RequestGuard(), new ExchangeRecorder(session.exchanges()),
        new FrontHandler(services, session));
  }

  @AfterEach
  void close() {
    channel.finishAndReleaseAll();
    guard.close();
    dns.close();
    accessLog.close();
  }

  private void send(String raw) {
    channel.writeInbound(Unpooled.copiedBuffer(raw, StandardCharsets.ISO_8859_1));
  }

  /** The statuses of every response written so far, in order. */
  private List<Integer> answered() {
    StringBuilder out = new StringBuilder();
    ByteBuf buf;
    while ((buf = channel.readOutbound()) != null) {
      out.append(buf.toString(StandardCharsets.ISO_8859_1));
      buf.release();
    }
    List<Integer> statuses = new ArrayList<>();
    Matcher m = STATUS.matcher(out);
    while (m.find()) {
      statuses.add(Integer.parseInt(m.group(1)));
    }
    return statuses;
  }

  @Test
  void pipelinedRequestsAreAnsweredInOrderEvenWhenALaterOneIsBlockedAtOnce() {
    send("GET http://slow-one.test/ HTTP/1.1\r\nHost: slow-one.test\r\n\r\n"
        + "GET http://slow-two.test/ HTTP/1.1\r\nHost: slow-two.test\r\n\r\n"
        + "GET http://betting.test/ HTTP/1.1\r\nHost: betting.test\r\n\r\n");

    assertThat(answered()).as("the block page waits for the answers before it").isEmpty();
    assertThat(channel.config().isAutoRead()).as("nothing more is read meanwhile").isFalse();

    lookups.get(0).complete(new DnsAnswer.Failed("no such name", Duration.ZERO));
    channel.runPendingTasks();
    assertThat(answered()).containsExactly(502);

    lookups.get(1).complete(new DnsAnswer.Failed("no such name", Duration.ZERO));
    channel.runPendingTasks();
    assertThat(answered()).containsExactly(502, 403);
    assertThat(channel.isOpen()).isTrue();
    assertThat(channel.config().isAutoRead()).isTrue();
  }

  @Test
  void aClientAskingToCloseIsAnsweredThenClosed() {
    send("GET http://betting.test/ HTTP/1.1\r\nHost: betting.test\r\nConnection: close\r\n\r\n");

    assertThat(answered()).containsExactly(403);
    assertThat(channel.isOpen()).isFalse();
  }

  @Test
  void anHttp10ClientWithoutKeepAliveIsClosedAfterItsAnswer() {
    send("GET http://betting.test/ HTTP/1.0\r\nHost: betting.test\r\n\r\n");

    assertThat(answered()).containsExactly(403);
    assertThat(channel.isOpen()).isFalse();
  }

  @Test
  void aRefusedRequestExpectingContinueIsAnsweredWithoutWaitingForItsBodyAndClosed() {
    send("POST http://betting.test/form HTTP/1.1\r\nHost: betting.test\r\n"
        + "Content-Length: 1000\r\nExpect: 100-continue\r\n\r\n");

    assertThat(answered()).containsExactly(403);
    assertThat(channel.isOpen()).as("the body never comes: the connection cannot go on").isFalse();
  }

  @Test
  void anOriginThatCannotBeAskedWhileTheClientWaitsToContinueEndsTheConnection() {
    send("POST http://gone.test/form HTTP/1.1\r\nHost: gone.test\r\n"
        + "Content-Length: 1000\r\nExpect: 100-continue\r\n\r\n");
    lookups.get(0).complete(new DnsAnswer.Failed("no such name", Duration.ZERO));
    channel.runPendingTasks();

    assertThat(answered()).containsExactly(502);
    assertThat(channel.isOpen()).as("the body never comes: the connection cannot go on").isFalse();
  }

  @Test
  void aSmugglingAttemptAfterAGoodRequestGets400InItsTurnAndTheConnectionCloses() {
    send("GET http://betting.test/ HTTP/1.1\r\nHost: betting.test\r\n\r\n"
        + "POST http://school.test/ HTTP/1.1\r\nHost: school.test\r\nContent-Length: 3\r\n"
        + "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n");

    assertThat(answered()).containsExactly(403, 400);
    assertThat(channel.isOpen()).isFalse();
  }

  @Test
  void aRequestToAnInternalAddressIsRefusedInItsTurnAndNothingIsConnected() {
    send("GET http://slow-one.test/ HTTP/1.1\r\nHost: slow-one.test\r\n\r\n"
        + "GET http://10.1.2.3/printer HTTP/1.1\r\nHost: 10.1.2.3\r\n\r\n");
    lookups.get(0).complete(new DnsAnswer.Failed("no such name", Duration.ZERO));
    channel.runPendingTasks();

    // this front's loop has no upstream pool: had the address passed, connecting would have failed
    assertThat(bodies()).containsExactly("502", "403 internal-destination");
    assertThat(channel.isOpen()).isTrue();
  }

  @Test
  void aConnectWhoseNameResolvesInsideIsRefusedOnceDnsAnswers() throws Exception {
    send("CONNECT inside.test:443 HTTP/1.1\r\nHost: inside.test:443\r\n\r\n");
    assertThat(answered()).isEmpty();

    lookups.get(0).complete(new DnsAnswer.Resolved(java.net.InetAddress.getByName("10.1.2.3"),
        Duration.ofMinutes(1)));
    channel.runPendingTasks();

    assertThat(bodies()).containsExactly("403 internal-destination");
    assertThat(channel.isOpen()).as("the connection goes on as HTTP").isTrue();
  }

  /** Each response's status, and the rule when the body names one. */
  private List<String> bodies() {
    StringBuilder out = new StringBuilder();
    ByteBuf buf;
    while ((buf = channel.readOutbound()) != null) {
      out.append(buf.toString(StandardCharsets.UTF_8));
      buf.release();
    }
    List<String> seen = new ArrayList<>();
    for (String response : out.toString().split("(?=HTTP/1\\.1 \\d{3} )")) {
      Matcher m = STATUS.matcher(response);
      if (m.find()) {
        seen.add(m.group(1) + (response.contains("internal-destination")
            ? " internal-destination" : ""));
      }
    }
    return seen;
  }

  @Test
  void anOptionsRequestWithMaxForwardsZeroIsAnsweredByTheProxy() {
    send("OPTIONS http://school.test/ HTTP/1.1\r\nHost: school.test\r\nMax-Forwards: 0\r\n\r\n");

    assertThat(answered()).containsExactly(200);
    assertThat(lookups).as("no origin is asked").isEmpty();
  }
}
