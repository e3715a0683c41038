package org.schoolgate.proxy.transparent;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.schoolgate.identity.AddressBinding;
import org.schoolgate.identity.AuthMethod;
import org.schoolgate.identity.IdentityService;
import org.schoolgate.identity.Verifier;
import org.schoolgate.identity.binding.BindingTable;
import org.schoolgate.identity.metrics.IdentityMetrics;
import org.schoolgate.proxy.ProxyConfig;
import org.schoolgate.proxy.filter.ClientSession;
import org.schoolgate.proxy.site.PacSettings;
import org.schoolgate.proxy.testing.ProxyClient;
import org.schoolgate.proxy.testing.ProxyExtension;
import org.schoolgate.proxy.transport.TransportChoice;

/**
 * Who is behind a redirected connection: it cannot answer a 407, so on a network that requires
 * sign-in the transparent listener identifies by the address-binding table (a logon session here)
 * and answers a client nobody is bound to with the 511 sign-in-first page, never a 407 — while
 * the proxy port still asks the same client to sign in (407). On loopback, with absolute-form
 * requests (the original destination needs a redirecting router: see TransparentNetnsTest). On
 * epoll and on io_uring, one proxy each.
 */
class TransparentIdentityTest {
  private static final String UNBOUND = "127.0.0.33";
  private static final String BOUND = "127.0.0.34";
  static final BindingTable bindings = BindingTable.inMemory(Clock.systemUTC(),
      new IdentityMetrics(new SimpleMeterRegistry()));
  static HttpServer origin;

  private static ProxyExtension proxyOn(TransportChoice transport) {
    return ProxyExtension.withPolicy("""
          timezone: Europe/London
          clients:
            allow: [127.0.0.0/24]
          groups:
            staff: { subnets: [127.0.0.32/28] }
          default: acceptable
          identification:
            networks:
              staff-pcs: { subnets: [127.0.0.32/28], proxy-auth: required, schemes: [basic] }
          """)
        .clock(Clock.systemUTC())
        .identity(() -> new IdentityService(Verifier.NONE, bindings, Clock.systemUTC()))
        .network(() -> {
          try {
            return new ProxyConfig.Network(new TransparentSettings(
                InetAddress.getByName("127.0.0.1"), freePort(), 0, TransparentMode.REDIRECT),
                PacSettings.DEFAULTS, null);
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        })
        .connections(ProxyConfig.Connections.DEFAULTS.withTransport(transport, false));
  }

  @BeforeAll
  static void startOrigin() throws Exception {
    origin = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 8);
    origin.createContext("/", exchange -> {
      byte[] body = "from the origin".getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    origin.start();
    bindings.bind(InetAddress.getByName(BOUND), new AddressBinding("mr.smith", Set.of(),
        AuthMethod.SESSION, Instant.now().plus(1, ChronoUnit.HOURS)), "test");
  }

  @AfterAll
  static void stopOrigin() {
    origin.stop(0);
  }

  @ParameterizedTest
  @EnumSource(value = TransportChoice.class, names = {"EPOLL", "IO_URING"})
  void aRedirectedClientIsKnownByItsBindingOrToldToSignInFirstNeverAsked407(
      TransportChoice transport) throws Exception {
    ProxyExtension proxy = proxyOn(transport);
    proxy.start();
    try {
      signInOrBinding(proxy);
    } finally {
      proxy.stop();
    }
  }

  private static void signInOrBinding(ProxyExtension proxy) throws Exception {
    InetSocketAddress transparent = proxy.server().address(ClientSession.Listener.TRANSPARENT_HTTP);
    String url = "http://127.0.0.1:" + origin.getAddress().getPort() + "/page";
    try (ProxyClient c = ProxyClient.connect(transparent, UNBOUND)) {
      ProxyClient.Response r = c.get(url);
      assertThat(r.status()).isEqualTo(511);
      assertThat(r.header("proxy-authenticate")).isNull();
      assertThat(r.text()).contains("Sign in to use the internet").contains("sign-in page");
    }
    try (ProxyClient c = ProxyClient.connect(transparent, BOUND)) {
      ProxyClient.Response r = c.get(url);
      assertThat(r.status()).isEqualTo(200);
      assertThat(r.text()).isEqualTo("from the origin");
    }
    try (ProxyClient c = proxy.client(UNBOUND)) { // the proxy port asks, as before
      ProxyClient.Response r = c.get(url);
      assertThat(r.status()).isEqualTo(407);
      assertThat(r.header("proxy-authenticate")).startsWith("Basic");
    }
    proxy.server().flushAccessLog(java.time.Duration.ofSeconds(10));
    List<String> lines = new java.util.ArrayList<>();
    try (var files = java.nio.file.Files.list(proxy.logDir())) {
      for (var f : files.toList()) {
        lines.addAll(java.nio.file.Files.readAllLines(f));
      }
    }
    assertThat(lines).anySatisfy(l -> assertThat(l).contains("\"client\":\"" + BOUND + "\"")
        .contains("\"user\":\"mr.smith\"").contains("\"auth\":\"session\"")
        .contains("\"action\":\"allow\""));
    assertThat(lines).anySatisfy(l -> assertThat(l).contains("\"client\":\"" + UNBOUND + "\"")
        .contains("\"rule\":\"sign-in-required\"").contains("\"status\":511"));
  }

  private static int freePort() throws Exception {
    try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

}
