package org.schoolgate.proxy;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.schoolgate.proxy.testing.TestPolicy.STAFF;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.schoolgate.proxy.dns.DnsSettings;
import org.schoolgate.policy.testing.Eventually;
import org.schoolgate.proxy.testing.ProxyClient;
import org.schoolgate.proxy.testing.ProxyClient.Response;
import org.schoolgate.proxy.testing.ProxyExtension;
import org.schoolgate.proxy.testing.TestDnsServer;
import org.schoolgate.proxy.testing.TestPolicy;

/**
 * A line added to the hosts file while the proxy runs (as the peer benchmark harness does with
 * /etc/hosts) is honoured within the refresh period, even for a name whose failure was cached
 * before the change. The names exist in no DNS server (the test server answers NXDOMAIN).
 */
class HostsFileEndToEndTest {
  /** The real schoolgate-hosts thread checks every 2 s; allow for a slow machine. */
  private static final Duration WITHIN = DnsSettings.DEFAULT_HOSTS_REFRESH.multipliedBy(5);

  @RegisterExtension
  @Order(1)
  static TestDnsServer dns = new TestDnsServer();

  @RegisterExtension
  @Order(2)
  static WireMockExtension origin = WireMockExtension.newInstance()
      .options(wireMockConfig().dynamicPort().bindAddress("127.0.0.1")).build();

  @RegisterExtension
  @Order(3)
  static ProxyExtension proxy = ProxyExtension.withPolicy(TestPolicy.YAML)
      .dnsServers(() -> List.of(dns.address()))
      .hostsFile("# test hosts file\n127.0.0.1   at-start.test   # mapped before start\n");

  @BeforeEach
  void stubOrigin() {
    origin.stubFor(any(urlPathMatching("/.*"))
        .willReturn(aResponse().withStatus(200).withBody("served via the hosts file")));
  }

  private String url(String host) {
    return "http://" + host + ":" + origin.getPort() + "/1k";
  }

  @Test
  void nameInTheHostsFileAtStartIsServedWithoutAQuery() throws Exception {
    try (ProxyClient staff = proxy.client(STAFF)) {
      Response r = staff.get(url("at-start.test"));

      assertThat(r.status()).isEqualTo(200);
      assertThat(r.text()).isEqualTo("served via the hosts file");
    }
    assertThat(dns.questions()).noneMatch(q -> q.startsWith("at-start.test"));
  }

  @Test
  void nameAddedToTheHostsFileWhileRunningIsServedDespiteACachedFailure() throws Exception {
    try (ProxyClient staff = proxy.client(STAFF)) {
      Response before = staff.get(url("added-later.test"));
      assertThat(before.status()).isEqualTo(502);
      assertThat(before.text()).contains("Could not find the site&#39;s address");

      proxy.appendToHostsFile("127.0.0.1 other.test added-later.test");

      Eventually.within(WITHIN, () -> {
        Response after = staff.get(url("added-later.test"));
        assertThat(after.status()).isEqualTo(200);
        assertThat(after.text()).isEqualTo("served via the hosts file");
      });
    }
  }
}
