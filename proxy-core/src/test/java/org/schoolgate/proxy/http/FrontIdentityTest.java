package org.schoolgate.proxy.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.benmanes.caffeine.cache.Ticker;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.embedded.EmbeddedChannel;
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
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.schoolgate.identity.AddressBindings;
import org.schoolgate.identity.AuthMethod;
import org.schoolgate.identity.IdentityService;
import org.schoolgate.identity.ProxyCredentials;
import org.schoolgate.identity.Verification;
import org.schoolgate.identity.Verifier;
import org.schoolgate.policy.PolicyHolder;
import org.schoolgate.proxy.destination.DestinationGuard;
import org.schoolgate.proxy.destination.DestinationSettings;
import org.schoolgate.proxy.dns.DnsAnswer;
import org.schoolgate.proxy.dns.DnsLookup;
import org.schoolgate.proxy.dns.DnsService;
import org.schoolgate.proxy.dns.DnsSettings;
import org.schoolgate.proxy.filter.ClientSession;
import org.schoolgate.proxy.filter.Decisions;
import org.schoolgate.proxy.identity.Identities;
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
 * The front's identification step in an {@link EmbeddedChannel}, with a verifier whose answers
 * the test gives by hand (as {@code FrontHandlerTest} answers DNS): 407 with the network's
 * schemes when no credentials come, or wrong or unreadable ones, and the connection kept for the
 * next attempt; 503 when nobody can check (fail closed); 403 outside the served networks; a
 * request and its body held while the directory is asked, then decided for the person (block page
 * naming them); a Negotiate sign-in kept for the connection, Basic asked again per request.
 */
class FrontIdentityTest {
  private static final Instant NOW = Instant.parse("2026-11-23T12:30:00Z");
  private static final String BASIC_ALICE = "Basic "
      + java.util.Base64.getEncoder().encodeToString("alice:secret".getBytes(StandardCharsets.UTF_8));
  private static final String STAFF_DN = "cn=Staff,ou=Groups,dc=school,dc=example";

  @TempDir static Path dir;
  static PolicyHolder policy;
  static EventLoopGroup unused;

  /** Verifications asked for, in order, each answered by the test. */
  private final List<CompletableFuture<Verification>> asked = new ArrayList<>();
  private final List<ProxyCredentials> credentials = new ArrayList<>();
  private final List<CompletableFuture<DnsAnswer>> lookups = new ArrayList<>();
  private AccessLog accessLog;
  private DnsService dns;
  private DestinationGuard guard;
  private ProxyMetrics metrics;
  private SimpleMeterRegistry registry;
  private FrontServices services;
  private EmbeddedChannel channel;

  @BeforeAll
  static void load() throws Exception {
    Path file = dir.resolve("policy.yaml");
    Files.writeString(file, """
        clients:
          allow: [10.0.0.0/8]
        groups:
          pupils: { subnets: [10.20.0.0/16] }
          staff:  { subnets: [10.30.0.0/16] }
        categories:
          gambling: { domains: [betting.test] }
        matrix:
          gambling: { default: unacceptable }
        default: acceptable
        identification:
          networks:
            staff-pcs: { subnets: [10.30.0.0/16], proxy-auth: required, schemes: [negotiate, basic] }
            pupil-pcs: { subnets: [10.20.0.0/16], proxy-auth: optional, schemes: [basic] }
          directory-groups:
            - { directory-group: "cn=Staff,ou=Groups,dc=school,dc=example", group: staff }
        """);
    policy = PolicyHolder.load(file, Clock.fixed(NOW, ZoneOffset.UTC));
    unused = Transport.choose(TransportChoice.NIO).loops(1, "front-identity-unused");
  }

  @AfterAll
  static void stop() {
    unused.shutdownGracefully(0, 0, TimeUnit.SECONDS);
  }

  @BeforeEach
  void services() throws Exception {
    registry = new SimpleMeterRegistry();
    metrics = new ProxyMetrics(registry);
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
    Verifier byHandVerifier = new Verifier() {
      @Override
      public CompletableFuture<Verification> verify(ProxyCredentials c, InetAddress client) {
        credentials.add(c);
        if (c instanceof ProxyCredentials.Malformed m) {
          return CompletableFuture.completedFuture(
              new Verification.Refused(Verification.Refusal.MALFORMED, m.reason()));
        }
        CompletableFuture<Verification> f = new CompletableFuture<>();
        asked.add(f);
        return f;
      }

      @Override
      public CompletableFuture<Verification> groupsOf(String user, AuthMethod method) {
        return CompletableFuture.completedFuture(new Verification.Verified(user, List.of(), method));
      }
    };
    IdentityService identity = new IdentityService(byHandVerifier, AddressBindings.NONE,
        Clock.fixed(NOW, ZoneOffset.UTC));
    Decisions decisions = new Decisions(policy::current, pages, metrics,
        Clock.fixed(NOW, ZoneOffset.UTC), false, guard, new Identities(identity));
    services = new FrontServices(decisions, dns, upstreams,
        new Tunnels(policy::current, metrics, Clock.systemUTC(), Duration.ofSeconds(10), pages,
            dns, upstreams, null, decisions.destinations(), Duration.ofSeconds(70)),
        pages, metrics, new FrontServices.Drain());
    channel = client("10.30.0.7");
  }

  private EmbeddedChannel client(String address) {
    ClientSession session = new ClientSession(new InetSocketAddress(address, 50000),
        new Exchanges(accessLog));
    return new EmbeddedChannel(new RequestCodec(8192, Duration.ofSeconds(10)),
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

  /** Everything written to the client so far. */
  private String written() {
    StringBuilder out = new StringBuilder();
    ByteBuf buf;
    while ((buf = channel.readOutbound()) != null) {
      out.append(buf.toString(StandardCharsets.UTF_8));
      buf.release();
    }
    return out.toString();
  }

  private double rejected(String reason) {
    return registry.find(ProxyMetrics.REJECTED).tag("reason", reason).counter().count();
  }

  @Test
  void aStaffComputerWithoutCredentialsIsAskedToSignInByBothSchemesAndKeepsItsConnection() {
    send("GET http://news.test/ HTTP/1.1\r\nHost: news.test\r\n\r\n");

    String answer = written();
    assertThat(answer).startsWith("HTTP/1.1 407 Proxy Authentication Required\r\n")
        .contains("proxy-authenticate: Negotiate\r\n")
        .contains("proxy-authenticate: Basic realm=\"School web filter\", charset=\"UTF-8\"\r\n")
        .contains("Sign in to use the internet")
        .contains("sign in to use the internet from this computer");
    assertThat(answer.indexOf("Negotiate")).as("the network's order: Negotiate first")
        .isLessThan(answer.indexOf("Basic realm"));
    assertThat(channel.isOpen()).as("a Negotiate handshake goes on on this connection").isTrue();
    assertThat(asked).as("nothing to verify").isEmpty();
    assertThat(rejected("sign-in-required")).isEqualTo(1);
  }

  @Test
  void aWrongPasswordIsAskedAgainWithTheReason() {
    send("GET http://news.test/ HTTP/1.1\r\nHost: news.test\r\nProxy-Authorization: " + BASIC_ALICE
        + "\r\n\r\n");
    assertThat(written()).as("the directory is being asked").isEmpty();

    asked.get(0).complete(new Verification.Refused(Verification.Refusal.WRONG_CREDENTIALS,
        Verification.WRONG));
    channel.runPendingTasks();

    assertThat(written()).startsWith("HTTP/1.1 407 ")
        .contains("the user name or password is wrong");
    assertThat(channel.isOpen()).isTrue();
    assertThat(channel.config().isAutoRead()).as("reading resumes").isTrue();
  }

  @Test
  void anUnreadableProxyAuthorizationIsAskedAgainSayingWhatIsWrongAndCounted() {
    send("GET http://news.test/ HTTP/1.1\r\nHost: news.test\r\nProxy-Authorization: Bearer abc"
        + "\r\n\r\n");

    assertThat(written()).startsWith("HTTP/1.1 407 ")
        .contains("the scheme &#39;Bearer&#39; is not offered (expected: Negotiate or Basic)");
    assertThat(credentials).singleElement().isInstanceOf(ProxyCredentials.Malformed.class);
    assertThat(rejected("sign-in-required")).isEqualTo(1);
  }

  @Test
  void whenNobodyCanCheckCredentialsTheStaffNetworkFailsClosedWith503() {
    send("GET http://news.test/ HTTP/1.1\r\nHost: news.test\r\nProxy-Authorization: " + BASIC_ALICE
        + "\r\n\r\n");
    asked.get(0).complete(new Verification.Unavailable("the directory is not answering"));
    channel.runPendingTasks();

    assertThat(written()).startsWith("HTTP/1.1 503 Service Unavailable\r\n")
        .contains("retry-after: 30")
        .contains("cannot check who you are at the moment (the directory is not answering)");
    assertThat(lookups).as("never forwarded under the subnet's group").isEmpty();
    assertThat(rejected("identity-unavailable")).isEqualTo(1);
  }

  @Test
  void aClientOutsideEveryServedNetworkIsRefusedWhateverItSends() {
    channel.finishAndReleaseAll();
    channel = client("192.168.1.9");
    send("GET http://news.test/ HTTP/1.1\r\nHost: news.test\r\nProxy-Authorization: " + BASIC_ALICE
        + "\r\n\r\n");

    assertThat(written()).startsWith("HTTP/1.1 403 ").contains("Not a client of this proxy");
    assertThat(asked).as("no directory look-up for strangers").isEmpty();
  }

  @Test
  void aRequestAndItsBodyWaitForTheDirectoryThenAreDecidedForThePerson() {
    send("POST http://betting.test/bet HTTP/1.1\r\nHost: betting.test\r\nContent-Length: 5\r\n"
        + "Proxy-Authorization: " + BASIC_ALICE + "\r\n\r\nhello");

    assertThat(written()).isEmpty();
    assertThat(channel.config().isAutoRead()).as("nothing more is read meanwhile").isFalse();

    asked.get(0).complete(new Verification.Verified("alice", List.of(STAFF_DN), AuthMethod.BASIC));
    channel.runPendingTasks();

    assertThat(written()).startsWith("HTTP/1.1 403 Forbidden\r\n")
        .contains("signed in as alice in group staff");
    assertThat(channel.isOpen()).as("the body was read whole: the connection goes on").isTrue();
    assertThat(channel.config().isAutoRead()).isTrue();

    send("GET http://news.test/ HTTP/1.1\r\nHost: news.test\r\n\r\n");
    assertThat(written()).as("Basic is sent with every request; without it, asked again")
        .startsWith("HTTP/1.1 407 ");
  }

  @Test
  void aNegotiateSignInHoldsForTheRestOfTheConnection() {
    String token = "Negotiate " + java.util.Base64.getEncoder().encodeToString(new byte[] {1, 2, 3});
    send("GET http://betting.test/ HTTP/1.1\r\nHost: betting.test\r\nProxy-Authorization: " + token
        + "\r\n\r\n");
    asked.get(0).complete(new Verification.Verified("bob", List.of(STAFF_DN), AuthMethod.NEGOTIATE));
    channel.runPendingTasks();
    assertThat(written()).contains("signed in as bob in group staff");

    send("GET http://betting.test/again HTTP/1.1\r\nHost: betting.test\r\n\r\n");

    assertThat(written()).as("no second handshake on the same connection")
        .startsWith("HTTP/1.1 403 Forbidden").contains("signed in as bob in group staff");
    assertThat(asked).hasSize(1);
  }

  @Test
  void aPupilComputerWithoutCredentialsIsDecidedByItsSubnetWithoutAskingAnybody() {
    channel.finishAndReleaseAll();
    channel = client("10.20.0.9");
    send("GET http://betting.test/ HTTP/1.1\r\nHost: betting.test\r\n\r\n");

    assertThat(written()).startsWith("HTTP/1.1 403 Forbidden")
        .contains("not signed in (group pupils, from this computer&#39;s network)");
    assertThat(asked).isEmpty();
  }

  @Test
  void aConnectionThatClosesWhileTheDirectoryIsAskedDropsTheLateAnswer() {
    send("GET http://news.test/ HTTP/1.1\r\nHost: news.test\r\nProxy-Authorization: " + BASIC_ALICE
        + "\r\n\r\n");
    channel.close();

    asked.get(0).complete(new Verification.Verified("alice", List.of(STAFF_DN), AuthMethod.BASIC));
    channel.runPendingTasks();

    assertThat(lookups).as("nothing goes on for a closed connection").isEmpty();
  }
}
