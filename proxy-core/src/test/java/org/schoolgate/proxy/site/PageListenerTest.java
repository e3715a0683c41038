package org.schoolgate.proxy.site;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ForkJoinPool;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.schoolgate.proxy.ProxyConfig;
import org.schoolgate.proxy.ca.LeafCertificates;
import org.schoolgate.proxy.ca.SchoolCa;
import org.schoolgate.proxy.filter.ClientSession;
import org.schoolgate.proxy.intercept.InterceptionSettings;
import org.schoolgate.proxy.testing.TestCa;
import org.schoolgate.proxy.testing.ProxyClient;
import org.schoolgate.proxy.testing.ProxyExtension;

/**
 * The page listener at the DNS filter's block-page address, on loopback: a browser sent there for
 * a blocked name gets the block page for the name it asked for ({@code Host}, and inside TLS the
 * ClientHello's name, under a leaf from the school CA); WPAD found through DNS gets {@code
 * /wpad.dat} naming the proxy port; a name that is not blocked (now) gets the page saying to try
 * again, and nothing is ever forwarded.
 */
class PageListenerTest {
  static final SchoolCa SCHOOL_CA = SchoolCa.generate("Page Listener School", Clock.systemUTC());
  static final int HTTPS_PORT = freePort();

  @RegisterExtension
  static ProxyExtension proxy = ProxyExtension.withPolicy("""
          clients:
            allow: [127.0.0.0/29]
          groups:
            pupils: { subnets: [127.0.0.0/29] }
          categories:
            gambling: { domains: [blocked.test] }
          matrix:
            gambling: { default: unacceptable }
          default: acceptable
          """)
      .staticHost("allowed.test", "127.0.0.1")
      .interception(() -> InterceptionSettings.of(new LeafCertificates(SCHOOL_CA,
          ForkJoinPool.commonPool(), Clock.systemUTC(), Duration.ofDays(7), 10), List.of()))
      .network(() -> new ProxyConfig.Network(null, PacSettings.DEFAULTS,
          new PageListenerSettings(InetAddress.getLoopbackAddress(), 0, HTTPS_PORT)));

  @Test
  void aBlockedNameGetsItsBlockPageAndWpadGetsThePacFile() throws Exception {
    InetSocketAddress pages = proxy.server().address(ClientSession.Listener.PAGES);
    try (ProxyClient c = ProxyClient.connect(pages, "127.0.0.2")) {
      ProxyClient.Response blocked = c.send("GET /bet?x=1 HTTP/1.1\r\nHost: blocked.test\r\n\r\n",
          false);
      assertThat(blocked.status()).isEqualTo(403);
      assertThat(blocked.text()).contains("blocked.test").contains("gambling");
    }
    try (ProxyClient c = ProxyClient.connect(pages, "127.0.0.2")) {
      ProxyClient.Response wpad = c.send("GET /wpad.dat HTTP/1.1\r\nHost: wpad.school.test\r\n\r\n",
          false);
      assertThat(wpad.status()).isEqualTo(200);
      assertThat(wpad.header("content-type")).isEqualTo(PacFile.CONTENT_TYPE);
      assertThat(PacFileTest.find(wpad.text(), "http://example.com/", "example.com"))
          .isEqualTo("PROXY wpad.school.test:" + proxy.address().getPort());
    }
    try (ProxyClient c = ProxyClient.connect(pages, "127.0.0.2")) {
      ProxyClient.Response notBlocked = c.send("GET / HTTP/1.1\r\nHost: allowed.test\r\n\r\n",
          false);
      assertThat(notBlocked.status()).isEqualTo(503);
      assertThat(notBlocked.text()).contains("not blocked for you now");
    }
  }

  @Test
  void overTlsTheBlockPageComesUnderTheSchoolCaForTheNameAskedFor() throws Exception {
    InetSocketAddress tls = proxy.server().address(ClientSession.Listener.PAGES_TLS);
    assertThat(tls.getPort()).isEqualTo(HTTPS_PORT);
    Socket plain = new Socket();
    plain.bind(new InetSocketAddress("127.0.0.2", 0));
    plain.connect(tls, 5_000);
    plain.setSoTimeout(20_000);
    try (SSLSocket s = (SSLSocket) TestCa.trusting(SCHOOL_CA.certificate()).getSocketFactory()
        .createSocket(plain, "blocked.test", tls.getPort(), true)) {
      SSLParameters params = s.getSSLParameters();
      params.setServerNames(List.of(new SNIHostName("blocked.test")));
      params.setEndpointIdentificationAlgorithm("HTTPS");
      s.setSSLParameters(params);
      s.startHandshake();
      X509Certificate leaf = (X509Certificate) s.getSession().getPeerCertificates()[0];
      assertThat(leaf.getIssuerX500Principal()).isEqualTo(
          SCHOOL_CA.certificate().getSubjectX500Principal());
      OutputStream out = s.getOutputStream();
      out.write("GET /bet HTTP/1.1\r\nHost: blocked.test\r\nConnection: close\r\n\r\n"
          .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      String answer = read(s.getInputStream());
      assertThat(answer).startsWith("HTTP/1.1 403").contains("blocked.test").contains("gambling");
    }
  }

  private static String read(InputStream in) throws IOException {
    return new String(in.readAllBytes(), StandardCharsets.UTF_8);
  }

  private static int freePort() {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
