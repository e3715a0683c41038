package org.schoolgate.proxy;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import java.net.InetAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.schoolgate.identity.AddressBinding;
import org.schoolgate.identity.AuthMethod;
import org.schoolgate.identity.IdentityService;
import org.schoolgate.identity.Verifier;
import org.schoolgate.identity.binding.BindingTable;
import org.schoolgate.identity.metrics.IdentityMetrics;
import org.schoolgate.identity.portal.SignInTicket;
import org.schoolgate.policy.testing.MutableClock;
import org.schoolgate.proxy.destination.DestinationSettings;
import org.schoolgate.proxy.testing.ProxyClient;
import org.schoolgate.proxy.testing.ProxyClient.Response;
import org.schoolgate.proxy.testing.ProxyExtension;

/**
 * A personal device on a network whose sign-in page is required, through the real proxy: before
 * signing in, a plain request is sent to the sign-in page (302 with the page asked for and a
 * ticket for the device's address), an HTTPS tunnel is refused with a 403 naming the page (no
 * 407), and only Schoolgate's own origin and the identity provider's sign-in hosts are reached;
 * once the sign-in page binds the address, the device is decided as that person until the binding
 * runs out on the clock. The admin origin is a stand-in server (proxy-core cannot run the admin API).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SignInPageProxyTest {
  private static final String PHONE = "127.0.0.65";
  private static final String KEY = "a-proxy-key-of-at-least-forty-three-characters-for-tests";
  private static final MutableClock clock = new MutableClock(ProxyExtension.NOW);
  private static final BindingTable bindings = BindingTable.inMemory(clock, IdentityMetrics.unregistered());

  @RegisterExtension
  static WireMockExtension origin = WireMockExtension.newInstance()
      .options(wireMockConfig().dynamicPort().bindAddress("127.0.0.1")).build();

  /** The stand-in admin server, started first: the proxy's settings name its port. */
  private static final WireMockServer admin = started();

  private static WireMockServer started() {
    WireMockServer server = new WireMockServer(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"));
    server.start();
    return server;
  }

  @AfterAll
  static void stopAdmin() {
    admin.stop();
  }

  @RegisterExtension
  static ProxyExtension proxy = ProxyExtension.withPolicy("""
          timezone: Europe/London
          clients:
            allow: [127.0.0.0/24]
          groups:
            guests: { subnets: [127.0.0.64/28] }
            staff:  { users: [carol] }
          categories:
            video: { domains: [video.test] }
          matrix:
            video: { default: unacceptable, staff: acceptable }
          default: acceptable
          identification:
            networks:
              # no 'device: personal' here: every test origin is on the proxy's own loopback host, which a
              # personal device may not reach (PersonalDeviceProxyTest)
              byod: { subnets: [127.0.0.64/28], sign-in-page: required }
            sign-in-hosts: [login.idp.test]
          """)
      .staticHost("news.test", "127.0.0.1")
      .staticHost("video.test", "127.0.0.1")
      .staticHost("login.idp.test", "127.0.0.1")
      .staticHost("eu.login.idp.test", "127.0.0.1")
      .staticHost("admin.school.test", "127.0.0.1")
      .clock(clock)
      .destinations(new DestinationSettings(URI.create("http://admin.school.test:" + admin.port()), KEY,
          DestinationSettings.DEFAULT_REFRESH), "http://admin.school.test:" + admin.port() + "/request-access")
      .identity(() -> new IdentityService(Verifier.NONE, bindings, clock));

  @BeforeEach
  void stub() {
    origin.stubFor(get(urlPathMatching("/.*")).willReturn(aResponse().withStatus(200).withBody("from the origin")));
    admin.stubFor(get(urlPathMatching("/.*")).willReturn(aResponse().withStatus(200).withBody("the sign-in page")));
  }

  private static String url(String host, String path) {
    return "http://" + host + ":" + origin.getPort() + path;
  }

  private static Response fetch(String url) throws Exception {
    try (ProxyClient client = proxy.client(PHONE)) {
      return client.get(url);
    }
  }

  private static Map<String, Object> logLine(String path) throws Exception {
    List<Map<String, Object>> lines = proxy.accessLog();
    return lines.stream().filter(l -> path.equals(l.get("path"))).reduce((a, b) -> b)
        .orElseThrow(() -> new AssertionError("no access-log line for " + path + " in " + lines));
  }

  @Test
  @Order(1)
  void aPlainRequestIsSentToTheSignInPageWithATicketForTheDevicesAddress() throws Exception {
    Response r = fetch(url("news.test", "/story?id=7"));

    assertThat(r.status()).isEqualTo(302);
    String location = r.header("Location");
    String page = "http://admin.school.test:" + admin.port() + "/device-sign-in";
    assertThat(location).startsWith(page + "?return=" + "http%3A%2F%2Fnews.test%3A" + origin.getPort()
        + "%2Fstory%3Fid%3D7&ticket=");
    String ticket = URLDecoder.decode(location.substring(location.indexOf("&ticket=") + 8), StandardCharsets.UTF_8);
    assertThat(SignInTicket.check(KEY, ticket, clock.instant())).contains(InetAddress.getByName(PHONE));
    origin.verify(0, getRequestedFor(urlPathEqualTo("/story")));
    assertThat(logLine("/story")).containsEntry("action", "reject").containsEntry("rule", "sign-in-page")
        .containsEntry("auth", "subnet").containsEntry("status", 302L);
  }

  @Test
  @Order(2)
  void anHttpsTunnelIsRefusedNamingThePageWithoutA407() throws Exception {
    try (ProxyClient client = proxy.client(PHONE)) {
      Response r = client.connectTunnel("news.test:443");
      assertThat(r.status()).isEqualTo(403);
      assertThat(r.header("Proxy-Authenticate")).isNull();
      assertThat(r.text()).startsWith("Not signed in: sign in on the school's sign-in page")
          .contains("http://admin.school.test:" + admin.port() + "/device-sign-in");
    }
  }

  @Test
  @Order(2)
  void aFormPostIsNotRedirectedButAnsweredWithAPageLinkingToTheSignInPage() throws Exception {
    String post = "POST " + url("news.test", "/comment") + " HTTP/1.1\r\nHost: news.test:" + origin.getPort()
        + "\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 9\r\n%s\r\ntext=hello";
    try (ProxyClient client = proxy.client(PHONE)) {
      Response browser = client.send(post.formatted("Accept: text/html,application/xhtml+xml,*/*;q=0.8\r\n"
          + "Referer: " + url("news.test", "/story?id=7") + "\r\n"), false);

      assertThat(browser.status()).isEqualTo(403);
      assertThat(browser.header("Content-Type")).startsWith("text/html");
      String page = "http://admin.school.test:" + admin.port() + "/device-sign-in";
      assertThat(browser.text()).contains("Sign in before sending this")
          .contains("href=\"" + page + "?return=http%3A%2F%2Fnews.test%3A" + origin.getPort()
              + "%2Fstory%3Fid%3D7&amp;ticket=");
      Response tool = client.send(post.formatted("Accept: application/json\r\n"), false);
      assertThat(tool.status()).isEqualTo(403);
      assertThat(tool.text()).startsWith("Not signed in: sign in on the school's sign-in page").contains(page);
    }
    origin.verify(0, com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor(urlPathEqualTo("/comment")));
    assertThat(logLine("/comment")).containsEntry("action", "reject").containsEntry("rule", "sign-in-page")
        .containsEntry("status", 403L);
  }

  @Test
  @Order(3)
  void theSignInHostsAndSchoolgatesOwnPagesAreReachedBeforeSigningInAndNothingElse() throws Exception {
    assertThat(fetch(url("login.idp.test", "/authorize")).status()).isEqualTo(200);
    assertThat(fetch(url("eu.login.idp.test", "/authorize-eu")).status()).as("a subdomain").isEqualTo(200);
    assertThat(fetch("http://admin.school.test:" + admin.port() + "/device-sign-in").text())
        .isEqualTo("the sign-in page");
    assertThat(fetch(url("video.test", "/clip")).status()).as("anything else").isEqualTo(302);
    assertThat(logLine("/authorize")).containsEntry("action", "allow").containsEntry("group", "guests")
        .containsEntry("auth", "subnet");
  }

  @Test
  @Order(4)
  void onceThePageBindsTheAddressTheDeviceIsItsPersonUntilTheBindingRunsOut() throws Exception {
    bindings.bind(InetAddress.getByName(PHONE), new AddressBinding("carol", Set.of(), AuthMethod.PORTAL,
        clock.instant().plus(Duration.ofHours(1))), "portal:test");

    Response signedIn = fetch(url("video.test", "/signed-in"));
    assertThat(signedIn.status()).isEqualTo(200);
    assertThat(logLine("/signed-in")).containsEntry("user", "carol").containsEntry("auth", "portal")
        .containsEntry("group", "staff");

    clock.advance(Duration.ofMinutes(61));
    assertThat(fetch(url("video.test", "/ran-out")).status()).as("the binding ran out by itself").isEqualTo(302);
  }
}
