package org.schoolgate.proxy.site;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ForkJoinPool;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.schoolgate.proxy.ProxyConfig;
import org.schoolgate.proxy.ca.LeafCertificates;
import org.schoolgate.proxy.ca.SchoolCa;
import org.schoolgate.proxy.intercept.InterceptionSettings;
import org.schoolgate.proxy.testing.ProxyClient;
import org.schoolgate.proxy.testing.ProxyExtension;

/**
 * The proxy port's own pages, from a real proxy on loopback: origin-form {@code GET /proxy.pac}
 * and {@code /wpad.dat} give the PAC file with its media type, naming the proxy the browser
 * reached (one node) or the configured nodes; {@code /ca}, {@code /ca.pem}, {@code /ca.der} give
 * the school CA (the very certificate, not the key) when interception is configured, and a 404
 * page that says why when it is not; other origin-form requests stay a 400; each is logged.
 */
class ProxySiteEndToEndTest {
  static final SchoolCa SCHOOL_CA = SchoolCa.generate("Site Test School", Clock.systemUTC());
  private static final String POLICY = """
      clients:
        allow: [127.0.0.0/29]
      groups:
        pupils: { subnets: [127.0.0.0/29] }
      default: acceptable
      """;

  @RegisterExtension
  static ProxyExtension intercepting = ProxyExtension.withPolicy(POLICY)
      .interception(() -> InterceptionSettings.of(new LeafCertificates(SCHOOL_CA,
          ForkJoinPool.commonPool(), Clock.systemUTC(), Duration.ofDays(7), 10), List.of()))
      .network(() -> new ProxyConfig.Network(null, new PacSettings(List.of(),
          List.of("school.test"), List.of("10.0.0.0/8")), null));

  @RegisterExtension
  static ProxyExtension plain = ProxyExtension.withPolicy(POLICY)
      .network(() -> new ProxyConfig.Network(null, new PacSettings(
          List.of("filter1.school.test:3128", "filter2.school.test:3128"), List.of(), List.of()),
          null));

  @Test
  void thePacFileNamesTheProxyTheBrowserReached() throws Exception {
    int port = intercepting.address().getPort();
    try (ProxyClient c = intercepting.client("127.0.0.2")) {
      ProxyClient.Response pac = c.send("GET /proxy.pac HTTP/1.1\r\nHost: 127.0.0.1:" + port
          + "\r\n\r\n", false);
      assertThat(pac.status()).isEqualTo(200);
      assertThat(pac.header("content-type")).isEqualTo("application/x-ns-proxy-autoconfig");
      assertThat(PacFileTest.find(pac.text(), "http://example.com/", "example.com"))
          .isEqualTo("PROXY 127.0.0.1:" + port);
      assertThat(PacFileTest.find(pac.text(), "http://vle.school.test/", "vle.school.test"))
          .isEqualTo("DIRECT");
      // WPAD's name for the same file, on the same connection, with a query string
      ProxyClient.Response wpad = c.send("GET /wpad.dat?x=1 HTTP/1.1\r\nHost: wpad.school.test:"
          + port + "\r\n\r\n", false);
      assertThat(wpad.status()).isEqualTo(200);
      assertThat(PacFileTest.find(wpad.text(), "http://example.com/", "example.com"))
          .isEqualTo("PROXY wpad.school.test:" + port);
      // a Host that would break out of the script is not used
      ProxyClient.Response odd = c.send("GET /proxy.pac HTTP/1.1\r\nHost: a\"b\r\n\r\n", false);
      assertThat(PacFileTest.find(odd.text(), "http://example.com/", "example.com"))
          .isEqualTo("PROXY 127.0.0.1:" + port);
    }
    try (ProxyClient c = plain.client("127.0.0.2")) {
      ProxyClient.Response pac = c.send("GET /proxy.pac HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n",
          false);
      assertThat(PacFileTest.find(pac.text(), "http://example.com/", "example.com"))
          .isEqualTo("PROXY filter1.school.test:3128; PROXY filter2.school.test:3128");
    }
  }

  @Test
  void theSchoolCaCanBeDownloadedWhereInterceptionIsConfigured() throws Exception {
    CertificateFactory x509 = CertificateFactory.getInstance("X.509");
    try (ProxyClient c = intercepting.client("127.0.0.3")) {
      ProxyClient.Response page = c.send("GET /ca HTTP/1.1\r\nHost: filter\r\n\r\n", false);
      assertThat(page.status()).isEqualTo(200);
      assertThat(page.header("content-type")).startsWith("text/html");
      assertThat(page.text()).contains(SCHOOL_CA.fingerprintSha256()).contains("href=\"/ca.der\"")
          .contains("href=\"/ca.pem\"").contains("Windows").contains("macOS").contains("iOS")
          .contains("Android").contains("ChromeOS");
      ProxyClient.Response pem = c.send("GET /ca.pem HTTP/1.1\r\nHost: filter\r\n\r\n", false);
      assertThat(pem.header("content-type")).isEqualTo("application/x-pem-file");
      assertThat(pem.text()).startsWith("-----BEGIN CERTIFICATE-----").doesNotContain("PRIVATE");
      assertThat(x509.generateCertificate(new ByteArrayInputStream(pem.body())))
          .isEqualTo(SCHOOL_CA.certificate());
      ProxyClient.Response der = c.send("GET /ca.der HTTP/1.1\r\nHost: filter\r\n\r\n", false);
      assertThat(der.header("content-type")).isEqualTo("application/x-x509-ca-cert");
      X509Certificate fromDer = (X509Certificate) x509.generateCertificate(
          new ByteArrayInputStream(der.body()));
      assertThat(fromDer).isEqualTo(SCHOOL_CA.certificate());
    }
  }

  @Test
  void withoutInterceptionTheCaPageSaysThereIsNothingToInstall() throws Exception {
    try (ProxyClient c = plain.client("127.0.0.4")) {
      ProxyClient.Response page = c.send("GET /ca HTTP/1.1\r\nHost: filter\r\n\r\n", false);
      assertThat(page.status()).isEqualTo(404);
      assertThat(page.text()).contains("no school certificate to install")
          .contains("interception:");
      assertThat(c.send("GET /ca.der HTTP/1.1\r\nHost: filter\r\n\r\n", false).status())
          .isEqualTo(404);
      // any other origin-form request is still not for a forward proxy
      assertThat(c.send("GET /index.html HTTP/1.1\r\nHost: filter\r\n\r\n", false).status())
          .isEqualTo(400);
    }
    List<Map<String, Object>> log = plain.accessLog();
    assertThat(log).anySatisfy(line -> {
      assertThat(line).containsEntry("path", "/ca").containsEntry("rule", "proxy-page")
          .containsEntry("action", "allow").containsEntry("status", 404L);
    });
  }
}
