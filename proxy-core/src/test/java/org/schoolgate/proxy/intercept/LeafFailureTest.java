package org.schoolgate.proxy.intercept;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.schoolgate.proxy.metrics.ProxyMetrics;
import org.schoolgate.proxy.testing.HttpsOrigin;
import org.schoolgate.proxy.testing.ProxyExtension;
import org.schoolgate.proxy.testing.TestCa;
import org.schoolgate.proxy.testing.TlsTunnel;

/**
 * When no leaf certificate can be made for an intercepted host the tunnel is closed (never passed
 * through undecrypted) and counted as {@code leaf-failed}.
 */
class LeafFailureTest {
  static final TestCa ORIGINS_CA = new TestCa("Test Origins CA");

  @RegisterExtension
  static HttpsOrigin origin = new HttpsOrigin(() -> ORIGINS_CA.issue("www.google.com"));

  @RegisterExtension
  static ProxyExtension proxy = ProxyExtension.withPolicy("""
          clients:
            allow: [127.0.0.0/29]
          groups:
            pupils: { subnets: [127.0.0.2/32] }
          default: acceptable
          tunnels:
            allowed-ports: [443, 1024-65535]
          interception:
            groups: { default: all }
          """)
      .staticHost("www.google.com", "127.0.0.1")
      .interception(() -> new InterceptionSettings(host -> CompletableFuture.failedFuture(
          new IllegalStateException("the CA's executor is gone")), List.of(ORIGINS_CA.certificate())));

  @Test
  void aTunnelWhoseLeafCannotBeMadeIsClosedNotPassedThrough() {
    assertThatThrownBy(() -> TlsTunnel.open(proxy, "127.0.0.2", "www.google.com", origin.port(),
        TestCa.trusting(ORIGINS_CA.certificate())).close())
        .isInstanceOf(IOException.class);

    assertThat(proxy.registry().find(ProxyMetrics.INTERCEPTIONS).tag("outcome", "leaf-failed")
        .counter().count()).isEqualTo(1.0);
    assertThat(origin.connections()).isZero();
  }
}
