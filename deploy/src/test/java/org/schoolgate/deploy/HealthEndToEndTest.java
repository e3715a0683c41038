package org.schoolgate.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.schoolgate.alerts.delivery.DeliveryConfig;
import org.schoolgate.alerts.delivery.Recipient;
import org.schoolgate.alerts.delivery.Route;
import org.schoolgate.alerts.delivery.SmtpSettings;
import org.schoolgate.policy.testing.Eventually;
import org.schoolgate.policy.testing.MutableClock;
import org.schoolgate.policy.testing.Tmpfs;
import org.schoolgate.store.Actor;
import org.schoolgate.store.Alert;
import org.schoolgate.store.AlertStore;
import org.schoolgate.store.DatabaseConfig;
import org.schoolgate.store.NewAlert;

/**
 * {@code /healthz} of a whole Schoolgate telling the truth, with the real conditions: the access
 * log on a real tmpfs that fills up (a technicians' alert when writing fails and a note when it
 * works again), a PostgreSQL database made read-only, and alert deliveries that cannot leave.
 */
class HealthEndToEndTest {
  private static final Instant START = Instant.parse("2026-11-23T10:00:00Z");
  private static final String PUPIL = "127.0.0.1";
  /** A request line of ~5 KiB, so each access-log line is larger than a tmpfs page. */
  private static final String BLOCKED = "http://bet.example/?q=" + "x".repeat(5_000);
  private static final Duration TEN_SECONDS = Duration.ofSeconds(10);

  @TempDir Path dir;
  private final MutableClock clock = new MutableClock(START);
  private final HttpClient http = HttpClient.newHttpClient();
  private Schoolgate schoolgate;
  private SchoolgateClient client;

  @AfterEach
  void stop() {
    if (schoolgate != null) {
      schoolgate.close();
    }
  }

  private RuntimeConfig config(Path logs, DatabaseConfig database, SafeguardingSettings safeguarding)
      throws IOException {
    Path policy = dir.resolve("policy.yaml");
    try (InputStream in = HealthEndToEndTest.class.getResourceAsStream("policy.yaml")) {
      Files.copy(in, policy);
    }
    return new RuntimeConfig(RuntimeConfig.ProxySettings.defaults(new InetSocketAddress("127.0.0.1", 0)),
        new RuntimeConfig.AdminSettings(new InetSocketAddress("127.0.0.1", 0), null), policy, logs,
        RuntimeConfig.DnsSettings.system(), database, RuntimeConfig.DEFAULT_MAX_UNBLOCK, safeguarding, null);
  }

  private void start(RuntimeConfig config) throws Exception {
    schoolgate = Schoolgate.start(config, clock);
    client = new SchoolgateClient(schoolgate);
  }

  /** The health report after a fresh round (the monitor runs every 5 s by itself). */
  private JsonNode health() throws Exception {
    schoolgate.admin().health().refresh();
    return get("/healthz");
  }

  private JsonNode get(String path) throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
        + schoolgate.admin().port() + path)).build(), HttpResponse.BodyHandlers.ofString());
    JsonNode json = SchoolgateClient.JSON.readTree(r.body());
    ((com.fasterxml.jackson.databind.node.ObjectNode) json).put("httpStatus", r.statusCode());
    return json;
  }

  private String metrics() throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + schoolgate.admin().port() + "/metrics"))
        .build(), HttpResponse.BodyHandlers.ofString()).body();
  }

  private List<Alert> technicians() {
    return schoolgate.store().alerts().list(new AlertStore.Query(Alert.Audience.TECHNICIANS, false, 100));
  }

  private String blockedRequest() throws Exception {
    String answer = client.fetch(PUPIL, BLOCKED);
    schoolgate.proxy().flushAccessLog(TEN_SECONDS);
    return answer;
  }

  @Test
  void aFullLogDiskIsDegradedWithAnAlertForTechniciansAndOkWithANoteOnceItHasSpaceAgain() throws Exception {
    try (Tmpfs disk = Tmpfs.mount(dir.resolve("disk"), 128)) {
      Path filler = disk.fill("filler", 96);
      start(config(disk.dir().resolve("logs"), DatabaseConfig.sqlite(dir), SafeguardingSettings.DEFAULTS));
      try {
        JsonNode healthy = health();
        assertThat(healthy.get("status").asText()).as(healthy.toString()).isEqualTo("ok");
        assertThat(healthy.get("checks").get("access-log").get("text").asText())
            .isEqualTo("writing to " + disk.dir().resolve("logs"));

        for (int i = 0; i < 60 && schoolgate.proxy().accessLogStatus().writing(); i++) {
          assertThat(blockedRequest()).startsWith("HTTP/1.1 403");
        }
        assertThat(schoolgate.proxy().accessLogStatus().writing()).as("the disk filled up").isFalse();
        Path rest = fillWhatIsLeft(disk.dir().resolve("rest"));
        for (int i = 0; i < 3; i++) {
          assertThat(blockedRequest()).as("the proxy keeps filtering").startsWith("HTTP/1.1 403");
        }

        JsonNode degraded = health();
        assertThat(degraded.get("httpStatus").asInt()).isEqualTo(200);
        assertThat(degraded.get("status").asText()).isEqualTo("degraded");
        assertThat(degraded.get("reasons")).singleElement().satisfies(r -> assertThat(r.asText())
            .startsWith("access-log: cannot write the access log in " + disk.dir().resolve("logs") + " since ")
            .contains("No space left on device").contains("lines lost so far"));
        assertThat(get("/healthz/ready").get("httpStatus").asInt()).as("still filtering: ready").isEqualTo(200);
        assertThat(metrics()).contains("schoolgate_health{check=\"access-log\"} 1.0")
            .contains("schoolgate_accesslog_failing 1.0").containsPattern(
                "schoolgate_accesslog_dropped_total\\{cause=\"write-failed\"} [1-9]");
        Eventually.within(TEN_SECONDS, () -> assertThat(technicians()).singleElement().satisfies(a -> {
          assertThat(a.content().kind()).isEqualTo("accesslog-failing");
          assertThat(a.content().severity()).isEqualTo(Alert.Severity.WARNING);
          assertThat(a.content().subject()).startsWith("The access log cannot be written: cannot write")
              .contains("No space left on device");
        }));

        Files.delete(filler);
        Files.delete(rest);
        long lost = schoolgate.proxy().accessLogStatus().outage().linesLost();
        assertThat(blockedRequest()).startsWith("HTTP/1.1 403");

        JsonNode again = health();
        assertThat(again.get("status").asText()).as(again.toString()).isEqualTo("ok");
        assertThat(again.get("checks").get("access-log").get("text").asText())
            .contains(lost + " events lost since start");
        Eventually.within(TEN_SECONDS, () -> assertThat(technicians())
            .filteredOn(a -> a.content().kind().equals("accesslog-recovered")).singleElement()
            .satisfies(a -> {
              assertThat(a.content().severity()).isEqualTo(Alert.Severity.INFO);
              assertThat(a.content().subject()).endsWith("; " + lost + " lines were lost");
            }));
        // every line on the disk is whole
        assertThat(client.accessLog()).allSatisfy(line -> assertThat(line.get("host").asText()).isEqualTo("bet.example"));
      } finally {
        schoolgate.close();
        schoolgate = null;
      }
    }
  }

  @Test
  void aReadOnlyPostgresIsDegradedWithTheReasonWhileTheProxyKeepsFiltering() throws Exception {
    try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().start()) {
      try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
        s.execute("CREATE DATABASE sg_health");
      }
      start(config(dir.resolve("logs"), new DatabaseConfig(postgres.getJdbcUrl("postgres", "sg_health"), "postgres",
          null), SafeguardingSettings.DEFAULTS));
      try {
        assertThat(health().get("status").asText()).isEqualTo("ok");
        assertThat(health().get("checks").get("store").get("text").asText()).startsWith("postgresql, takes writes");

        try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
          s.execute("ALTER DATABASE sg_health SET default_transaction_read_only = on");
          terminateSessions(s); // the pool's sessions began writable
          Eventually.within(Duration.ofSeconds(30), () -> {
            JsonNode h = health();
            assertThat(h.get("status").asText()).isEqualTo("degraded");
            assertThat(h.get("reasons")).singleElement().satisfies(r -> assertThat(r.asText())
                .startsWith("store: the postgresql database does not take writes: ")
                .contains("read-only transaction"));
          });
          assertThat(get("/healthz/ready").get("status").asText()).isEqualTo("degraded");
          assertThat(metrics()).contains("schoolgate_health{check=\"store\"} 1.0")
              .contains("schoolgate_health{check=\"overall\"} 1.0");
          assertThat(blockedRequest()).as("the proxy keeps filtering").startsWith("HTTP/1.1 403");

          s.execute("ALTER DATABASE sg_health RESET default_transaction_read_only");
          terminateSessions(s);
        }
        Eventually.within(Duration.ofSeconds(30), () -> assertThat(health().get("status").asText()).isEqualTo("ok"));
        assertThat(metrics()).contains("schoolgate_health{check=\"store\"} 0.0");
      } finally {
        schoolgate.close();
        schoolgate = null;
      }
    }
  }

  @Test
  void alertsThatCannotBeDeliveredForFifteenMinutesAreDegraded() throws Exception {
    SmtpSettings nowhere = SmtpSettings.relay("127.0.0.1", TestFeeds.closedPort(), SmtpSettings.Security.OFF,
        "schoolgate@school.example");
    DeliveryConfig delivery = DeliveryConfig.of(nowhere, List.of(), List.of(
        new Route(Route.Match.audience(Alert.Audience.TECHNICIANS), List.of(Recipient.parse("email:it@school.example")))));
    start(config(dir.resolve("logs"), DatabaseConfig.sqlite(dir), new SafeguardingSettings(delivery,
        SafeguardingSettings.DEFAULTS.incidentJoinWindow(), SafeguardingSettings.DEFAULTS.escalateAfter(), null)));
    assertThat(health().get("checks").get("alert-outbox").get("text").asText()).isEqualTo("delivering; nothing waiting");

    schoolgate.store().alerts().raise(new NewAlert(Alert.Severity.WARNING, "block-burst", Alert.Audience.TECHNICIANS,
        "30 blocks in 2 minutes", "", "10.1.2.3", null, "test:outbox"), Actor.system("test"));
    Eventually.within(TEN_SECONDS, () -> assertThat(schoolgate.store().deliveries().oldestPending()).hasValue(START));
    assertThat(health().get("status").asText()).as("a delivery retried for a while is normal").isEqualTo("ok");

    clock.advance(Duration.ofMinutes(16));

    JsonNode h = health();
    assertThat(h.get("status").asText()).isEqualTo("degraded");
    assertThat(h.get("reasons")).singleElement().satisfies(r -> assertThat(r.asText()).isEqualTo(
        "alert-outbox: the oldest alert delivery has waited 16m (since " + START + ", more than 15m): check the"
            + " mail server and webhooks in 'alerts:' and the log for delivery errors"));
  }

  private static void terminateSessions(Statement s) throws Exception {
    s.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = 'sg_health'");
  }

  /** Takes every free byte of the tmpfs with one file. */
  private static Path fillWhatIsLeft(Path file) throws IOException {
    try (var out = Files.newOutputStream(file)) {
      byte[] chunk = new byte[512];
      while (true) {
        out.write(chunk);
      }
    } catch (IOException full) {
      assertThat(full).hasMessageContaining("No space left on device");
    }
    return file;
  }
}
