package org.schoolgate.proxy.intercept;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.schoolgate.proxy.metrics.ProxyMetrics;
import org.schoolgate.proxy.testing.HttpsOrigin;
import org.schoolgate.proxy.testing.ProxyExtension;
import org.schoolgate.proxy.testing.TestCa;
import org.schoolgate.proxy.testing.TlsTunnel;

/**
 * A policy that asks for interception on a proxy without a school CA: nothing is intercepted,
 * every tunnel reaches the origin untouched, and blocked CONNECTs keep their plain 403.
 */
class InterceptionWithoutCaTest {
  static final TestCa ORIGINS_CA = new TestCa("Test Origins CA");

  @RegisterExtension
  static HttpsOrigin origin = new HttpsOrigin(() -> ORIGINS_CA.issue("www.google.com", "betting.test"));

  @RegisterExtension
  static ProxyExtension proxy = ProxyExtension.withPolicy("""
          clients:
            allow: [127.0.0.0/29]
          groups:
            pupils: { subnets: [127.0.0.2/32] }
          categories:
            gambling: { domains: [betting.test] }
          matrix:
            gambling: { default: unacceptable }
          default: acceptable
          tunnels:
            allowed-ports: [443, 1024-65535]
          safesearch: { search: off, youtube: off }
          interception:
            groups: { default: all }
          """)
      .staticHost("www.google.com", "127.0.0.1")
      .staticHost("betting.test", "127.0.0.1")
      .connectTimeout(Duration.ofSeconds(5));

  @Test
  void tunnelsStayEndToEndWhenTheProxyHasNoSchoolCa() throws Exception {
    try (TlsTunnel t = TlsTunnel.open(proxy, "127.0.0.2", "www.google.com", origin.port(),
        TestCa.trusting(ORIGINS_CA.certificate()))) {
      assertThat(t.peerCertificate()).isEqualTo(origin.certificate());
      assertThat(t.get("/search?q=x").text()).contains("uri=/search?q=x");
    }
    try (var c = proxy.client("127.0.0.2")) {
      assertThat(c.connectTunnel("betting.test:" + origin.port()).status()).isEqualTo(403);
    }
    assertThat(proxy.registry().find(ProxyMetrics.INTERCEPTIONS).counters())
        .allSatisfy(counter -> assertThat(counter.count()).isZero());
  }
}
