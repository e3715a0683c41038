package org.schoolgate.proxy.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.schoolgate.policy.testing.Eventually;
import org.schoolgate.proxy.metrics.ProxyMetrics;
import org.schoolgate.proxy.testing.ProxyClient;
import org.schoolgate.proxy.testing.ProxyClient.Response;
import org.schoolgate.proxy.testing.ProxyExtension;
import org.schoolgate.proxy.testing.TlsOrigin;

/**
 * CONNECT tunnels end to end through a real proxy to a real TLS origin: port and IP-literal
 * checks at CONNECT time, then the ClientHello checks (SNI, no SNI, not TLS, ECH) before any byte
 * reaches the origin.
 */
class TunnelChecksEndToEndTest {
  private static final String PUPIL = "127.0.0.2";
  private static final String STAFF = "127.0.0.3";

  @RegisterExtension
  static TlsOrigin origin = new TlsOrigin("allowed.test", "betting.test", "other.test");

  @RegisterExtension
  static ProxyExtension proxy = ProxyExtension.withPolicy("""
          timezone: Europe/London
          clients:
            allow: [127.0.0.0/29]
          groups:
            pupils: { subnets: [127.0.0.2/32], description: "Pupils" }
            staff:  { subnets: [127.0.0.3/32], description: "Staff" }
          categories:
            gambling: { domains: [betting.test] }
          matrix:
            gambling: { default: unacceptable, staff: acceptable }
          default: acceptable
          tunnels:
            allowed-ports: [443, 1024-8442, 8444-65535]
            ip-allow: [127.0.0.1/32]
            ip-literal: { default: block, staff: allow }
            sni-mismatch: { default: block, staff: allow }
            missing-sni: { default: block, staff: allow }
            not-tls: { default: block, staff: allow }
            ech: { default: block, staff: allow }
          """)
      .staticHost("allowed.test", "127.0.0.1")
      .staticHost("betting.test", "127.0.0.1");

  @Test
  void pupilConnectToAPortOutsideTheAllowedListIsBlockedWithThePortOnThePage() throws Exception {
    try (ProxyClient pupil = proxy.client(PUPIL)) {
      Response r = pupil.connectTunnel("allowed.test:8443");

      assertThat(r.status()).isEqualTo(403);
      assertThat(r.text()).contains("allowed.test", "tunnel-port", "port 443, 1024-8442, 8444-65535");
    }
    assertThat(counted("port", "block")).isPositive();
  }

  @Test
  void pupilConnectToAnIpAddressOutsideTheAllowListIsBlocked() throws Exception {
    try (ProxyClient pupil = proxy.client(PUPIL)) {
      Response r = pupil.connectTunnel("127.0.0.6:" + origin.port());

      assertThat(r.status()).isEqualTo(403);
      assertThat(r.text()).contains("127.0.0.6", "ip-literal", "bare IP address");
    }
  }

  @Test
  void staffConnectToAnIpAddressIsAllowed() throws Exception {
    try (ProxyClient staff = proxy.client(STAFF)) {
      // allowed: the proxy tries to connect, and nothing listens on 127.0.0.6
      assertThat(staff.connectTunnel("127.0.0.6:" + origin.port()).status()).isEqualTo(502);
    }
    assertThat(counted("ip-literal", "allow")).isPositive();
  }

  @Test
  void pupilConnectToAnAllowListedIpAddressReachesTheOriginWithoutSni() throws Exception {
    try (ProxyClient pupil = proxy.client(PUPIL)) {
      assertThat(pupil.connectTunnel("127.0.0.1:" + origin.port()).status()).isEqualTo(200);

      assertThat(exchange(origin.handshake(pupil.socket(), null))).isEqualTo("hello -");
    }
  }

  @Test
  void matchingSniCompletesTheHandshakeWithTheOriginsCertificate() throws Exception {
    try (ProxyClient pupil = proxy.client(PUPIL)) {
      assertThat(pupil.connectTunnel("allowed.test:" + origin.port()).status()).isEqualTo(200);

      SSLSocket tls = origin.handshake(pupil.socket(), "Allowed.Test");

      assertThat(tls.getSession().getPeerCertificates()[0]).isEqualTo(origin.certificate());
      assertThat(exchange(tls)).isEqualTo("hello Allowed.Test"); // the ClientHello went on unchanged
    }
  }

  @ParameterizedTest(name = "SNI {0} on a tunnel to allowed.test is refused as {1}")
  @CsvSource(delimiter = '|', textBlock = """
      other.test   | sni-mismatch
      betting.test | sni-mismatch;matrix:gambling/pupils
      """)
  void sniMismatchClosesThePupilsTunnelBeforeTheOriginAndIsLogged(String sni, String rule)
      throws Exception {
    int handshakes = origin.handshakes();
    try (ProxyClient pupil = proxy.client(PUPIL)) {
      assertThat(pupil.connectTunnel("allowed.test:" + origin.port()).status()).isEqualTo(200);

      assertThatThrownBy(() -> origin.handshake(pupil.socket(), sni)).isInstanceOf(IOException.class);
    }
    assertThat(origin.handshakes()).isEqualTo(handshakes);
    Eventually.within(Duration.ofSeconds(10), () -> assertThat(proxy.accessLog())
        .anySatisfy(l -> assertThat(l).containsEntry("host", "allowed.test").containsEntry("group", "pupils")
            .containsEntry("action", "block").containsEntry("rule", rule)
            .extractingByKey("reason").asString()
            .contains("the TLS server name " + sni + " differs from the CONNECT host allowed.test")));
    assertThat(counted("sni-mismatch", "block")).isPositive();
  }

  @Test
  void staffGetThroughWithAMismatchedSniAndTheMismatchIsLogged() throws Exception {
    try (ProxyClient staff = proxy.client(STAFF)) {
      assertThat(staff.connectTunnel("allowed.test:" + origin.port()).status()).isEqualTo(200);

      assertThat(exchange(origin.handshake(staff.socket(), "betting.test"))).isEqualTo("hello betting.test");
    }
    Eventually.within(Duration.ofSeconds(10), () -> assertThat(proxy.accessLog())
        .anySatisfy(l -> assertThat(l).containsEntry("host", "allowed.test").containsEntry("group", "staff")
            .containsEntry("action", "allow").containsEntry("rule", "sni-mismatch")));
    assertThat(counted("sni-mismatch", "allow")).isPositive();
  }

  @Test
  void missingSniToANamedHostIsRefusedForPupils() throws Exception {
    try (ProxyClient pupil = proxy.client(PUPIL)) {
      assertThat(pupil.connectTunnel("allowed.test:" + origin.port()).status()).isEqualTo(200);

      assertThatThrownBy(() -> origin.handshake(pupil.socket(), null)).isInstanceOf(IOException.class);
    }
    Eventually.within(Duration.ofSeconds(10), () -> assertThat(proxy.accessLog())
        .anySatisfy(l -> assertThat(l).containsEntry("group", "pupils").containsEntry("rule", "missing-sni")));
  }

  @Test
  void plainHttpThroughATunnelIsRefusedForPupils() throws Exception {
    try (ProxyClient pupil = proxy.client(PUPIL)) {
      assertThat(pupil.connectTunnel("allowed.test:" + origin.port()).status()).isEqualTo(200);
      pupil.out().write("GET / HTTP/1.1\r\nHost: allowed.test\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      pupil.out().flush();

      assertThat(pupil.closedByPeer()).isTrue();
    }
    Eventually.within(Duration.ofSeconds(10), () -> assertThat(proxy.accessLog())
        .anySatisfy(l -> assertThat(l).containsEntry("group", "pupils").containsEntry("rule", "not-tls")
            .extractingByKey("reason").asString().contains("not TLS: the first byte is 0x47")));
    assertThat(counted("not-tls", "block")).isPositive();
  }

  @Test
  void encryptedClientHelloBehindAnotherPublicNameIsRefusedForPupils() throws Exception {
    try (ProxyClient pupil = proxy.client(PUPIL)) {
      assertThat(pupil.connectTunnel("allowed.test:" + origin.port()).status()).isEqualTo(200);
      pupil.out().write(Hellos.clientHello("public-name.ech.test", true));
      pupil.out().flush();

      assertThat(pupil.closedByPeer()).isTrue();
    }
    Eventually.within(Duration.ofSeconds(10), () -> assertThat(proxy.accessLog())
        .anySatisfy(l -> assertThat(l).containsEntry("group", "pupils").containsEntry("rule", "ech")));
    assertThat(counted("ech", "block")).isPositive();
  }

  /**
   * The last rows: an ECH extension naming the CONNECT host outside is what Chrome and Firefox
   * send to every site ("GREASE"), so a pupil's browser must pass; staff may use real ECH.
   */
  @ParameterizedTest(name = "{0}: SNI {1}, ECH {2} reaches the origin unchanged")
  @CsvSource(delimiter = '|', textBlock = """
      127.0.0.2 | allowed.test         | false
      127.0.0.2 | ALLOWED.test.        | false
      127.0.0.2 | allowed.test         | true
      127.0.0.3 | allowed.test         | true
      127.0.0.3 | public-name.ech.test | true
      """)
  void helloThatPassesIsReassembledAndForwardedUnchanged(String client, String sni, boolean ech)
      throws Exception {
    byte[] hello = Hellos.clientHello(sni, ech);
    int handshakes = origin.handshakes();
    try (ProxyClient c = proxy.client(client)) {
      assertThat(c.connectTunnel("allowed.test:" + origin.port()).status()).isEqualTo(200);
      for (int i = 0; i < hello.length; i += 7) {
        c.out().write(hello, i, Math.min(7, hello.length - i));
        c.out().flush();
      }
      // the hand-made hello offers nothing the origin accepts: it answers with a TLS alert
      // record (type 21), which proves the bytes reached it
      assertThat(c.in().read()).isEqualTo(21);
    }
    assertThat(origin.handshakes()).isEqualTo(handshakes);
  }

  private static String exchange(SSLSocket tls) throws IOException {
    tls.getOutputStream().write("hi\n".getBytes(StandardCharsets.UTF_8));
    tls.getOutputStream().flush();
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    for (int c = tls.getInputStream().read(); c != '\n' && c != -1; c = tls.getInputStream().read()) {
      line.write(c);
    }
    return line.toString(StandardCharsets.UTF_8);
  }

  private static double counted(String check, String action) {
    return proxy.registry().counter(ProxyMetrics.TUNNEL_CHECKS, "check", check, "action", action).count();
  }
}
