package org.schoolgate.proxy.intercept;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ForkJoinPool;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.schoolgate.policy.testing.Eventually;
import org.schoolgate.proxy.ca.LeafCertificates;
import org.schoolgate.proxy.ca.SchoolCa;
import org.schoolgate.proxy.metrics.ProxyMetrics;
import org.schoolgate.proxy.testing.HttpsOrigin;
import org.schoolgate.proxy.testing.ProxyClient;
import org.schoolgate.proxy.testing.ProxyClient.Response;
import org.schoolgate.proxy.testing.ProxyExtension;
import org.schoolgate.proxy.testing.TestCa;
import org.schoolgate.proxy.testing.TlsTunnel;

/**
 * Selective interception end to end: a real proxy with a school CA made in the test, real HTTPS
 * origins on loopback with certificates from a test CA the proxy trusts as an extra CA, and
 * clients that trust only the school CA (intercepted) or only the origins' CA (untouched).
 */
class InterceptionEndToEndTest {
  private static final String PUPIL = "127.0.0.2"; // search-and-blocked
  private static final String STAFF = "127.0.0.3"; // interception off
  private static final String SIXTH = "127.0.0.4"; // search only
  private static final String FRONTING = "127.0.0.5"; // all, and sni-mismatch allowed

  static final TestCa ORIGINS_CA = new TestCa("Test Origins CA");
  static final SchoolCa SCHOOL_CA = SchoolCa.generate("Test School", Clock.systemUTC());
  static final LeafCertificates LEAVES = new LeafCertificates(SCHOOL_CA, ForkJoinPool.commonPool(),
      Clock.systemUTC(), Duration.ofDays(7), 100);

  @RegisterExtension
  static HttpsOrigin origin = new HttpsOrigin(() -> ORIGINS_CA.issue("www.google.com",
      "www.youtube.com", "betting.test", "bank.test", "plain.test", "inspect.test"));

  @RegisterExtension
  static HttpsOrigin expired = new HttpsOrigin(() -> ORIGINS_CA.issue(
      Instant.now().minus(Duration.ofDays(30)), Instant.now().minus(Duration.ofDays(1)),
      "expired.test"));

  @RegisterExtension
  static HttpsOrigin wrongName = new HttpsOrigin(() -> ORIGINS_CA.issue("someone-else.test"));

  @RegisterExtension
  static HttpsOrigin untrusted = new HttpsOrigin(() -> new TestCa("Nobody Trusts Me").issue("untrusted.test"));

  @RegisterExtension
  static ProxyExtension proxy = ProxyExtension.withPolicy("""
          timezone: Europe/London
          clients:
            allow: [127.0.0.0/29]
          groups:
            pupils: { subnets: [127.0.0.2/32] }
            staff:  { subnets: [127.0.0.3/32] }
            sixth:  { subnets: [127.0.0.4/32] }
            fronting: { subnets: [127.0.0.5/32] }
          categories:
            gambling: { domains: [betting.test] }
            inspected: { domains: [inspect.test, expired.test, wrong.test, untrusted.test] }
            never-intercept: { domains: [bank.test] }
            banned-pages: { urls: [inspect.test/forbidden/] }
          matrix:
            gambling: { default: unacceptable }
            inspected: { default: acceptable }
            never-intercept: { default: acceptable }
            banned-pages: { default: unacceptable }
          default: acceptable
          tunnels:
            allowed-ports: [443, 1024-65535]
            sni-mismatch: { default: block, fronting: allow }
          safesearch:
            search: { default: enforce }
            youtube: { default: strict }
          interception:
            groups: { default: off, pupils: search-and-blocked, sixth: search, fronting: all }
            categories: [inspected]
            never: [never-intercept]
          """)
      .staticHost("www.google.com", "127.0.0.1")
      .staticHost("forcesafesearch.google.com", "127.0.0.1")
      .staticHost("www.youtube.com", "127.0.0.1")
      .staticHost("restrict.youtube.com", "127.0.0.1")
      .staticHost("betting.test", "127.0.0.1")
      .staticHost("bank.test", "127.0.0.1")
      .staticHost("plain.test", "127.0.0.1")
      .staticHost("inspect.test", "127.0.0.1")
      .staticHost("expired.test", "127.0.0.1")
      .staticHost("wrong.test", "127.0.0.1")
      .staticHost("untrusted.test", "127.0.0.1")
      .interception(() -> InterceptionSettings.of(LEAVES, List.of(ORIGINS_CA.certificate())));

  private static SSLContext schoolTrust() {
    return TestCa.trusting(SCHOOL_CA.certificate());
  }

  private static SSLContext originTrust() {
    return TestCa.trusting(ORIGINS_CA.certificate());
  }

  @Test
  void interceptedSearchGetsSafeActiveReachesTheOriginAndIsLoggedWithItsFullUrlAndTerm() throws Exception {
    try (TlsTunnel pupil = TlsTunnel.open(proxy, PUPIL, "www.google.com", origin.port(), schoolTrust())) {
      Response r = pupil.get("/search?q=volcanoes&safe=off");

      assertThat(r.status()).isEqualTo(200);
      assertThat(r.text()).contains("uri=/search?q=volcanoes&safe=active");
      assertThat(pupil.peerCertificate().getIssuerX500Principal())
          .isEqualTo(SCHOOL_CA.certificate().getSubjectX500Principal());
    }
    Eventually.within(Duration.ofSeconds(10), () -> assertThat(proxy.accessLog())
        .anySatisfy(l -> assertThat(l).containsEntry("method", "GET").containsEntry("scheme", "https")
            .containsEntry("host", "www.google.com").containsEntry("path", "/search")
            .containsEntry("query", "q=volcanoes&safe=off").containsEntry("group", "pupils")
            .containsEntry("safesearch", "forcesafesearch.google.com")
            .containsEntry("search", "volcanoes")
            .containsEntry("status", 200L)));
    assertThat(counted("intercepted")).isPositive();
  }

  @Test
  void interceptedYouTubeGetsTheRestrictHeader() throws Exception {
    try (TlsTunnel pupil = TlsTunnel.open(proxy, SIXTH, "www.youtube.com", origin.port(), schoolTrust())) {
      Response r = pupil.get("/watch?v=abc");

      assertThat(r.status()).isEqualTo(200);
      assertThat(r.text()).contains("youtube-restrict=Strict", "host=www.youtube.com:" + origin.port());
    }
  }

  @Test
  void interceptedBlockedSiteGetsTheBlockPageOverTlsWithTheSchoolLeaf() throws Exception {
    try (TlsTunnel pupil = TlsTunnel.open(proxy, PUPIL, "betting.test", origin.port(), schoolTrust())) {
      Response r = pupil.get("/odds/today");

      assertThat(r.status()).isEqualTo(403);
      assertThat(r.header("x-schoolgate")).isEqualTo("blocked");
      assertThat(r.text()).contains("betting.test", "gambling");
      assertThat(pupil.peerCertificate().getSubjectX500Principal().getName()).contains("betting.test");
      assertThat(pupil.peerCertificate().getIssuerX500Principal())
          .isEqualTo(SCHOOL_CA.certificate().getSubjectX500Principal());
    }
    Eventually.within(Duration.ofSeconds(10), () -> assertThat(proxy.accessLog())
        .anySatisfy(l -> assertThat(l).containsEntry("scheme", "https")
            .containsEntry("host", "betting.test").containsEntry("path", "/odds/today")
            .containsEntry("action", "block").containsEntry("status", 403L)));
  }

  @Test
  void insideAnInterceptedTunnelUrlListsDecideEachPath() throws Exception {
    try (TlsTunnel pupil = TlsTunnel.open(proxy, PUPIL, "inspect.test", origin.port(), schoolTrust())) {
      Response banned = pupil.get("/forbidden/page.html");
      Response fine = pupil.get("/allowed/page.html");

      assertThat(banned.status()).isEqualTo(403);
      assertThat(banned.text()).contains("banned-pages");
      assertThat(fine.status()).isEqualTo(200);
      assertThat(fine.text()).contains("uri=/allowed/page.html");
    }
    Eventually.within(Duration.ofSeconds(10), () -> assertThat(proxy.accessLog())
        .anySatisfy(l -> assertThat(l).containsEntry("host", "inspect.test")
            .containsEntry("path", "/forbidden/page.html").containsEntry("action", "block")
            .containsEntry("rule", "matrix:banned-pages/pupils")));
  }

  @ParameterizedTest(name = "{0} from {1} is tunnelled untouched")
  @CsvSource(delimiter = '|', textBlock = """
      bank.test      | 127.0.0.2
      plain.test     | 127.0.0.2
      www.google.com | 127.0.0.3
      betting.test   | 127.0.0.4
      plain.test     | 127.0.0.4
      """)
  void tunnelsNotChosenForInterceptionReachTheOriginWithItsOwnCertificate(String host, String client)
      throws Exception {
    if (host.equals("betting.test")) {
      try (ProxyClient c = proxy.client(client)) {
        assertThat(c.connectTunnel(host + ":" + origin.port()).status()).isEqualTo(403);
      }
      return;
    }
    try (TlsTunnel t = TlsTunnel.open(proxy, client, host, origin.port(), originTrust())) {
      assertThat(t.peerCertificate()).isEqualTo(origin.certificate());
      Response r = t.get("/hello?x=1");
      assertThat(r.status()).isEqualTo(200);
      assertThat(r.text()).contains("uri=/hello?x=1");
    }
  }

  @Test
  void aServerNameOtherThanTheConnectHostIsRelayedUntouchedToTheConnectHost() throws Exception {
    double before = counted("passed-through");
    try (TlsTunnel t = TlsTunnel.open(proxy, FRONTING, "inspect.test", "plain.test", origin.port(),
        originTrust())) {
      assertThat(t.peerCertificate()).isEqualTo(origin.certificate());
      assertThat(t.get("/fronted").text()).contains("uri=/fronted");
    }
    assertThat(counted("passed-through")).isGreaterThan(before);
  }

  @Test
  void aGroupInterceptingAllStillNeverInterceptsTheNeverList() throws Exception {
    try (TlsTunnel t = TlsTunnel.open(proxy, FRONTING, "bank.test", origin.port(), originTrust())) {
      assertThat(t.peerCertificate()).isEqualTo(origin.certificate());
    }
    try (TlsTunnel t = TlsTunnel.open(proxy, FRONTING, "plain.test", origin.port(), schoolTrust())) {
      assertThat(t.get("/x").status()).isEqualTo(200);
    }
  }

  @Test
  void aGroupWithInterceptionOffNeverSeesTheSchoolCertificate() throws Exception {
    assertThatThrownBy(() -> TlsTunnel.open(proxy, STAFF, "inspect.test", origin.port(), schoolTrust()).close())
        .isInstanceOf(SSLHandshakeException.class);
  }

  @ParameterizedTest(name = "{0}: {1}")
  @CsvSource(delimiter = '|', textBlock = """
      expired.test   | has expired
      wrong.test     | is for another name
      untrusted.test | is not trusted
      """)
  void anInvalidUpstreamCertificateGetsAPageSayingWhy(String host, String heading) throws Exception {
    int port = host.equals("expired.test") ? expired.port()
        : host.equals("wrong.test") ? wrongName.port() : untrusted.port();
    double before = counted("upstream-certificate-invalid");
    try (TlsTunnel pupil = TlsTunnel.open(proxy, PUPIL, host, port, schoolTrust())) {
      Response r = pupil.get("/");

      assertThat(r.status()).isEqualTo(502);
      assertThat(r.text()).contains(heading);
    }
    assertThat(counted("upstream-certificate-invalid")).isGreaterThan(before);
  }

  @Test
  void twoRequestsShareOneTlsConnectionAndOneOriginConnection() throws Exception {
    int before = origin.connections();
    try (TlsTunnel pupil = TlsTunnel.open(proxy, PUPIL, "inspect.test", origin.port(), schoolTrust())) {
      Response first = pupil.get("/one");
      Response second = pupil.get("/two");

      assertThat(first.text()).contains("uri=/one");
      assertThat(second.text()).contains("uri=/two");
    }
    assertThat(origin.connections() - before).isEqualTo(1);
  }

  @Test
  void aLargeResponseStreamsThroughWhole() throws Exception {
    try (TlsTunnel pupil = TlsTunnel.open(proxy, PUPIL, "inspect.test", origin.port(), schoolTrust())) {
      Response r = pupil.get("/big?mib=16");

      assertThat(r.status()).isEqualTo(200);
      assertThat(r.body()).hasSize(16 * 1024 * 1024);
      assertThat(r.body()[r.body().length - 1]).isEqualTo((byte) 'x');
    }
  }

  @Test
  void aWebSocketUpgradeBecomesAnEchoingByteRelay() throws Exception {
    try (TlsTunnel pupil = TlsTunnel.open(proxy, PUPIL, "inspect.test", origin.port(), schoolTrust())) {
      Response switching = pupil.requestHead("GET /chat HTTP/1.1\r\nHost: inspect.test\r\n"
          + "Connection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\n"
          + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n");
      assertThat(switching.status()).isEqualTo(101);

      byte[] frame = "any bytes at all, both ways".getBytes(StandardCharsets.UTF_8);
      pupil.write(frame);

      assertThat(new String(pupil.readExactly(frame.length), StandardCharsets.UTF_8))
          .isEqualTo("any bytes at all, both ways");
    }
  }

  private static double counted(String outcome) {
    return proxy.registry().find(ProxyMetrics.INTERCEPTIONS).tag("outcome", outcome).counters()
        .stream().mapToDouble(c -> c.count()).sum();
  }

}
