package org.schoolgate.proxy.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.schoolgate.proxy.testing.TestPolicy.PUPIL;
import static org.schoolgate.proxy.testing.TestPolicy.STAFF;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.schoolgate.proxy.metrics.ProxyMetrics;
import org.schoolgate.proxy.testing.ProxyClient;
import org.schoolgate.proxy.testing.ProxyExtension;
import org.schoolgate.proxy.testing.ScriptedOrigin;

/**
 * Upstream connections are reused across client connections, keyed on what was connected to:
 * a pupil's request that SafeSearch pins to the safe host's address never travels on a
 * connection made for a staff member's request to the site's own address, and the other way
 * round. One event loop, so every client meets the same pool.
 */
class UpstreamReuseTest {
  private static final String SITE = "127.0.0.1";
  private static final String SAFE = "127.0.0.6";

  @RegisterExtension
  static ScriptedOrigin origin = new ScriptedOrigin(SITE, SAFE);

  @RegisterExtension
  static ProxyExtension proxy = ProxyExtension.withPolicy("""
          timezone: Europe/London
          clients:
            allow: [127.0.0.0/29]
          groups:
            pupils: { subnets: [127.0.0.2/32] }
            staff:  { subnets: [127.0.0.3/32] }
          default: acceptable
          safesearch:
            search: { default: enforce, staff: off }
          """)
      .staticHost("school.test", SITE)
      .staticHost("www.google.com", SITE)
      .staticHost("forcesafesearch.google.com", SAFE)
      .workerThreads(1);

  private String url(String host, String path) {
    return "http://" + host + ":" + origin.port() + path;
  }

  @Test
  void twoClientConnectionsOneAfterTheOtherShareOneOriginConnection() throws Exception {
    int before = origin.connections(SITE);
    double reused = reused();
    try (ProxyClient first = proxy.client(STAFF)) {
      assertThat(first.get(url("school.test", "/one")).status()).isEqualTo(200);
    }
    try (ProxyClient second = proxy.client(STAFF)) {
      assertThat(second.get(url("school.test", "/two")).status()).isEqualTo(200);
    }

    assertThat(origin.connections(SITE) - before).isLessThanOrEqualTo(1);
    assertThat(reused()).isGreaterThan(reused);
  }

  @Test
  void aPupilNeverTravelsOnAStaffConnectionAndStaffNeverOnAPupils() throws Exception {
    for (int round = 0; round < 2; round++) {
      try (ProxyClient staff = proxy.client(STAFF)) {
        staff.get(url("www.google.com", "/search?q=staff" + round));
      }
      try (ProxyClient pupil = proxy.client(PUPIL)) {
        pupil.get(url("www.google.com", "/search?q=pupil" + round));
      }
    }

    List<Map<String, String>> seen = origin.requests();
    assertThat(seen).filteredOn(r -> r.get(":path").contains("q=staff"))
        .hasSize(2).allSatisfy(r -> assertThat(r.get(":local")).isEqualTo(SITE));
    assertThat(seen).filteredOn(r -> r.get(":path").contains("q=pupil"))
        .hasSize(2).allSatisfy(r -> {
          assertThat(r.get(":local")).isEqualTo(SAFE);
          assertThat(r.get(":path")).contains("safe=active");
        });
    assertThat(origin.connections(SAFE)).as("the pupil's second search reused the pinned one")
        .isEqualTo(1);
  }

  @Test
  void aConnectionTheOriginClosesIsNeverReused() throws Exception {
    try (ProxyClient staff = proxy.client(STAFF)) {
      staff.get(url("school.test", "/warm"));
      int before = origin.connections(SITE);
      assertThat(staff.get(url("school.test", "/close")).text()).isEqualTo("closing");
      assertThat(staff.get(url("school.test", "/after-close")).status()).isEqualTo(200);

      assertThat(origin.connections(SITE) - before).isEqualTo(1);
    }
  }

  private static double reused() {
    return proxy.registry().counter(ProxyMetrics.UPSTREAM_CONNECTIONS, "outcome", "reused").count();
  }
}
