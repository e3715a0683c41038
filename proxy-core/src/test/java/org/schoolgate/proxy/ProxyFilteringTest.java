package org.schoolgate.proxy;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.schoolgate.proxy.testing.TestPolicy.PUPIL;
import static org.schoolgate.proxy.testing.TestPolicy.STAFF;
import static org.schoolgate.proxy.testing.TestPolicy.STRANGER;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.schoolgate.proxy.metrics.ProxyMetrics;
import org.schoolgate.proxy.testing.EchoServer;
import org.schoolgate.policy.testing.Eventually;
import org.schoolgate.proxy.testing.ProxyClient;
import org.schoolgate.proxy.testing.ProxyClient.Response;
import org.schoolgate.proxy.testing.ProxyExtension;
import org.schoolgate.proxy.testing.TestPolicy;

/** The proxy end to end: real proxy, WireMock origin, plain-socket clients on loopback. */
class ProxyFilteringTest {
  @RegisterExtension
  static WireMockExtension origin = WireMockExtension.newInstance()
      .options(wireMockConfig().dynamicPort().bindAddress("127.0.0.1")).build();

  @RegisterExtension
  static EchoServer echo = new EchoServer();

  @RegisterExtension
  static ProxyExtension proxy = ProxyExtension.withPolicy(TestPolicy.YAML)
      .staticHost("www.bet365.com", "127.0.0.1")
      .staticHost("betting.test", "127.0.0.1")
      .staticHost("school.test", "127.0.0.1");

  @BeforeEach
  void stubOrigin() {
    origin.stubFor(get(urlPathMatching("/.*"))
        .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "text/plain")
            .withBody("hello from the origin")));
  }

  private String url(String host, String path) {
    return "http://" + host + ":" + origin.getPort() + path;
  }

  @Test
  void pupilGetsBlockPageForGambling() throws Exception {
    try (ProxyClient pupil = proxy.client(PUPIL)) {
      Response r = pupil.get(url("www.bet365.com", "/odds?race=1"));

      assertThat(r.status()).isEqualTo(403);
      assertThat(r.header("content-type")).startsWith("text/html");
      assertThat(r.text()).contains("www.bet365.com", "gambling", "unacceptable", "pupils",
          "Gambling is unacceptable", "http://admin.school.test:8080/request?url=http%3A%2F%2F"
              + "www.bet365.com%3A" + origin.getPort() + "%2Fodds%3Frace%3D1&amp;category=gambling"
              + "&amp;group=pupils",
          "Report this block as wrong", "http://admin.school.test:8080/report-site?kind=wrongly-blocked&amp;url="
              + "http%3A%2F%2Fwww.bet365.com%3A" + origin.getPort() + "%2Fodds%3Frace%3D1&amp;group=pupils");
    }
    assertThat(origin.getAllServeEvents()).isEmpty();
  }

  @Test
  void staffAreAllowedTheSameSite() throws Exception {
    try (ProxyClient staff = proxy.client(STAFF)) {
      Response r = staff.get(url("www.bet365.com", "/odds"));

      assertThat(r.status()).isEqualTo(200);
      assertThat(r.text()).isEqualTo("hello from the origin");
    }
  }

  @Test
  void keepAliveSurvivesAllowedThenBlockedThenAllowedOnOneConnection() throws Exception {
    try (ProxyClient pupil = proxy.client(PUPIL)) {
      assertThat(pupil.get(url("school.test", "/one")).text()).isEqualTo("hello from the origin");
      assertThat(pupil.get(url("betting.test", "/")).status()).isEqualTo(403);
      Response third = pupil.get(url("school.test", "/three"));

      assertThat(third.status()).isEqualTo(200);
      assertThat(third.text()).isEqualTo("hello from the origin");
    }
  }

  @Test
  void anHttp11ClientAskingToCloseIsAnsweredAndClosed() throws Exception {
    try (ProxyClient pupil = proxy.client(PUPIL)) {
      Response r = pupil.send("GET " + url("school.test", "/one") + " HTTP/1.1\r\nHost: school.test\r\n"
          + "Connection: close\r\n\r\n", false);

      assertThat(r.status()).isEqualTo(200);
      assertThat(r.text()).isEqualTo("hello from the origin");
      assertThat(r.header("Connection")).isEqualToIgnoringCase("close");
      assertThat(pupil.closedByPeer()).as("closed after the response, not at the idle timeout").isTrue();
    }
  }

  @Test
  void aBlockPageForAClientAskingToCloseClosesTheConnection() throws Exception {
    try (ProxyClient pupil = proxy.client(PUPIL)) {
      Response r = pupil.send("GET " + url("betting.test", "/") + " HTTP/1.1\r\nHost: betting.test\r\n"
          + "Connection: close\r\n\r\n", false);

      assertThat(r.status()).isEqualTo(403);
      assertThat(pupil.closedByPeer()).isTrue();
    }
  }

  @Test
  void blockedConnectGets403ForPupils() throws Exception {
    try (ProxyClient pupil = proxy.client(PUPIL)) {
      Response r = pupil.connectTunnel("www.bet365.com:" + echo.port());

      assertThat(r.status()).isEqualTo(403);
      assertThat(r.text()).contains("www.bet365.com", "gambling");
    }
  }

  @Test
  void allowedConnectTunnelsBytesBothWays() throws Exception {
    try (ProxyClient staff = proxy.client(STAFF)) {
      Response r = staff.connectTunnel("www.bet365.com:" + echo.port());
      assertThat(r.status()).isEqualTo(200);

      staff.out().write("ping through the tunnel".getBytes(StandardCharsets.US_ASCII));
      staff.out().flush();
      byte[] back = staff.in().readNBytes("ping through the tunnel".length());

      assertThat(new String(back, StandardCharsets.US_ASCII)).isEqualTo("ping through the tunnel");
    }
  }

  @Test
  void clientOutsideTheAllowedNetworksIsRefused() throws Exception {
    try (ProxyClient stranger = proxy.client(STRANGER)) {
      Response r = stranger.get(url("school.test", "/"));

      assertThat(r.status()).isEqualTo(403);
      assertThat(r.text()).contains("Not a client of this proxy");
      assertThat(stranger.closedByPeer()).isTrue();
    }
    assertThat(proxy.registry().counter(ProxyMetrics.REJECTED, "reason", "not-a-client").count())
        .isPositive();
  }

  @Test
  void garbageRequestLineGets400() throws Exception {
    try (ProxyClient pupil = proxy.client(PUPIL)) {
      Response r = pupil.send("this is not http\r\n\r\n", false);

      assertThat(r.status()).isEqualTo(400);
      assertThat(r.text()).contains("Bad request");
      assertThat(pupil.closedByPeer()).isTrue();
    }
  }

  @Test
  void nineKibUrlGets414() throws Exception {
    try (ProxyClient pupil = proxy.client(PUPIL)) {
      String longPath = "/" + "a".repeat(9 * 1024);
      Response r = pupil.send("GET " + url("school.test", longPath) + " HTTP/1.1\r\nHost: "
          + "school.test\r\n\r\n", false);

      assertThat(r.status()).isEqualTo(414);
      assertThat(r.text()).contains("The web address is too long");
    }
  }

  @Test
  void portNobodyListensOnGets502Page() throws Exception {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }
    try (ProxyClient staff = proxy.client(STAFF)) {
      Response r = staff.get("http://127.0.0.1:" + closedPort + "/");

      assertThat(r.status()).isEqualTo(502);
      assertThat(r.text()).contains("Could not reach the site");
    }
  }

  @Test
  void originFormRequestToTheProxyItselfGets400Page() throws Exception {
    try (ProxyClient pupil = proxy.client(PUPIL)) {
      Response r = pupil.send("GET / HTTP/1.1\r\nHost: school.test\r\n\r\n", false);

      assertThat(r.status()).isEqualTo(400);
      assertThat(r.text()).contains("set it as your browser");
    }
  }

  @Test
  void accessLogHasOneLineWithTheRightFieldsPerRequest() throws Exception {
    try (ProxyClient pupil = proxy.client(PUPIL)) {
      pupil.get(url("betting.test", "/logged?x=1"));
      pupil.get(url("school.test", "/logged-allowed"));
    }
    List<Map<String, Object>> lines = proxy.accessLog();
    Map<String, Object> blocked = lines.stream()
        .filter(l -> "/logged".equals(l.get("path"))).findFirst().orElseThrow();
    assertThat(blocked).containsEntry("time", "2026-11-23T12:30:00Z")
        .containsEntry("client", PUPIL).containsEntry("user", null)
        .containsEntry("group", "pupils").containsEntry("method", "GET")
        .containsEntry("scheme", "http").containsEntry("host", "betting.test")
        .containsEntry("port", (long) origin.getPort()).containsEntry("query", "x=1")
        .containsEntry("categories", List.of("gambling")).containsEntry("action", "block")
        .containsEntry("level", "unacceptable").containsEntry("rule", "matrix:gambling/pupils")
        .containsEntry("status", 403L).containsEntry("bytesIn", 0L)
        .containsKeys("reason", "bytesOut", "durationMs");
    assertThat((Long) blocked.get("bytesOut")).isPositive();

    Map<String, Object> allowed = lines.stream()
        .filter(l -> "/logged-allowed".equals(l.get("path"))).findFirst().orElseThrow();
    assertThat(allowed).containsEntry("action", "allow").containsEntry("status", 200L)
        .containsEntry("bytesOut", (long) "hello from the origin".length())
        .containsEntry("rule", "default").containsEntry("categories", List.of());
  }

  @Test
  void connectTunnelIsLoggedWhenItCloses() throws Exception {
    try (ProxyClient staff = proxy.client(STAFF)) {
      staff.connectTunnel("school.test:" + echo.port());
      staff.out().write(new byte[100]);
      staff.out().flush();
      staff.in().readNBytes(100);
    }
    Eventually.within(java.time.Duration.ofSeconds(10), () -> assertThat(proxy.accessLog())
        .anySatisfy(l -> assertThat(l).containsEntry("method", "CONNECT")
            .containsEntry("scheme", "https").containsEntry("host", "school.test")
            .containsEntry("port", (long) echo.port()).containsEntry("status", 200L)
            .containsEntry("bytesIn", 100L).containsEntry("bytesOut", 100L)));
  }

  @Test
  void decisionsAreCountedByActionLevelAndGroup() throws Exception {
    try (ProxyClient pupil = proxy.client(PUPIL)) {
      pupil.get(url("betting.test", "/count"));
    }
    assertThat(proxy.registry().counter(ProxyMetrics.REQUESTS, "action", "block",
        "level", "unacceptable", "group", "pupils").count()).isPositive();
  }

  @Test
  void activeConnectionsGaugeFollowsOpenClients() throws Exception {
    // earlier tests' connections close asynchronously: start from none open
    Eventually.within(java.time.Duration.ofSeconds(5), () -> assertThat(
        proxy.registry().get(ProxyMetrics.CONNECTIONS_ACTIVE).gauge().value()).isZero());
    double before = 0;
    try (ProxyClient pupil = proxy.client(PUPIL)) {
      pupil.get(url("school.test", "/gauge"));
      assertThat(proxy.registry().get(ProxyMetrics.CONNECTIONS_ACTIVE).gauge().value())
          .isEqualTo(before + 1);
    }
    Eventually.within(java.time.Duration.ofSeconds(5), () -> assertThat(
        proxy.registry().get(ProxyMetrics.CONNECTIONS_ACTIVE).gauge().value()).isEqualTo(before));
  }

  @Test
  void requestCountersArePrecreatedForEveryGroupAtStartUp() {
    assertThat(proxy.registry().find(ProxyMetrics.REQUESTS).tag("group", "staff")
        .tag("action", "allow").tag("level", "illegal").counter()).isNotNull();
    assertThat(proxy.registry().find(ProxyMetrics.REQUESTS).tag("group", "unknown").counters())
        .hasSize(10);
  }

  @Test
  void hostHeaderIsReplacedByTheDecidedHostSoAnotherSiteCannotBeFronted() throws Exception {
    try (ProxyClient pupil = proxy.client(PUPIL)) {
      Response r = pupil.send("GET " + url("school.test", "/fronted") + " HTTP/1.1\r\n"
          + "Host: www.bet365.com\r\n\r\n", false);
      assertThat(r.status()).isEqualTo(200);
    }
    origin.verify(getRequestedFor(urlPathEqualTo("/fronted"))
        .withHeader("Host", equalTo("school.test:" + origin.getPort())));
  }
}
