package org.schoolgate.proxy;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ForkJoinPool;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.schoolgate.proxy.ca.LeafCertificates;
import org.schoolgate.proxy.ca.SchoolCa;
import org.schoolgate.proxy.intercept.InterceptionSettings;
import org.schoolgate.proxy.testing.HttpsOrigin;
import org.schoolgate.proxy.testing.ProxyClient;
import org.schoolgate.proxy.testing.ProxyClient.Response;
import org.schoolgate.proxy.testing.ProxyExtension;
import org.schoolgate.proxy.testing.TestCa;
import org.schoolgate.proxy.testing.TlsTunnel;
import org.schoolgate.proxy.transport.Transport;
import org.schoolgate.proxy.transport.TransportChoice;

/**
 * The proxy's main flows on each transport {@code proxy.transport} can name: a proxy per
 * transport, listening on that transport's channels, serves a plain HTTP page from a WireMock
 * origin, a block page, a CONNECT tunnel to an HTTPS origin left alone, and an intercepted one
 * (the proxy's own TLS to the client and to the origin over the transport's upstream channels).
 */
class TransportsEndToEndTest {
  private static final String PUPIL = "127.0.0.2"; // gambling blocked, inspect.test intercepted
  private static final String STAFF = "127.0.0.3"; // everything allowed, nothing intercepted

  static final TestCa ORIGINS_CA = new TestCa("Transport Origins CA");
  static final SchoolCa SCHOOL_CA = SchoolCa.generate("Transport School", Clock.systemUTC());
  static final LeafCertificates LEAVES = new LeafCertificates(SCHOOL_CA, ForkJoinPool.commonPool(),
      Clock.systemUTC(), Duration.ofDays(7), 100);

  @RegisterExtension
  static WireMockExtension origin = WireMockExtension.newInstance()
      .options(wireMockConfig().dynamicPort().bindAddress("127.0.0.1")).build();

  @RegisterExtension
  static HttpsOrigin https = new HttpsOrigin(() -> ORIGINS_CA.issue("plain.test", "inspect.test"));

  private static final String POLICY = """
      timezone: Europe/London
      clients:
        allow: [127.0.0.0/29]
      groups:
        pupils: { subnets: [127.0.0.2/32] }
        staff:  { subnets: [127.0.0.3/32] }
      categories:
        gambling: { domains: [betting.test] }
        inspected: { domains: [inspect.test] }
      matrix:
        gambling: { default: acceptable, pupils: unacceptable }
        inspected: { default: acceptable }
      default: acceptable
      tunnels:
        allowed-ports: [443, 1024-65535]
      interception:
        groups: { default: off, pupils: search-and-blocked }
        categories: [inspected]
      """;

  @ParameterizedTest
  @EnumSource(value = TransportChoice.class, names = {"EPOLL", "IO_URING", "NIO"})
  void plainHttpBlockPageTunnelAndInterceptionWorkOn(TransportChoice choice) throws Exception {
    origin.stubFor(get(urlPathMatching("/.*")).willReturn(aResponse().withStatus(200)
        .withHeader("Content-Type", "text/plain").withBody("hello from the origin")));
    ProxyExtension proxy = ProxyExtension.withPolicy(POLICY)
        .staticHost("plain.test", "127.0.0.1")
        .staticHost("betting.test", "127.0.0.1")
        .staticHost("inspect.test", "127.0.0.1")
        .connections(ProxyConfig.Connections.DEFAULTS.withDrainTimeout(Duration.ofSeconds(1))
            .withTransport(choice, false))
        .interception(() -> InterceptionSettings.of(LEAVES, List.of(ORIGINS_CA.certificate())));
    try {
      proxy.start();
      assertThat(proxy.server().listenerChannel())
          .isEqualTo(Transport.choose(choice).serverChannel());

      try (ProxyClient staff = proxy.client(STAFF)) {
        Response r = staff.get("http://plain.test:" + origin.getPort() + "/page");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.text()).isEqualTo("hello from the origin");
      }
      try (ProxyClient pupil = proxy.client(PUPIL)) {
        Response r = pupil.get("http://betting.test:" + origin.getPort() + "/odds");
        assertThat(r.status()).isEqualTo(403);
        assertThat(r.text()).contains("betting.test", "gambling", "unacceptable");
      }
      try (TlsTunnel staff = TlsTunnel.open(proxy, STAFF, "plain.test", https.port(),
          TestCa.trusting(ORIGINS_CA.certificate()))) {
        assertThat(staff.get("/tunnelled").status()).isEqualTo(200);
        assertThat(staff.peerCertificate().getIssuerX500Principal())
            .isEqualTo(ORIGINS_CA.certificate().getSubjectX500Principal());
      }
      try (TlsTunnel pupil = TlsTunnel.open(proxy, PUPIL, "inspect.test", https.port(),
          TestCa.trusting(SCHOOL_CA.certificate()))) {
        Response r = pupil.get("/inspected?x=1");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.text()).contains("uri=/inspected?x=1");
        assertThat(pupil.peerCertificate().getIssuerX500Principal())
            .isEqualTo(SCHOOL_CA.certificate().getSubjectX500Principal());
      }
    } finally {
      proxy.stop();
    }
  }
}
