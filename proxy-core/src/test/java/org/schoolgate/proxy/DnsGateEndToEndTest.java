package org.schoolgate.proxy;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.schoolgate.proxy.testing.TestPolicy.PUPIL;
import static org.schoolgate.proxy.testing.TestPolicy.STAFF;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.schoolgate.proxy.metrics.ProxyMetrics;
import org.schoolgate.proxy.testing.ProxyClient;
import org.schoolgate.proxy.testing.ProxyClient.Response;
import org.schoolgate.proxy.testing.ProxyExtension;
import org.schoolgate.proxy.testing.TestDnsServer;
import org.schoolgate.proxy.testing.TestPolicy;

/**
 * Names unknown to the cache are resolved by the asynchronous resolver against a real (test) DNS
 * server while the DNS gate holds the request. The names exist only in that server, so the
 * system resolver ({@code InetAddress.getByName}) could not have answered them.
 */
class DnsGateEndToEndTest {
  @RegisterExtension
  @Order(1)
  static TestDnsServer dns = new TestDnsServer()
      .answer("cold.test", "127.0.0.1")
      .answer("cold-post.test", "127.0.0.1")
      .answer("keepalive.test", "127.0.0.1")
      .answer("intranet", "127.0.0.1");

  @RegisterExtension
  @Order(2)
  static WireMockExtension origin = WireMockExtension.newInstance()
      .options(wireMockConfig().dynamicPort().bindAddress("127.0.0.1")).build();

  @RegisterExtension
  @Order(3)
  static ProxyExtension proxy = ProxyExtension.withPolicy(TestPolicy.YAML)
      .dnsServers(() -> List.of(dns.address()));

  @BeforeEach
  void stubOrigin() {
    origin.stubFor(any(urlPathMatching("/.*"))
        .willReturn(aResponse().withStatus(200).withBody("resolved and fetched")));
  }

  private String url(String host, String path) {
    return "http://" + host + ":" + origin.getPort() + path;
  }

  @Test
  void coldNameIsResolvedThroughTheGateThenServedFromTheCache() throws Exception {
    try (ProxyClient staff = proxy.client(STAFF)) {
      Response first = staff.get(url("cold.test", "/first"));
      Response second = staff.get(url("cold.test", "/second"));

      assertThat(first.status()).isEqualTo(200);
      assertThat(first.text()).isEqualTo("resolved and fetched");
      assertThat(second.text()).isEqualTo("resolved and fetched");
    }
    assertThat(dns.questions()).containsOnlyOnce("cold.test. A");
    assertThat(proxy.registry().counter(ProxyMetrics.DNS_CACHE_MISSES).count()).isPositive();
    assertThat(proxy.registry().counter(ProxyMetrics.DNS_CACHE_HITS).count()).isPositive();
  }

  @Test
  void bodyOfAHeldRequestIsReplayedBehindIt() throws Exception {
    String body = "field=" + "x".repeat(20_000);
    try (ProxyClient staff = proxy.client(STAFF)) {
      Response r = staff.send("POST " + url("cold-post.test", "/form") + " HTTP/1.1\r\n"
          + "Host: cold-post.test\r\nContent-Type: application/x-www-form-urlencoded\r\n"
          + "Content-Length: " + body.length() + "\r\n\r\n" + body, false);

      assertThat(r.status()).isEqualTo(200);
    }
    origin.verify(postRequestedFor(urlPathEqualTo("/form")).withRequestBody(equalTo(body)));
  }

  @Test
  void nameTheDnsServerDoesNotKnowGetsCouldNotFindPage() throws Exception {
    try (ProxyClient staff = proxy.client(STAFF)) {
      Response r = staff.get(url("nowhere.test", "/"));

      assertThat(r.status()).isEqualTo(502);
      assertThat(r.text()).contains("Could not find the site&#39;s address");
      // the connection stays usable
      assertThat(staff.get(url("keepalive.test", "/")).status()).isEqualTo(200);
    }
    assertThat(proxy.registry().counter(ProxyMetrics.DNS_FAILURES).count()).isPositive();
  }

  @Test
  void singleLabelIntranetNameIsResolved() throws Exception {
    try (ProxyClient staff = proxy.client(STAFF)) {
      assertThat(staff.get(url("intranet", "/")).status()).isEqualTo(200);
    }
    assertThat(dns.questions()).contains("intranet. A");
  }

  @Test
  void blockedRequestsNeedNoLookup() throws Exception {
    try (ProxyClient pupil = proxy.client(PUPIL)) {
      assertThat(pupil.get(url("betting.test", "/")).status()).isEqualTo(403);
    }
    assertThat(dns.questions()).noneMatch(q -> q.startsWith("betting.test"));
  }
}
