package org.schoolgate.deploy;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.schoolgate.policy.sample.SamplePolicy;

/**
 * The shipped {@code deploy/schoolgate.example.yaml}, edited only as its comments ask (the sample
 * policy and its lists copied where {@code policy:} points; paths pointed into a temporary
 * directory instead of /etc, /var/log and /var/lib), run by the built jar: it starts, filters a
 * request and answers {@code /healthz}. With its PostgreSQL lines turned on and no database there,
 * it fails to start and leaves no directory behind.
 */
class ExampleConfigIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path root;
  private WireMockServer origin;
  private JarProcess jar;

  @BeforeEach
  void originAndSamplePolicy() throws Exception {
    origin = new WireMockServer(options().bindAddress("127.0.0.1").port(0));
    origin.start();
    origin.stubFor(get(urlEqualTo("/hello")).willReturn(aResponse().withStatus(200).withBody("hello")));
    // "copy the sample's policy.yaml and its lists directory here, beside each other"
    SamplePolicy.extractTo(root.resolve("etc"));
  }

  @AfterEach
  void stop() {
    if (jar != null) {
      jar.close();
    }
    origin.stop();
  }

  @Test
  void theShippedExampleStartsFiltersAndReportsItsHealth() throws Exception {
    Path config = ExampleConfig.shipped().pointedInto(root).writeTo(root.resolve("etc/schoolgate.yaml"));

    jar = JarProcess.start("run", "--config", config.toString(), "--proxy-port", "0", "--admin-port", "0");

    HttpClient viaProxy = HttpClient.newBuilder()
        .proxy(ProxySelector.of(new InetSocketAddress("127.0.0.1", jar.proxyPort())))
        .connectTimeout(Duration.ofSeconds(10)).build();
    HttpResponse<String> allowed = viaProxy.send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + origin.port() + "/hello")).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(allowed.statusCode()).isEqualTo(200);
    assertThat(allowed.body()).isEqualTo("hello");
    HttpResponse<String> blocked = viaProxy.send(HttpRequest.newBuilder(URI.create("http://www.bet365.com/")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(blocked.statusCode()).isEqualTo(403);

    HttpClient direct = HttpClient.newHttpClient();
    HttpResponse<String> health = direct.send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + jar.adminPort() + "/healthz")).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(health.statusCode()).isEqualTo(200);
    JsonNode json = JSON.readTree(health.body());
    for (String check : new String[] {"proxy", "access-log", "store", "alert-outbox"}) {
      assertThat(json.get("checks").get(check).get("status").asText()).as(check + ": " + json).isEqualTo("ok");
    }
    // the sample's optional ut1 list is not installed until 'lists update': that is what it reports
    assertThat(json.get("status").asText()).isEqualTo("degraded");
    assertThat(json.get("reasons")).singleElement().satisfies(r -> assertThat(r.asText())
        .startsWith("lists: 1 list problem in the policy in force: ").contains("lists/ut1 does not exist"));
    assertThat(direct.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + jar.adminPort() + "/healthz/ready"))
        .build(), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);

    jar.process().destroy();
    assertThat(jar.process().waitFor(30, TimeUnit.SECONDS)).as("schoolgate exits after SIGTERM").isTrue();
    Path log = root.resolve("log");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(log))).isEqualTo("rwx------");
    try (var files = Files.list(log)) {
      assertThat(files.toList()).isNotEmpty().allSatisfy(f -> assertThat(
          PosixFilePermissions.toString(Files.getPosixFilePermissions(f))).as(f.toString()).isEqualTo("rw-------"));
    }
    assertThat(root.resolve("lib/schoolgate.db")).isRegularFile();
  }

  @Test
  void withPostgresTurnedOnAndNoDatabaseItFailsToStartAndLeavesNoDirectory() throws Exception {
    Path password = Files.writeString(root.resolve("etc/db.password"), "secret\n");
    int closed = TestFeeds.closedPort();
    Path config = ExampleConfig.shipped().withPostgres(password).pointedInto(root)
        .replace("db.school.example", "127.0.0.1:" + closed).writeTo(root.resolve("etc/schoolgate.yaml"));

    JarProcess.Finished run = JarProcess.runToEnd("run", "--config", config.toString(), "--proxy-port", "0",
        "--admin-port", "0");

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.output()).contains("schoolgate: cannot start: cannot open the database at jdbc:postgresql://127.0.0.1:"
        + closed + "/schoolgate");
    assertThat(root.resolve("log")).doesNotExist();
    assertThat(root.resolve("lib")).doesNotExist();
  }
}
