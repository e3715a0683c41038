package org.schoolgate.proxy;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.schoolgate.identity.AddressBinding;
import org.schoolgate.identity.AuthMethod;
import org.schoolgate.identity.IdentityService;
import org.schoolgate.identity.Verifier;
import org.schoolgate.identity.binding.BindingTable;
import org.schoolgate.identity.metrics.IdentityMetrics;
import org.schoolgate.policy.testing.MutableClock;
import org.schoolgate.proxy.testing.ProxyClient;
import org.schoolgate.proxy.testing.ProxyClient.Response;
import org.schoolgate.proxy.testing.ProxyExtension;

/**
 * Device classes through the real proxy: a network of personally owned devices ({@code device:
 * personal}) reaches the internet only. The same teacher, in the same group (allowed the school's
 * network by {@code destinations.allow-internal}), reaches the school's server from a school
 * laptop and is refused it from her phone by the internal-destination rule, while her group's
 * categories still decide what she may ask for; a guest on the phone network gets the guests'
 * categories. Every origin here is on loopback (the proxy's own host): a school laptop on the
 * proxy host may reach it, a personal device never reaches anything but the internet.
 */
class PersonalDeviceProxyTest {
  private static final String SCHOOL_LAPTOP = "127.0.0.81";
  private static final String PHONE = "127.0.0.97";
  private static final String GUEST_PHONE = "127.0.0.98";
  private static final MutableClock clock = new MutableClock(ProxyExtension.NOW);
  private static final BindingTable bindings = BindingTable.inMemory(clock, IdentityMetrics.unregistered());

  @RegisterExtension
  static WireMockExtension origin = WireMockExtension.newInstance()
      .options(wireMockConfig().dynamicPort().bindAddress("127.0.0.1")).build();

  @RegisterExtension
  static ProxyExtension proxy = ProxyExtension.withPolicy("""
          timezone: Europe/London
          clients:
            allow: [127.0.0.0/24]
          groups:
            staff:  { subnets: [127.0.0.80/28], users: [ms.khan] }
            guests: { subnets: [127.0.0.96/28] }
          categories:
            video: { domains: [video.test] }
          matrix:
            video: { default: unacceptable, staff: acceptable }
          default: acceptable
          destinations:
            allow-internal: [staff]
          identification:
            networks:
              school-laptops: { subnets: [127.0.0.80/28] }
              byod:           { subnets: [127.0.0.96/28], device: personal }
          """)
      .staticHost("mis.school.test", "127.0.0.1")
      .staticHost("video.test", "127.0.0.1")
      .clock(clock)
      .identity(() -> new IdentityService(Verifier.NONE, bindings, clock));

  @BeforeEach
  void stub() throws Exception {
    origin.stubFor(get(urlPathMatching("/.*")).willReturn(aResponse().withStatus(200).withBody("from the origin")));
    for (String address : List.of(SCHOOL_LAPTOP, PHONE)) {
      bindings.bind(InetAddress.getByName(address), new AddressBinding("ms.khan", Set.of(), AuthMethod.SESSION,
          clock.instant().plus(Duration.ofHours(1))), "session:test");
    }
  }

  private static Response fetch(String from, String host, String path) throws Exception {
    try (ProxyClient client = proxy.client(from)) {
      return client.get("http://" + host + ":" + origin.getPort() + path);
    }
  }

  private static Map<String, Object> logLine(String path) throws Exception {
    List<Map<String, Object>> lines = proxy.accessLog();
    return lines.stream().filter(l -> path.equals(l.get("path"))).reduce((a, b) -> b)
        .orElseThrow(() -> new AssertionError("no access-log line for " + path + " in " + lines));
  }

  private static double refusals() {
    return proxy.registry().counter(org.schoolgate.proxy.metrics.ProxyMetrics.DESTINATION_REFUSED, "kind",
        "personal-device").count();
  }

  @Test
  void theSameTeacherReachesTheSchoolServerFromASchoolLaptopButNotFromHerPhone() throws Exception {
    assertThat(fetch(SCHOOL_LAPTOP, "mis.school.test", "/laptop").status()).isEqualTo(200);
    double before = refusals();

    Response phone = fetch(PHONE, "mis.school.test", "/phone");
    assertThat(phone.status()).isEqualTo(403);
    assertThat(phone.text()).contains("Personal devices reach the internet only")
        .contains("This device is on the personal (bring-your-own-device) network, which reaches the internet only")
        .contains("rule: internal-destination, personal device").doesNotContain("request-access");
    assertThat(org.schoolgate.proxy.pages.ErrorPage.forRefusal("internal")).as("other refusals keep the generic page")
        .isEqualTo(org.schoolgate.proxy.pages.ErrorPage.INTERNAL_DESTINATION);
    origin.verify(0, getRequestedFor(urlPathEqualTo("/phone")));
    assertThat(logLine("/phone")).containsEntry("user", "ms.khan").containsEntry("group", "staff")
        .containsEntry("rule", "internal-destination").containsEntry("action", "block");
    assertThat((String) logLine("/phone").get("reason")).contains("personally owned device");
    assertThat(refusals() - before).isEqualTo(1.0);
  }

  @Test
  void aPersonalDeviceKeepsItsPersonsCategoriesAndAGuestGetsTheGuestsOnes() throws Exception {
    Response guest = fetch(GUEST_PHONE, "video.test", "/guest-video");
    assertThat(guest.status()).isEqualTo(403);
    assertThat(guest.text()).as("decided by category before any address").contains("video");
    assertThat(logLine("/guest-video")).containsEntry("group", "guests").containsEntry("rule", "matrix:video/guests");

    Response teacher = fetch(PHONE, "video.test", "/teacher-video");
    assertThat(teacher.status()).isEqualTo(403);
    assertThat((String) logLine("/teacher-video").get("reason"))
        .as("her category allows it; only the address keeps a phone from it").contains("personally owned device");
  }
}
