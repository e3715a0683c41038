package org.schoolgate.proxy;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.schoolgate.proxy.testing.TestPolicy.PUPIL;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.schoolgate.policy.ReloadResult;
import org.schoolgate.proxy.testing.ProxyClient;
import org.schoolgate.proxy.testing.ProxyExtension;
import org.schoolgate.proxy.testing.TestPolicy;

/** A reload takes effect on open keep-alive connections: clients are identified again. */
class PolicyLifecycleTest {
  @RegisterExtension
  static WireMockExtension origin = WireMockExtension.newInstance()
      .options(wireMockConfig().dynamicPort().bindAddress("127.0.0.1")).build();

  @RegisterExtension
  static ProxyExtension proxy = ProxyExtension.withPolicy(TestPolicy.YAML)
      .staticHost("betting.test", "127.0.0.1");

  @BeforeEach
  void stubOrigin() {
    origin.stubFor(get(urlPathMatching("/.*")).willReturn(aResponse().withBody("odds")));
  }

  @Test
  void reloadMovingAClientToAnotherGroupAppliesOnTheSameConnection() throws Exception {
    String url = "http://betting.test:" + origin.getPort() + "/";
    try (ProxyClient client = proxy.client(PUPIL)) {
      assertThat(client.get(url).status()).isEqualTo(403);

      ReloadResult result = proxy.reload(TestPolicy.YAML
          .replace("pupils: { subnets: [127.0.0.2/32]", "pupils: { subnets: [127.0.0.4/32]")
          .replace("staff:  { subnets: [127.0.0.3/32]", "staff:  { subnets: [127.0.0.2/31]"));
      assertThat(result).isInstanceOf(ReloadResult.Reloaded.class);

      assertThat(client.get(url).status()).isEqualTo(200);
    } finally {
      proxy.reload(TestPolicy.YAML);
    }
  }
}
