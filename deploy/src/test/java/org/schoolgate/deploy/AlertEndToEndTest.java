package org.schoolgate.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.schoolgate.policy.sample.SamplePolicy;
import org.schoolgate.policy.testing.Eventually;
import org.schoolgate.policy.testing.MutableClock;
import org.schoolgate.store.Actor;
import org.schoolgate.store.Role;

/**
 * Issue 5's first slice through the real proxy, alert engine, SQLite outbox and admin API: a pupil's
 * attempt at an illegal category is a critical alert for the DSL within 5 seconds, and six
 * pornography attempts in ten minutes are one repeated-attempts alert, not six.
 */
class AlertEndToEndTest {
  /** A Monday morning in term time. */
  private static final Instant START = Instant.parse("2026-11-23T10:00:00Z");
  /** 127.0.0.1 is in the sample policy's ks3-4 subnet. */
  private static final String PUPIL = "127.0.0.1";

  @TempDir Path dataDir;
  private final MutableClock clock = new MutableClock(START);
  private Schoolgate schoolgate;
  private SchoolgateClient client;
  private String dsl;

  @BeforeEach
  void start() throws Exception {
    Path policy = SamplePolicy.extractTo(dataDir);
    schoolgate = Schoolgate.start(RuntimeConfig.embedded(dataDir, policy).withProxyPort(0).withAdminPort(0), clock);
    client = new SchoolgateClient(schoolgate);
    schoolgate.store().accounts().create("ms.dsl", "Ms Safe", "safeguarding first always".toCharArray(),
        EnumSet.of(Role.DSL), new Actor(null, "test-setup", null));
    dsl = client.login("ms.dsl", "safeguarding first always",
        TestAccounts.enrolSecondFactor(schoolgate, "ms.dsl", clock).get(0));
  }

  @AfterEach
  void stop() {
    if (schoolgate != null) {
      schoolgate.close();
    }
  }

  @Test
  void anAttemptAtAnIllegalCategoryIsACriticalAlertForTheDslWithinFiveSeconds() throws Exception {
    assertThat(client.fetch(PUPIL, "http://extreme-pornography.schoolgate.test/a/page")).startsWith("HTTP/1.1 403");
    Eventually.within(Duration.ofSeconds(5), () -> assertThat(alerts()).anySatisfy(a -> {
      assertThat(a.get("severity").asText()).isEqualTo("critical");
      assertThat(a.get("audience").asText()).isEqualTo("dsl");
      assertThat(a.get("kind").asText()).isEqualTo("illegal-category");
      assertThat(a.get("subject").asText()).contains("127.0.0.1", "ks3-4", "extreme-pornography.schoolgate.test");
      assertThat(a.get("details").asText()).contains("http://extreme-pornography.schoolgate.test/a/page");
    }));
  }

  @Test
  void sixPornographyAttemptsInTenMinutesAreOneAlert() throws Exception {
    for (int i = 0; i < 6; i++) {
      assertThat(client.fetch(PUPIL, "http://pornography.schoolgate.test/" + i)).startsWith("HTTP/1.1 403");
      clock.advance(Duration.ofMinutes(1));
    }
    Eventually.within(Duration.ofSeconds(5), () -> assertThat(alerts())
        .filteredOn(a -> a.get("kind").asText().equals("repeated-attempts")).hasSize(1));
    // the engine is first in, first out: once a later marker request's alert is in, all six were evaluated
    assertThat(client.fetch(PUPIL, "http://child-grooming.schoolgate.test/")).startsWith("HTTP/1.1 403");
    Eventually.within(Duration.ofSeconds(5), () -> assertThat(alerts())
        .anySatisfy(a -> assertThat(a.get("subject").asText()).contains("child-grooming.schoolgate.test")));
    assertThat(alerts()).filteredOn(a -> a.get("kind").asText().equals("repeated-attempts")).singleElement()
        .satisfies(a -> {
          assertThat(a.get("audience").asText()).isEqualTo("dsl");
          assertThat(a.get("severity").asText()).isEqualTo("warning");
          assertThat(a.get("details").asText()).contains("http://pornography.schoolgate.test/0",
              "http://pornography.schoolgate.test/4");
        });
  }

  private List<JsonNode> alerts() throws Exception {
    List<JsonNode> out = new ArrayList<>();
    client.call("GET", "/api/v1/alerts?limit=100", dsl, null, 200).get("alerts").forEach(out::add);
    return out;
  }


}
