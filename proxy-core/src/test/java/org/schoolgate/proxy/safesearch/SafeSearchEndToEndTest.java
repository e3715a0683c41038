package org.schoolgate.proxy.safesearch;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.schoolgate.policy.testing.Eventually;
import org.schoolgate.proxy.metrics.ProxyMetrics;
import org.schoolgate.proxy.testing.ProxyClient;
import org.schoolgate.proxy.testing.ProxyClient.Response;
import org.schoolgate.proxy.testing.ProxyExtension;
import org.schoolgate.proxy.testing.TestDnsServer;
import org.schoolgate.proxy.testing.TlsOrigin;

/**
 * SafeSearch without decrypting, end to end through a real proxy. Two TLS origins on one port
 * stand in for www.google.com (127.0.0.4) and forcesafesearch.google.com (127.0.0.5), both with a
 * certificate for www.google.com, as in real life; the resolver maps the names to them. A WireMock
 * origin on 127.0.0.5 stands in for the safe hosts over plain HTTP.
 */
class SafeSearchEndToEndTest {
  private static final String PUPIL = "127.0.0.2";
  private static final String STAFF = "127.0.0.3";
  private static final String SENIOR = "127.0.0.6";

  @RegisterExtension
  @Order(1)
  static TlsOrigin google = new TlsOrigin("www.google.com").bindTo("127.0.0.4", () -> 0);

  @RegisterExtension
  @Order(2) // after google: it takes google's port
  static TlsOrigin safeGoogle = new TlsOrigin("www.google.com", "forcesafesearch.google.com")
      .bindTo("127.0.0.5", google::port);

  @RegisterExtension
  @Order(3)
  static TestDnsServer dns = new TestDnsServer()
      .answer("restrictmoderate.youtube.com", "127.0.0.5");

  @RegisterExtension
  @Order(4)
  static WireMockExtension http = WireMockExtension.newInstance()
      .options(wireMockConfig().dynamicPort().bindAddress("127.0.0.5")).build();

  @RegisterExtension
  @Order(5)
  static ProxyExtension proxy = ProxyExtension.withPolicy("""
          timezone: Europe/London
          clients:
            allow: [127.0.0.0/29]
          groups:
            pupils:  { subnets: [127.0.0.2/32], description: "Pupils" }
            seniors: { subnets: [127.0.0.6/32], description: "Secondary pupils" }
            staff:   { subnets: [127.0.0.3/32], description: "Staff" }
          categories:
            gambling: { domains: [betting.test] }
          matrix:
            gambling: { default: unacceptable }
          default: acceptable
          tunnels:
            allowed-ports: [443, 1024-65535]
          safesearch:
            search:  { default: enforce, staff: off }
            youtube: { default: strict, seniors: moderate, staff: off }
          """)
      .staticHost("www.google.com", "127.0.0.4")
      .staticHost("forcesafesearch.google.com", "127.0.0.5")
      .staticHost("www.youtube.com", "127.0.0.4")
      .staticHost("restrict.youtube.com", "127.0.0.5")
      .staticHost("www.bing.com", "127.0.0.5") // strict.bing.com: unknown (NXDOMAIN)
      .dnsServers(() -> List.of(dns.address())); // restrictmoderate.youtube.com: through the gate

  @BeforeEach
  void stubs() { // WireMockExtension resets its stubs before each test
    http.stubFor(get(urlPathMatching("/.*")).willReturn(aResponse().withStatus(200).withBody("ok")));
  }

  @Test
  void pupilsGoogleTunnelReachesForceSafeSearchWhileTheBrowsersCertificateCheckPasses()
      throws Exception {
    int safeHandshakes = safeGoogle.handshakes();
    int plainHandshakes = google.handshakes();
    try (ProxyClient pupil = proxy.client(PUPIL)) {
      assertThat(pupil.connectTunnel("www.google.com:" + google.port()).status()).isEqualTo(200);

      SSLSocket tls = safeGoogle.browserHandshake(pupil.socket(), "www.google.com");

      assertThat(tls.getSession().getPeerCertificates()[0]).isEqualTo(safeGoogle.certificate());
      assertThat(exchange(tls)).isEqualTo("hello www.google.com");
    }
    assertThat(safeGoogle.handshakes()).isEqualTo(safeHandshakes + 1);
    assertThat(google.handshakes()).isEqualTo(plainHandshakes);
    Eventually.within(Duration.ofSeconds(10), () -> assertThat(proxy.accessLog())
        .anySatisfy(l -> assertThat(l).containsEntry("method", "CONNECT")
            .containsEntry("host", "www.google.com").containsEntry("group", "pupils")
            .containsEntry("safesearch", "forcesafesearch.google.com")));
    assertThat(counted("google", "tunnel")).isPositive();
  }

  @Test
  void staffGoogleTunnelReachesGoogleItself() throws Exception {
    int safeHandshakes = safeGoogle.handshakes();
    try (ProxyClient staff = proxy.client(STAFF)) {
      assertThat(staff.connectTunnel("www.google.com:" + google.port()).status()).isEqualTo(200);

      SSLSocket tls = google.browserHandshake(staff.socket(), "www.google.com");

      assertThat(tls.getSession().getPeerCertificates()[0]).isEqualTo(google.certificate());
      assertThat(exchange(tls)).isEqualTo("hello www.google.com");
    }
    assertThat(safeGoogle.handshakes()).isEqualTo(safeHandshakes);
  }

  @Test
  void pupilsPlainHttpSearchGetsSafeActiveAndKeepsTheQuery() throws Exception {
    try (ProxyClient pupil = proxy.client(PUPIL)) {
      Response r = pupil.get("http://www.google.com:" + http.getPort()
          + "/search?q=volcano+facts&safe=off&hl=en");

      assertThat(r.status()).isEqualTo(200);
    }
    http.verify(getRequestedFor(urlEqualTo("/search?q=volcano+facts&hl=en&safe=active"))
        .withHeader("Host", equalTo("www.google.com:" + http.getPort())));
    assertThat(counted("google", "http")).isPositive();
  }

  @ParameterizedTest(name = "{0}: YouTube-Restrict {2}")
  @CsvSource(delimiter = '|', textBlock = """
      127.0.0.2 | pupils  | Strict
      127.0.0.6 | seniors | Moderate
      """)
  void youtubeOverHttpGetsTheGroupsRestriction(String client, String group, String mode)
      throws Exception {
    try (ProxyClient c = proxy.client(client)) {
      Response r = c.get("http://www.youtube.com:" + http.getPort() + "/watch?v=" + group);

      assertThat(r.status()).isEqualTo(200);
    }
    http.verify(getRequestedFor(urlEqualTo("/watch?v=" + group))
        .withHeader("YouTube-Restrict", equalTo(mode)));
    assertThat(counted(mode.equals("Strict") ? "youtube-strict" : "youtube-moderate", "http"))
        .isPositive();
  }

  @Test
  void staffYoutubeOverHttpIsNotRestricted() throws Exception {
    try (ProxyClient staff = proxy.client(STAFF)) {
      // staff go to www.youtube.com itself (127.0.0.4), where no plain-HTTP origin listens
      Response r = staff.get("http://www.youtube.com:" + http.getPort() + "/watch?v=staff");

      assertThat(r.status()).isEqualTo(502);
    }
    http.verify(0, getRequestedFor(urlEqualTo("/watch?v=staff")));
  }

  @Test
  void theDnsGateResolvesTheSafeHostNotTheSitesOwnName() throws Exception {
    try (ProxyClient senior = proxy.client(SENIOR)) {
      // restrictmoderate.youtube.com is known only to the DNS server: the gate holds and resolves it
      Response r = senior.get("http://www.youtube.com:" + http.getPort() + "/watch?v=gate");

      assertThat(r.status()).isEqualTo(200);
    }
    http.verify(getRequestedFor(urlEqualTo("/watch?v=gate"))
        .withHeader("YouTube-Restrict", equalTo("Moderate")));
    assertThat(dns.questions()).anyMatch(q -> q.startsWith("restrictmoderate.youtube.com. "))
        .noneMatch(q -> q.startsWith("www.youtube.com. "));
  }

  @Test
  void anUnresolvableSafeHostIsADnsErrorNotTheSiteItself() throws Exception {
    try (ProxyClient pupil = proxy.client(PUPIL)) {
      Response r = pupil.get("http://www.bing.com:" + http.getPort() + "/search?q=bing");

      assertThat(r.status()).isEqualTo(502);
      assertThat(r.text()).contains("could not find");
    }
    http.verify(0, getRequestedFor(urlEqualTo("/search?q=bing")));
    assertThat(dns.questions()).anyMatch(q -> q.startsWith("strict.bing.com. "));
  }

  private static String exchange(SSLSocket tls) throws Exception {
    tls.getOutputStream().write("hi\n".getBytes(StandardCharsets.UTF_8));
    tls.getOutputStream().flush();
    return new BufferedReader(new InputStreamReader(tls.getInputStream(), StandardCharsets.UTF_8))
        .readLine();
  }

  private static double counted(String target, String via) {
    var counter = proxy.registry().find(ProxyMetrics.SAFESEARCH).tag("target", target)
        .tag("via", via).counter();
    return counter == null ? 0 : counter.count();
  }
}
