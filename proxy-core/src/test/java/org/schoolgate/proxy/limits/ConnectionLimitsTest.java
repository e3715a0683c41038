package org.schoolgate.proxy.limits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.schoolgate.proxy.testing.TestPolicy.PUPIL;
import static org.schoolgate.proxy.testing.TestPolicy.STAFF;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.schoolgate.proxy.ProxyConfig;
import org.schoolgate.proxy.metrics.ProxyMetrics;
import org.schoolgate.proxy.testing.ProxyClient;
import org.schoolgate.proxy.testing.ProxyExtension;
import org.schoolgate.proxy.testing.ScriptedOrigin;
import org.schoolgate.proxy.testing.TestPolicy;

/** One client address cannot hold more connections than its limit; others are still served. */
class ConnectionLimitsTest {
  @RegisterExtension
  static ScriptedOrigin origin = new ScriptedOrigin();

  @RegisterExtension
  static ProxyExtension proxy = ProxyExtension.withPolicy(TestPolicy.YAML)
      .staticHost("school.test", "127.0.0.1")
      .connections(ProxyConfig.Connections.DEFAULTS.withLimits(100, 5)
          .withDrainTimeout(java.time.Duration.ofSeconds(1)));

  @Test
  void aConnectionOverTheClientsLimitIsClosedAtOnceAndCounted() throws Exception {
    List<ProxyClient> held = new ArrayList<>();
    try {
      for (int i = 0; i < 5; i++) {
        ProxyClient c = proxy.client(PUPIL);
        held.add(c);
        assertThat(c.get("http://school.test:" + origin.port() + "/held-" + i).status())
            .isEqualTo(200);
      }
      try (ProxyClient sixth = proxy.client(PUPIL)) {
        assertThat(sixth.closedByPeer()).isTrue();
      }
      try (ProxyClient staff = proxy.client(STAFF)) {
        assertThat(staff.get("http://school.test:" + origin.port() + "/other").status())
            .isEqualTo(200);
      }
    } finally {
      for (ProxyClient c : held) {
        c.close();
      }
    }
    assertThat(proxy.registry().counter(ProxyMetrics.CONNECTIONS_REFUSED, "reason", "per-client")
        .count()).isEqualTo(1);
  }
}
