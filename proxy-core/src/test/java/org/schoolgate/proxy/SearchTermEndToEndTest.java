package org.schoolgate.proxy;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.schoolgate.policy.testing.Eventually;
import org.schoolgate.proxy.testing.ProxyClient;
import org.schoolgate.proxy.testing.ProxyClient.Response;
import org.schoolgate.proxy.testing.ProxyExtension;

/**
 * Search terms in the access log, end to end through a real proxy: a WireMock origin on
 * 127.0.0.5 stands in for www.google.com and for a school-configured search site.
 */
class SearchTermEndToEndTest {
  private static final String PUPIL = "127.0.0.2";

  @RegisterExtension
  @Order(1)
  static WireMockExtension origin = WireMockExtension.newInstance()
      .options(wireMockConfig().dynamicPort().bindAddress("127.0.0.5")).build();

  @RegisterExtension
  @Order(2)
  static ProxyExtension proxy = ProxyExtension.withPolicy("""
          timezone: Europe/London
          clients:
            allow: [127.0.0.0/29]
          groups:
            pupils: { subnets: [127.0.0.2/32] }
          categories:
            games: { domains: [games.search.test] }
          matrix:
            games: { default: unacceptable }
          default: acceptable
          safesearch:
            search: off
            youtube: off
          alerts:
            search-engines: [ { host: games.search.test, parameter: find, path: /go } ]
          """)
      .staticHost("www.google.com", "127.0.0.5")
      .staticHost("www.example.test", "127.0.0.5")
      .staticHost("games.search.test", "127.0.0.5");

  @BeforeEach
  void stubs() {
    origin.stubFor(get(urlPathMatching("/.*")).willReturn(aResponse().withStatus(200).withBody("ok")));
  }

  @Test
  void aPlainHttpGoogleSearchIsLoggedWithItsDecodedTerm() throws Exception {
    try (ProxyClient pupil = proxy.client(PUPIL)) {
      Response r = pupil.get("http://www.google.com:" + origin.getPort() + "/search?q=how+to+kill+myself");
      assertThat(r.status()).isEqualTo(200);
    }
    origin.verify(getRequestedFor(urlEqualTo("/search?q=how+to+kill+myself")));
    Eventually.within(Duration.ofSeconds(10), () -> assertThat(proxy.accessLog())
        .anySatisfy(l -> assertThat(l).containsEntry("host", "www.google.com").containsEntry("action", "allow")
            .containsEntry("query", "q=how+to+kill+myself").containsEntry("search", "how to kill myself")));
  }

  @Test
  void aBlockedSearchOnASchoolConfiguredSiteIsLoggedWithItsTermToo() throws Exception {
    try (ProxyClient pupil = proxy.client(PUPIL)) {
      Response r = pupil.get("http://games.search.test:" + origin.getPort() + "/go?find=caf%C3%A9%20%20cheats");
      assertThat(r.status()).isEqualTo(403);
    }
    Eventually.within(Duration.ofSeconds(10), () -> assertThat(proxy.accessLog())
        .anySatisfy(l -> assertThat(l).containsEntry("host", "games.search.test")
            .containsEntry("action", "block").containsEntry("search", "café cheats")));
  }

  @Test
  void aRequestToAnotherSiteHasNoSearchField() throws Exception {
    try (ProxyClient pupil = proxy.client(PUPIL)) {
      assertThat(pupil.get("http://www.example.test:" + origin.getPort() + "/search?q=not+a+search+site")
          .status()).isEqualTo(200);
    }
    Eventually.within(Duration.ofSeconds(10), () -> assertThat(proxy.accessLog())
        .anySatisfy(l -> assertThat(l).containsEntry("host", "www.example.test").doesNotContainKey("search")));
  }
}
