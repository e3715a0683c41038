package org.schoolgate.proxy.intercept;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ForkJoinPool;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.schoolgate.proxy.ca.LeafCertificates;
import org.schoolgate.proxy.ca.SchoolCa;
import org.schoolgate.proxy.testing.HttpsOrigin;
import org.schoolgate.proxy.testing.ProxyClient.Response;
import org.schoolgate.proxy.testing.ProxyExtension;
import org.schoolgate.proxy.testing.TestCa;
import org.schoolgate.proxy.testing.TlsTunnel;

/**
 * The {@code paths} interception mode end to end: a tunnel is decrypted only when the lists
 * name paths under its host, so the listed path gets the block page inside HTTPS while another
 * path of the same site loads, and a site without path entries keeps its own certificate.
 */
class PathsInterceptionEndToEndTest {
  private static final String PUPIL = "127.0.0.2";

  static final TestCa ORIGINS_CA = new TestCa("Test Origins CA");
  static final SchoolCa SCHOOL_CA = SchoolCa.generate("Test School", Clock.systemUTC());
  static final LeafCertificates LEAVES = new LeafCertificates(SCHOOL_CA, ForkJoinPool.commonPool(),
      Clock.systemUTC(), Duration.ofDays(7), 100);

  @RegisterExtension
  static HttpsOrigin origin = new HttpsOrigin(() -> ORIGINS_CA.issue("www.shop.test", "plain.test",
      "bank.test"));

  @RegisterExtension
  static ProxyExtension proxy = ProxyExtension.withPolicy("""
          timezone: Europe/London
          clients:
            allow: [127.0.0.0/29]
          groups:
            pupils: { subnets: [127.0.0.2/32] }
          categories:
            adult-pages: { urls: [shop.test/adult/, bank.test/statements/] }
            never-intercept: { domains: [bank.test] }
          matrix:
            adult-pages: { default: unacceptable }
            never-intercept: { default: acceptable }
          default: acceptable
          tunnels:
            allowed-ports: [443, 1024-65535]
          interception:
            groups: { default: paths }
            never: [never-intercept]
          """)
      .staticHost("www.shop.test", "127.0.0.1")
      .staticHost("plain.test", "127.0.0.1")
      .staticHost("bank.test", "127.0.0.1")
      .interception(() -> InterceptionSettings.of(LEAVES, List.of(ORIGINS_CA.certificate())));

  @Test
  void aHostWithListedPathsIsDecryptedAndOnlyTheListedPathIsBlocked() throws Exception {
    try (TlsTunnel pupil = TlsTunnel.open(proxy, PUPIL, "www.shop.test", origin.port(),
        TestCa.trusting(SCHOOL_CA.certificate()))) {
      Response listed = pupil.get("/adult/list?page=2");
      Response other = pupil.get("/books/maths");

      assertThat(pupil.peerCertificate().getIssuerX500Principal())
          .isEqualTo(SCHOOL_CA.certificate().getSubjectX500Principal());
      assertThat(listed.status()).isEqualTo(403);
      assertThat(listed.text()).contains("adult-pages");
      assertThat(other.status()).isEqualTo(200);
      assertThat(other.text()).contains("uri=/books/maths");
    }
  }

  @Test
  void aHostWithoutPathEntriesIsTunnelledUntouched() throws Exception {
    try (TlsTunnel pupil = TlsTunnel.open(proxy, PUPIL, "plain.test", origin.port(),
        TestCa.trusting(ORIGINS_CA.certificate()))) {
      assertThat(pupil.peerCertificate()).isEqualTo(origin.certificate());
      assertThat(pupil.get("/adult/list").status()).isEqualTo(200);
    }
  }

  @Test
  void theNeverListStillWinsOverPathEntries() throws Exception {
    try (TlsTunnel pupil = TlsTunnel.open(proxy, PUPIL, "bank.test", origin.port(),
        TestCa.trusting(ORIGINS_CA.certificate()))) {
      assertThat(pupil.peerCertificate()).isEqualTo(origin.certificate());
    }
  }
}
