package org.schoolgate.deploy;

import org.schoolgate.policy.testing.Eventually;
import org.schoolgate.policy.testing.MutableClock;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.schoolgate.policy.sample.SamplePolicy;
import org.schoolgate.store.Actor;
import org.schoolgate.store.Role;

/**
 * Issue 4's walk-through, through the real proxy, admin API and SQLite database: a pupil is
 * blocked, a teacher asks for an unblock for her class for an hour, cannot approve it herself, a
 * technician approves it, the class gets through while another group does not, and when the hour
 * is over the site is blocked again; every step is in the audit trail and the chain verifies.
 */
class UnblockEndToEndTest {
  private static final ObjectMapper JSON = SchoolgateClient.JSON;
  private static final String SITE = "www.bet365.com";
  /** A Monday morning in term time. */
  private static final Instant START = Instant.parse("2026-11-23T10:00:00Z");
  /** The ks3-4 pupil: 127.0.0.1 is in ks3-4's 127.0.0.0/8. */
  private static final String KS34_PUPIL = "127.0.0.1";
  /** The ks2 pupil: the test policy gives ks2 the more specific 127.0.0.2/32. */
  private static final String KS2_PUPIL = "127.0.0.2";

  @TempDir Path dataDir;
  private final MutableClock clock = new MutableClock(START);
  private WireMockServer origin;
  private Schoolgate schoolgate;
  private SchoolgateClient client;

  @BeforeEach
  void start() throws Exception {
    origin = new WireMockServer(options().bindAddress("127.0.0.1").port(0));
    origin.start();
    origin.stubFor(get(urlEqualTo("/odds")).willReturn(aResponse().withStatus(200).withBody("the odds page")));

    Path policy = SamplePolicy.extractTo(dataDir);
    String yaml = Files.readString(policy);
    Files.writeString(policy, yaml.replace("subnets: [10.10.0.0/16]", "subnets: [10.10.0.0/16, 127.0.0.2/32]"));
    RuntimeConfig embedded = RuntimeConfig.embedded(dataDir, policy);
    RuntimeConfig config = new RuntimeConfig(embedded.proxy(), embedded.admin(), policy, embedded.accessLogDir(),
        new RuntimeConfig.DnsSettings(List.of(), Map.of(SITE, InetAddress.getByName("127.0.0.1"))),
        embedded.database(), embedded.maxUnblock())
        .withProxyPort(0).withAdminPort(0);
    schoolgate = Schoolgate.start(config, clock);
    client = new SchoolgateClient(schoolgate);
    Actor setup = new Actor(null, "test-setup", null);
    schoolgate.store().accounts().create("mrs.jones", "Mrs Jones", "correct horse battery".toCharArray(),
        EnumSet.of(Role.TEACHER), setup);
    schoolgate.store().accounts().create("tech.tom", "Tom (IT)", "staple battery horse".toCharArray(),
        EnumSet.of(Role.TECHNICIAN), setup);
  }

  @AfterEach
  void stop() {
    if (schoolgate != null) {
      schoolgate.close();
    }
    origin.stop();
  }

  @Test
  void aTeachersApprovedUnblockLetsHerClassInForAnHourAndNobodyElse() throws Exception {
    String url = "http://" + SITE + ":" + origin.port() + "/odds";
    assertThat(client.fetch(KS34_PUPIL, url)).startsWith("HTTP/1.1 403").contains("gambling");

    String teacher = client.login("mrs.jones", "correct horse battery");
    String technician = client.login("tech.tom", "staple battery horse");
    JsonNode requested = client.call("POST", "/api/v1/unblocks", teacher, Map.of(
        "target", Map.of("type", "domain", "value", SITE),
        "groups", List.of("ks3-4"),
        "durationMinutes", 60,
        "reason", "Year 10 maths: probability and the bookmaker's margin"), 201);
    long id = requested.get("id").asLong();
    assertThat(requested.get("status").asText()).isEqualTo("pending");
    assertThat(client.fetch(KS34_PUPIL, url)).as("pending is not approved").startsWith("HTTP/1.1 403");

    JsonNode own = client.call("POST", "/api/v1/unblocks/" + id + "/approve", teacher, Map.of("note", "mine"), 403);
    assertThat(own.get("message").asText()).as("a teacher cannot approve, least of all her own request")
        .contains("technician");

    JsonNode approved = client.call("POST", "/api/v1/unblocks/" + id + "/approve", technician,
        Map.of("note", "fine for one lesson"), 200);
    assertThat(approved.get("status").asText()).isEqualTo("approved");

    String allowed = client.fetch(KS34_PUPIL, url);
    assertThat(allowed).startsWith("HTTP/1.1 200").contains("the odds page");
    assertThat(client.fetch(KS2_PUPIL, url)).as("another group is still blocked").startsWith("HTTP/1.1 403");

    clock.advance(Duration.ofMinutes(61));
    assertThat(client.fetch(KS34_PUPIL, url)).as("the hour is over").startsWith("HTTP/1.1 403");

    Eventually.within(Duration.ofSeconds(10), () -> assertThat(types(technician))
        .contains("unblock.requested", "unblock.approved", "unblock.expired"));
    JsonNode verify = client.call("GET", "/api/v1/audit/verify", technician, null, 200);
    assertThat(verify.get("valid").asBoolean()).as(verify.toString()).isTrue();
    Eventually.within(Duration.ofSeconds(10), () -> assertThat(client.accessLog())
        .anySatisfy(line -> {
          assertThat(line.get("host").asText()).isEqualTo(SITE);
          assertThat(line.get("rule").asText()).isEqualTo("unblock");
          assertThat(line.get("unblock").asLong()).isEqualTo(id);
        }));
  }

  private List<String> types(String token) throws Exception {
    List<String> types = new ArrayList<>();
    for (JsonNode r : client.call("GET", "/api/v1/audit?limit=1000", token, null, 200).get("records")) {
      types.add(r.get("type").asText());
    }
    return types;
  }




}
