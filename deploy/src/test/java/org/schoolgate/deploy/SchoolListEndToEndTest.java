package org.schoolgate.deploy;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.schoolgate.policy.sample.SamplePolicy;
import org.schoolgate.policy.testing.MutableClock;
import org.schoolgate.store.Actor;
import org.schoolgate.store.Role;

/**
 * The school's own lists changed through the admin API are in force on the real proxy at once: a
 * technician blocks a site (the pupil then gets the block page), allows a gambling site by the
 * allow list (the pupil gets through), is refused an illegal one, and removes the block again.
 */
class SchoolListEndToEndTest {
  private static final String QUIZ = "quiz.schoolgate.test";
  private static final String BET = "www.bet365.com";
  private static final String ILLEGAL = "child-grooming.schoolgate.test";
  /** 127.0.0.1 is in the sample policy's ks3-4 (127.0.0.0/8). */
  private static final String PUPIL = "127.0.0.1";

  @TempDir Path dataDir;
  private WireMockServer origin;
  private Schoolgate schoolgate;
  private SchoolgateClient client;

  @BeforeEach
  void start() throws Exception {
    origin = new WireMockServer(options().bindAddress("127.0.0.1").port(0));
    origin.start();
    origin.stubFor(get(urlEqualTo("/page")).willReturn(aResponse().withStatus(200).withBody("the origin's page")));
    Path policy = SamplePolicy.extractTo(dataDir);
    InetAddress local = InetAddress.getByName("127.0.0.1");
    RuntimeConfig embedded = RuntimeConfig.embedded(dataDir, policy);
    RuntimeConfig config = new RuntimeConfig(embedded.proxy(), embedded.admin(), policy, embedded.accessLogDir(),
        new RuntimeConfig.DnsSettings(List.of(), Map.of(QUIZ, local, BET, local, ILLEGAL, local)),
        embedded.database(), embedded.maxUnblock()).withProxyPort(0).withAdminPort(0);
    schoolgate = Schoolgate.start(config, new MutableClock(Instant.parse("2026-11-23T10:00:00Z")));
    client = new SchoolgateClient(schoolgate);
    schoolgate.store().accounts().create("tech.tom", "Tom (IT)", "staple battery horse".toCharArray(),
        EnumSet.of(Role.TECHNICIAN), new Actor(null, "test-setup", null));
  }

  @AfterEach
  void stop() {
    if (schoolgate != null) {
      schoolgate.close();
    }
    origin.stop();
  }

  @Test
  void aListChangeIsInForceOnTheProxyAtOnce() throws Exception {
    String quiz = "http://" + QUIZ + ":" + origin.port() + "/page";
    String bet = "http://" + BET + ":" + origin.port() + "/page";
    String technician = client.login("tech.tom", "staple battery horse");
    assertThat(client.fetch(PUPIL, quiz)).startsWith("HTTP/1.1 200");
    assertThat(client.fetch(PUPIL, bet)).startsWith("HTTP/1.1 403");

    client.call("POST", "/api/v1/lists/school/school-blocked/entries", technician,
        Map.of("entry", QUIZ, "reason", "answers to this week's test"), 201);
    assertThat(client.fetch(PUPIL, quiz)).startsWith("HTTP/1.1 403").contains("school-blocked");

    client.call("POST", "/api/v1/lists/school/school-allowed/entries", technician,
        Map.of("entry", BET + "/page", "reason", "Year 10 maths: the bookmaker's margin"), 201);
    assertThat(client.fetch(PUPIL, bet)).startsWith("HTTP/1.1 200").contains("the origin's page");

    JsonNode refused = client.call("POST", "/api/v1/lists/school/school-allowed/entries", technician,
        Map.of("entry", ILLEGAL, "reason", "a teacher asked"), 422);
    assertThat(refused.get("message").asText()).contains("unacceptable and illegal");
    assertThat(client.fetch(PUPIL, "http://" + ILLEGAL + ":" + origin.port() + "/page")).startsWith("HTTP/1.1 403");

    client.call("POST", "/api/v1/lists/school/school-blocked/entries/remove", technician,
        Map.of("entry", QUIZ, "reason", "the test is over"), 200);
    assertThat(client.fetch(PUPIL, quiz)).startsWith("HTTP/1.1 200");
    assertThat(Files.readString(dataDir.resolve("lists/school/allowed.txt")))
        .contains("www.bet365.com/page  # added 2026-11-23 by tech.tom: Year 10 maths: the bookmaker's margin");
  }
}
