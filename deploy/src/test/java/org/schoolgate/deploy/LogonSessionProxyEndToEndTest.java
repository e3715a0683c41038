package org.schoolgate.deploy;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.schoolgate.admin.identity.SessionSettings;
import org.schoolgate.identity.binding.UserNameRule;
import org.schoolgate.policy.model.Subnet;
import org.schoolgate.policy.testing.Eventually;
import org.schoolgate.policy.testing.MutableClock;
import org.schoolgate.store.Actor;
import org.schoolgate.store.Role;

/**
 * The whole Schoolgate: a logon script reports "bob is at 127.0.0.6" through the admin API, and
 * the proxy decides that address as bob (his group by the policy's {@code users}, the access log
 * naming him with {@code auth: session}) until the session ends — by itself on the clock, or when
 * the script ends it. A wrong token reports nothing.
 */
class LogonSessionProxyEndToEndTest {
  private static final Instant START = Instant.parse("2026-11-23T08:00:00Z");
  private static final String SITE = "video.test";
  private static final String BOBS_PC = "127.0.0.6";

  @TempDir Path dataDir;
  private final MutableClock clock = new MutableClock(START);
  private WireMockServer origin;
  private Schoolgate schoolgate;
  private SchoolgateClient api;

  @BeforeEach
  void start() throws Exception {
    origin = new WireMockServer(options().bindAddress("127.0.0.1").port(0));
    origin.start();
    origin.stubFor(get(urlPathMatching("/.*")).willReturn(aResponse().withStatus(200).withBody("a video")));
    Path policy = dataDir.resolve("policy.yaml");
    Files.writeString(policy, """
        timezone: Europe/London
        clients:
          allow: [127.0.0.0/8]
        groups:
          pupils: { subnets: [127.0.0.0/8] }
          staff:  { users: [bob] }
        categories:
          video: { domains: [video.test] }
        matrix:
          video: { default: unacceptable, staff: acceptable }
        default: acceptable
        """);
    IdentitySettings identity = new IdentitySettings(
        new SessionSettings(new UserNameRule(Set.of("SCHOOL"), true), Duration.ofHours(10), Duration.ofDays(1),
            List.of(Subnet.parse("127.0.0.0/8")), Duration.ofMinutes(15)),
        null, Duration.ofMillis(200));
    RuntimeConfig embedded = RuntimeConfig.embedded(dataDir, policy);
    RuntimeConfig config = new RuntimeConfig(embedded.proxy(), embedded.admin(), policy, embedded.accessLogDir(),
        new RuntimeConfig.DnsSettings(List.of(), Map.of(SITE, InetAddress.getByName("127.0.0.1"))),
        embedded.database(), embedded.maxUnblock(), SafeguardingSettings.DEFAULTS, null, identity)
        .withProxyPort(0).withAdminPort(0);
    schoolgate = Schoolgate.start(config, clock);
    schoolgate.store().accounts().create("logon-script", "Logon script", "a-long-script-password".toCharArray(),
        EnumSet.of(Role.IDENTITY_SOURCE), new Actor(null, "test-setup", null));
    api = new SchoolgateClient(schoolgate);
  }

  @AfterEach
  void stop() {
    if (schoolgate != null) {
      schoolgate.close();
    }
    origin.stop();
  }

  private String video(String path) throws Exception {
    return api.fetch(BOBS_PC, "http://" + SITE + ":" + origin.port() + path);
  }

  private JsonNode line(String path) throws Exception {
    JsonNode[] found = new JsonNode[1];
    Eventually.within(Duration.ofSeconds(10), () -> {
      found[0] = api.accessLog().stream().filter(l -> path.equals(l.path("path").asText())).reduce((a, b) -> b)
          .orElseThrow(() -> new AssertionError("no access-log line for " + path));
    });
    return found[0];
  }

  @Test
  void aLogonSessionNamesTheUserAtItsAddressUntilItRunsOutOrIsEnded() throws Exception {
    assertThat(video("/before")).startsWith("HTTP/1.1 403").contains("not signed in (group pupils");

    String script = api.login("logon-script", "a-long-script-password");
    api.call("POST", "/api/v1/identity/sessions", "not-a-token",
        Map.of("user", "SCHOOL\\Bob", "address", BOBS_PC, "minutes", 60), 401);
    assertThat(video("/bad-token")).as("a wrong token reports nothing").startsWith("HTTP/1.1 403");

    api.call("POST", "/api/v1/identity/sessions", script,
        Map.of("user", "SCHOOL\\Bob", "address", BOBS_PC, "minutes", 60), 201);
    assertThat(video("/during")).startsWith("HTTP/1.1 200").contains("a video");
    assertThat(line("/during").path("user").asText()).isEqualTo("bob");
    assertThat(line("/during").path("auth").asText()).isEqualTo("session");
    assertThat(line("/during").path("group").asText()).isEqualTo("staff");

    clock.advance(Duration.ofMinutes(61));
    assertThat(video("/expired")).as("the session ran out by itself").startsWith("HTTP/1.1 403");
    assertThat(line("/expired").path("auth").asText()).isEqualTo("subnet");

    api.call("POST", "/api/v1/identity/sessions", script,
        Map.of("user", "bob", "address", BOBS_PC, "minutes", 60), 201);
    assertThat(video("/again")).startsWith("HTTP/1.1 200");
    api.call("DELETE", "/api/v1/identity/sessions?address=" + BOBS_PC + "&user=bob", script, null, 200);
    assertThat(video("/logged-off")).as("logoff ends it at once").startsWith("HTTP/1.1 403");
  }
}
