package org.schoolgate.deploy;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import com.github.tomakehurst.wiremock.WireMockServer;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.schoolgate.admin.identity.SessionSettings;
import org.schoolgate.identity.verify.VerifierSettings;
import org.schoolgate.policy.testing.MutableClock;
import org.schoolgate.store.Actor;
import org.schoolgate.store.Role;

/**
 * A school whose every loopback address is on a network that must use the device sign-in page
 * ({@code byod}): one origin answering every path, a proxy account in directory group Staff, two
 * teachers and an admin, Schoolgate on a fake clock, and a {@link DeviceSignInDriver} to drive it.
 */
abstract class SignInPageSchool {
  static final Instant START = Instant.parse("2026-11-23T08:00:00Z");
  static final String STAFF_PHONE = "127.0.0.9";
  static final String GUEST_LAPTOP = "127.0.0.10";
  static final String GUEST_TABLET = "127.0.0.11";

  /**
   * More settings of the sign-in-page network {@code byod}, written after
   * {@code sign-in-page: required} (e.g. {@code ", bind-for: 45m"}).
   */
  String byodSettings() {
    return "";
  }

  /** The admin server's settings: the embedded ones, or a test's (e.g. other sign-in limits). */
  RuntimeConfig.AdminSettings adminSettings(RuntimeConfig.AdminSettings embedded) {
    return embedded;
  }

  @TempDir Path dataDir;
  final MutableClock clock = new MutableClock(START);
  WireMockServer origin;
  Schoolgate schoolgate;
  SchoolgateClient api;
  DeviceSignInDriver device;

  @BeforeEach
  void startSchool() throws Exception {
    origin = new WireMockServer(options().bindAddress("127.0.0.1").port(0));
    origin.start();
    origin.stubFor(get(urlPathMatching("/.*")).willReturn(aResponse().withStatus(200).withBody("from the origin")));
    Path policy = dataDir.resolve("policy.yaml");
    Files.writeString(policy, """
        timezone: Europe/London
        clients:
          allow: [127.0.0.0/8]
        groups:
          visitors: { subnets: [127.0.0.0/8] }
          guests:   { subnets: [10.255.255.0/24] }
          staff:    { subnets: [10.255.254.0/24] }
        categories:
          video: { domains: [video.test] }
        matrix:
          video: { default: unacceptable, staff: acceptable }
        default: acceptable
        identification:
          networks:
            # no 'device: personal' here: every test origin is on the proxy's own loopback host, which a
            # personal device may not reach (PersonalDeviceProxyTest)
            byod: { subnets: [127.0.0.0/8], sign-in-page: required%s }
          directory-groups:
            - { directory-group: Staff, group: staff }
            - { directory-group: guests, group: guests }
        """.formatted(byodSettings()));
    VerifierSettings verifier = new VerifierSettings(Duration.ofMinutes(5), 1000, 0, Duration.ofMinutes(30), 20, 2,
        100, Duration.ofSeconds(30));
    IdentitySettings identity = new IdentitySettings(SessionSettings.DEFAULTS, null, Duration.ofMillis(200),
        new SignInSettings(null, null, null, null, true, verifier));
    RuntimeConfig embedded = RuntimeConfig.embedded(dataDir, policy);
    RuntimeConfig config = new RuntimeConfig(embedded.proxy(), adminSettings(embedded.admin()), policy,
        embedded.accessLogDir(),
        new RuntimeConfig.DnsSettings(List.of(), Map.of("video.test", InetAddress.getByName("127.0.0.1"),
            "news.test", InetAddress.getByName("127.0.0.1"))),
        embedded.database(), embedded.maxUnblock(), SafeguardingSettings.DEFAULTS, null, identity)
        .withProxyPort(0).withAdminPort(0);
    schoolgate = Schoolgate.start(config, clock);
    schoolgate.store().proxyAccounts().create("sam.jones", "correct horse battery".toCharArray(), List.of("Staff"),
        Actor.system("test-setup"));
    schoolgate.store().accounts().create("ms.khan", "Ms Khan", "a-long-teacher-password".toCharArray(),
        EnumSet.of(Role.TEACHER), Actor.system("test-setup"));
    schoolgate.store().accounts().create("mr.patel", "Mr Patel", "another-teacher-password".toCharArray(),
        EnumSet.of(Role.TEACHER), Actor.system("test-setup"));
    schoolgate.store().accounts().create("head.it", "Head of IT", "the admin's long password".toCharArray(),
        EnumSet.of(Role.ADMIN), Actor.system("test-setup"));
    api = new SchoolgateClient(schoolgate);
    device = new DeviceSignInDriver(api, origin.port());
  }

  @AfterEach
  void stopSchool() {
    if (schoolgate != null) {
      schoolgate.close();
    }
    origin.stop();
  }
}
