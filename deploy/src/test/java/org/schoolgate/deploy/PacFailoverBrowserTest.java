package org.schoolgate.deploy;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.WebDriverException;
import org.schoolgate.policy.accesslog.AccessLogFiles;
import org.schoolgate.policy.testing.Eventually;

/**
 * PAC failover between two nodes, with a real browser: Chromium takes the PAC file from a node's
 * proxy port ({@code proxy.pac.proxies} names node A, then node B) and browses through A; once A
 * is stopped, the same browser carries on through B, filtered the same way; with both nodes down it
 * shows an error and never goes to the site directly (the file has no {@code DIRECT} at the end:
 * pupils fail closed).
 */
class PacFailoverBrowserTest extends TwoNodesOnPostgresql {
  /** Not on any list of the sample policy: allowed for pupils. */
  private static final String ALLOWED = "newly-blocked.schoolgate.test";

  @Test
  void theBrowserMovesToTheSecondNodeWhenTheFirstStopsAndNeverGoesDirect() throws Exception {
    int portA = freePort();
    int portB = freePort();
    startNodes(portA, portB);
    origin.stubFor(get(urlPathEqualTo("/odds")).willReturn(aResponse().withStatus(200).withBody("the odds page")));
    String allowed = "http://" + ALLOWED + ":" + origin.port() + "/odds";
    String blocked = "http://" + SITE + ":" + origin.port() + "/odds";
    String pac = "http://127.0.0.1:" + portB + "/proxy.pac";

    try (Browser browser = new Browser("http://127.0.0.1:" + portB, List.of("--proxy-pac-url=" + pac))) {
      browser.openUrl(allowed);
      assertThat(browser.pageText()).contains("the odds page");
      Eventually.within(Duration.ofSeconds(20), () -> assertThat(logged("node-a", ALLOWED)).isPositive());
      browser.openUrl(blocked);
      assertThat(browser.pageText()).contains(SITE).doesNotContain("the odds page");
      Eventually.within(Duration.ofSeconds(20), () -> assertThat(logged("node-a", SITE)).isPositive());
      assertThat(logged("node-b", ALLOWED) + logged("node-b", SITE)).as("node B unused while A is up").isZero();

      a.close();
      a = null;

      browser.openUrl(allowed + "?after=a-stopped");
      assertThat(browser.pageText()).contains("the odds page");
      Eventually.within(Duration.ofSeconds(20), () -> assertThat(logged("node-b", ALLOWED)).isPositive());
      browser.openUrl(blocked + "?after=a-stopped");
      assertThat(browser.pageText()).contains(SITE).doesNotContain("the odds page");
      Eventually.within(Duration.ofSeconds(20), () -> assertThat(logged("node-b", SITE)).isPositive());

      b.close();
      b = null;
      int before = origin.findAll(getRequestedFor(urlEqualTo("/odds?after=both-stopped"))).size();
      assertThatThrownBy(() -> browser.openUrl(allowed + "?after=both-stopped"))
          .as("Chromium's answer when no proxy of the PAC file can be reached")
          .isInstanceOf(WebDriverException.class).hasMessageContaining("ERR_PROXY_CONNECTION_FAILED");
      assertThat(origin.findAll(getRequestedFor(urlEqualTo("/odds?after=both-stopped"))).size())
          .as("with both nodes down the browser must not reach the site directly").isEqualTo(before).isZero();
    }
  }

  private void startNodes(int portA, int portB) throws Exception {
    String pacSection = """
        proxy:
          pac:
            proxies: [127.0.0.1:%d, 127.0.0.1:%d]
        """.formatted(portA, portB);
    startNodes(node -> NodeConfigs.node(dir, node, postgres.getJdbcUrl("postgres", "postgres"), hook.port(), SITE,
        pacSection).withProxyPort(node.equals("node-a") ? portA : portB));
  }

  /** How many requests for {@code /odds} on {@code host} {@code node} logged today (the fake clock's day). */
  private long logged(String node, String host) throws IOException {
    Path file = dir.resolve("node-logs").resolve(node).resolve(AccessLogFiles.jsonLines(LocalDate.of(2026, 11, 23)));
    if (!Files.exists(file)) {
      return 0;
    }
    try (var lines = Files.lines(file)) {
      return lines.filter(l -> l.contains("\"host\":\"" + host + "\"") && l.contains("/odds") && !l.contains("\"event\":")).count();
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
