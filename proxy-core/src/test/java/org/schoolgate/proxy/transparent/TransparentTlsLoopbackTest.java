package org.schoolgate.proxy.transparent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ForkJoinPool;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.schoolgate.proxy.ProxyConfig;
import org.schoolgate.proxy.ca.LeafCertificates;
import org.schoolgate.proxy.ca.SchoolCa;
import org.schoolgate.proxy.filter.ClientSession;
import org.schoolgate.proxy.intercept.InterceptionSettings;
import org.schoolgate.proxy.site.PacSettings;
import org.schoolgate.proxy.testing.ProxyExtension;
import org.schoolgate.proxy.testing.TestCa;
import org.schoolgate.proxy.transport.TransportChoice;

/**
 * A redirected TLS connection to a blocked site, on loopback (TPROXY mode: the listener has
 * IP_TRANSPARENT, so root; the original destination is the listener itself — a high port, which
 * the policy's tunnel ports allow — and a blocked site needs no origin): where the policy intercepts blocked sites for the group, the block page comes
 * inside TLS under the school CA's leaf for the name in the ClientHello; where it does not, the
 * handshake is refused. Both are logged with the group's decision. On epoll and on io_uring (one
 * proxy each, started on first use): both set IP_TRANSPARENT and read the local address of the
 * accepted socket.
 */
class TransparentTlsLoopbackTest {
  static final SchoolCa SCHOOL_CA = SchoolCa.generate("Transparent TLS School", Clock.systemUTC());
  private static final String INTERCEPTED = "127.0.0.2";
  private static final String PLAIN = "127.0.0.3";

  private static final Map<TransportChoice, ProxyExtension> proxies =
      new EnumMap<>(TransportChoice.class);

  /** The proxy on {@code transport}, started on first use. */
  private static ProxyExtension proxy(TransportChoice transport) throws Exception {
    ProxyExtension p = proxies.get(transport);
    if (p == null) {
      p = proxyOn(transport);
      p.start();
      proxies.put(transport, p);
    }
    return p;
  }

  @AfterAll
  static void stopProxies() throws Exception {
    for (ProxyExtension p : proxies.values()) {
      p.stop();
    }
  }

  private static ProxyExtension proxyOn(TransportChoice transport) {
    return ProxyExtension.withPolicy("""
          clients:
            allow: [127.0.0.0/29]
          groups:
            pupils: { subnets: [127.0.0.2/32] }
            guests: { subnets: [127.0.0.3/32] }
          categories:
            gambling: { domains: [blocked.test] }
          matrix:
            gambling: { default: unacceptable }
          default: acceptable
          tunnels:
            allowed-ports: [443, 1024-65535]
          interception:
            groups: { default: off, pupils: search-and-blocked }
          """)
        .interception(() -> InterceptionSettings.of(new LeafCertificates(SCHOOL_CA,
            ForkJoinPool.commonPool(), Clock.systemUTC(), Duration.ofDays(7), 10), List.of()))
        .network(() -> new ProxyConfig.Network(new TransparentSettings(
            InetAddress.getLoopbackAddress(), 0, freePort(), TransparentMode.TPROXY),
            PacSettings.DEFAULTS, null))
        .connections(ProxyConfig.Connections.DEFAULTS.withTransport(transport, false));
  }

  @ParameterizedTest
  @EnumSource(value = TransportChoice.class, names = {"EPOLL", "IO_URING"})
  void whereTheGroupIsInterceptedTheBlockPageComesUnderTheSchoolCa(TransportChoice transport)
      throws Exception {
    try (SSLSocket s = tls(proxy(transport), INTERCEPTED, "blocked.test")) {
      s.startHandshake();
      X509Certificate leaf = (X509Certificate) s.getSession().getPeerCertificates()[0];
      assertThat(leaf.getIssuerX500Principal())
          .isEqualTo(SCHOOL_CA.certificate().getSubjectX500Principal());
      OutputStream out = s.getOutputStream();
      out.write("GET /bet HTTP/1.1\r\nHost: blocked.test\r\nConnection: close\r\n\r\n"
          .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      String answer = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(answer).startsWith("HTTP/1.1 403").contains("blocked.test").contains("gambling");
    }
  }

  @ParameterizedTest
  @EnumSource(value = TransportChoice.class, names = {"EPOLL", "IO_URING"})
  void otherwiseTheHandshakeIsRefused(TransportChoice transport) throws Exception {
    ProxyExtension proxy = proxy(transport);
    try (SSLSocket s = tls(proxy, PLAIN, "blocked.test")) {
      assertThatThrownBy(s::startHandshake).isInstanceOf(IOException.class);
    }
    proxy.server().flushAccessLog(Duration.ofSeconds(10));
    InetSocketAddress listener = proxy.server().address(ClientSession.Listener.TRANSPARENT_TLS);
    String original = listener.getAddress().getHostAddress() + ":" + listener.getPort();
    assertThat(proxy.accessLog()).anySatisfy(line -> assertThat(line)
        .containsEntry("client", PLAIN).containsEntry("host", "blocked.test")
        .as("TPROXY's original destination: the accepted socket's local address")
        .containsEntry("dst", original)
        .containsEntry("action", "block").containsEntry("scheme", "https")
        .satisfies(l -> assertThat((String) l.get("rule")).contains("gambling")));
  }

  private static SSLSocket tls(ProxyExtension proxy, String from, String name) throws Exception {
    InetSocketAddress listener = proxy.server().address(ClientSession.Listener.TRANSPARENT_TLS);
    Socket plain = new Socket();
    plain.bind(new InetSocketAddress(from, 0));
    plain.connect(listener, 5_000);
    plain.setSoTimeout(20_000);
    SSLContext trust = TestCa.trusting(SCHOOL_CA.certificate());
    SSLSocket s = (SSLSocket) trust.getSocketFactory().createSocket(plain, name,
        listener.getPort(), true);
    SSLParameters params = s.getSSLParameters();
    params.setServerNames(List.of(new SNIHostName(name)));
    params.setEndpointIdentificationAlgorithm("HTTPS");
    s.setSSLParameters(params);
    return s;
  }

  private static int freePort() {
    try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
