package org.schoolgate.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.schoolgate.admin.tls.AdminTls;
import org.schoolgate.policy.PolicyHolder;
import org.schoolgate.store.Actor;
import org.schoolgate.store.DatabaseConfig;
import org.schoolgate.store.Role;
import org.schoolgate.store.Store;
import org.slf4j.LoggerFactory;

/** The admin port over real TLS: a client that trusts only the test certificate. */
class AdminHttpsTest {
  @TempDir Path dir;
  private final Clock clock = Clock.systemUTC();
  private TestCertificates certs;
  private PolicyHolder holder;
  private Store store;
  private AdminServer server;
  private HttpClient tlsClient;
  private final HttpClient plainClient = HttpClient.newHttpClient();

  @BeforeEach
  void start() throws Exception {
    certs = TestCertificates.forLoopback();
    Path policy = dir.resolve("policy.yaml");
    try (InputStream in = AdminHttpsTest.class.getResourceAsStream("policy.yaml")) {
      Files.copy(in, policy);
    }
    holder = PolicyHolder.load(policy, clock);
    store = Store.open(DatabaseConfig.sqlite(dir), clock);
    store.accounts().create("head.it", "IT technician", AdminApi.PASSWORD.toCharArray(), Set.of(Role.TECHNICIAN),
        Actor.system("test"));
    tlsClient = HttpClient.newBuilder().sslContext(certs.trustingIt()).build();
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
    store.close();
  }

  private void startTls(URI publicUrl) {
    AdminTls tls = new AdminTls(certs.keys.getPrivate(), List.of(certs.certificate),
        new InetSocketAddress("127.0.0.1", 0), publicUrl, AdminTls.DEFAULT_HSTS);
    server = AdminServer.start(new AdminConfig(new InetSocketAddress("127.0.0.1", 0)).withTls(tls), holder, store,
        new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), clock);
  }

  @Test
  void pagesAreServedOverTlsWithHsts() throws Exception {
    startTls(null);
    HttpResponse<String> r = tlsClient.send(HttpRequest.newBuilder(https("/sign-in")).build(),
        HttpResponse.BodyHandlers.ofString());

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.sslSession()).isPresent();
    assertThat(r.headers().firstValue("Strict-Transport-Security")).contains("max-age=31536000");
    assertThat(server.secure()).isTrue();
  }

  @Test
  void signingInOverTlsSetsASecureStrictCookie() throws Exception {
    startTls(null);
    HttpResponse<String> r = tlsClient.send(HttpRequest.newBuilder(https("/api/v1/login"))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"username\":\"head.it\",\"password\":\"" + AdminApi.PASSWORD + "\"}"))
        .build(), HttpResponse.BodyHandlers.ofString());

    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    String cookie = r.headers().firstValue("Set-Cookie").orElseThrow();
    assertThat(cookie).startsWith("schoolgate_session=").contains("; HttpOnly").contains("; SameSite=Strict")
        .contains("; Secure");
  }

  @Test
  void plainHttpOnTheTlsPortAndOnTheRedirectPortIsSentToHttps() throws Exception {
    startTls(null);
    HttpResponse<String> samePort = plainClient.send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + server.port() + "/request-access?site=example.com")).build(),
        HttpResponse.BodyHandlers.ofString());
    HttpResponse<String> redirectPort = plainClient.send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + server.redirectPort() + "/api/v1/login"))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
        HttpResponse.BodyHandlers.ofString());

    assertThat(samePort.statusCode()).isEqualTo(308);
    assertThat(samePort.headers().firstValue("Location"))
        .contains("https://127.0.0.1:" + server.port() + "/request-access?site=example.com");
    assertThat(samePort.headers().firstValue("Strict-Transport-Security")).isEmpty();
    assertThat(redirectPort.statusCode()).isEqualTo(308);
    assertThat(redirectPort.headers().firstValue("Location")).contains("https://127.0.0.1:" + server.port()
        + "/api/v1/login");
  }

  @Test
  void redirectsUseThePublicUrlWhenOneIsConfigured() throws Exception {
    startTls(URI.create("https://filter.school.example"));
    HttpResponse<String> r = plainClient.send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + server.redirectPort() + "/request-access")).build(),
        HttpResponse.BodyHandlers.ofString());

    assertThat(r.statusCode()).isEqualTo(308);
    assertThat(r.headers().firstValue("Location")).contains("https://filter.school.example/request-access");
  }

  @Test
  void listeningBeyondLoopbackWithoutTlsNeedsAnExplicitSettingAndWarns() {
    InetSocketAddress everywhere = new InetSocketAddress("0.0.0.0", 0);
    assertThatThrownBy(() -> new AdminConfig(everywhere)).hasMessage("admin.listen 0.0.0.0:0 reaches beyond this"
        + " machine without TLS: passwords and session cookies would cross the network in clear (expected:"
        + " admin.tls with a certificate and key, or issued by the school CA; or admin.allow-plain-http: true"
        + " when a TLS reverse proxy stands in front)");

    Logger logger = (Logger) LoggerFactory.getLogger(AdminServer.class);
    ListAppender<ILoggingEvent> appender = new ListAppender<>();
    appender.start();
    logger.addAppender(appender);
    Level level = logger.getLevel();
    logger.setLevel(Level.INFO);
    try {
      server = AdminServer.start(new AdminConfig(everywhere, null, null, null, null, true, null), holder, store,
          new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), clock);
    } finally {
      logger.detachAppender(appender);
      logger.setLevel(level);
    }
    assertThat(appender.list).filteredOn(e -> e.getLevel() == Level.WARN).singleElement()
        .extracting(ILoggingEvent::getFormattedMessage).asString()
        .startsWith("the admin API listens on 0.0.0.0:" + server.port() + " over plain HTTP: passwords and session"
            + " cookies cross the network in clear");
  }

  @Test
  void theLoopbackDefaultStaysPlainHttpWithoutAWarning() throws Exception {
    Logger logger = (Logger) LoggerFactory.getLogger(AdminServer.class);
    ListAppender<ILoggingEvent> appender = new ListAppender<>();
    appender.start();
    logger.addAppender(appender);
    try {
      server = AdminServer.start(new AdminConfig(new InetSocketAddress("127.0.0.1", 0)), holder, store,
          new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), clock);
    } finally {
      logger.detachAppender(appender);
    }
    HttpResponse<String> r = plainClient.send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + server.port() + "/healthz")).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(appender.list).noneMatch(e -> e.getLevel() == Level.WARN);
  }

  private URI https(String path) {
    return URI.create("https://127.0.0.1:" + server.port() + path);
  }
}
