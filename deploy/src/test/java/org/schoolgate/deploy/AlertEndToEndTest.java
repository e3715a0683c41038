package org.schoolgate.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
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
  private static final ObjectMapper JSON = new ObjectMapper();
  /** A Monday morning in term time. */
  private static final Instant START = Instant.parse("2026-11-23T10:00:00Z");
  /** 127.0.0.1 is in the sample policy's ks3-4 subnet. */
  private static final String PUPIL = "127.0.0.1";

  @TempDir Path dataDir;
  private final MutableClock clock = new MutableClock(START);
  private final HttpClient http = HttpClient.newHttpClient();
  private Schoolgate schoolgate;
  private String admin;
  private String dsl;

  @BeforeEach
  void start() throws Exception {
    Path policy = SamplePolicy.extractTo(dataDir);
    schoolgate = Schoolgate.start(RuntimeConfig.embedded(dataDir, policy).withProxyPort(0).withAdminPort(0), clock);
    admin = "http://127.0.0.1:" + schoolgate.admin().port();
    schoolgate.store().accounts().create("ms.dsl", "Ms Safe", "safeguarding first always".toCharArray(),
        EnumSet.of(Role.DSL), new Actor(null, "test-setup", null));
    dsl = call("POST", "/api/v1/login", null, Map.of("username", "ms.dsl", "password", "safeguarding first always"))
        .get("token").asText();
  }

  @AfterEach
  void stop() {
    if (schoolgate != null) {
      schoolgate.close();
    }
  }

  @Test
  void anAttemptAtAnIllegalCategoryIsACriticalAlertForTheDslWithinFiveSeconds() throws Exception {
    assertThat(fetch("http://extreme-pornography.schoolgate.test/a/page")).startsWith("HTTP/1.1 403");
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
      assertThat(fetch("http://pornography.schoolgate.test/" + i)).startsWith("HTTP/1.1 403");
      clock.advance(Duration.ofMinutes(1));
    }
    Eventually.within(Duration.ofSeconds(5), () -> assertThat(alerts())
        .filteredOn(a -> a.get("kind").asText().equals("repeated-attempts")).hasSize(1));
    // the engine is first in, first out: once a later marker request's alert is in, all six were evaluated
    assertThat(fetch("http://child-grooming.schoolgate.test/")).startsWith("HTTP/1.1 403");
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
    call("GET", "/api/v1/alerts?limit=100", dsl, null).get("alerts").forEach(out::add);
    return out;
  }

  private JsonNode call(String method, String path, String token, Object body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(admin + path))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
        .header("Content-Type", "application/json");
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(method + " " + path + ": " + r.body()).isEqualTo(200);
    return JSON.readTree(r.body());
  }

  private String fetch(String url) throws Exception {
    try (Socket s = new Socket()) {
      s.bind(new InetSocketAddress(PUPIL, 0));
      s.connect(new InetSocketAddress("127.0.0.1", schoolgate.proxy().address().getPort()), 5000);
      s.setSoTimeout(10_000);
      OutputStream out = s.getOutputStream();
      out.write(("GET " + url + " HTTP/1.1\r\nHost: " + URI.create(url).getAuthority()
          + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = s.getInputStream();
      ByteArrayOutputStream all = new ByteArrayOutputStream();
      in.transferTo(all);
      return all.toString(StandardCharsets.UTF_8);
    }
  }
}
