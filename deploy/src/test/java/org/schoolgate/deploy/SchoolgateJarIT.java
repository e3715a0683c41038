package org.schoolgate.deploy;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's run command, minus the build: {@code java -jar deploy/target/schoolgate.jar} on its
 * embedded default (ports moved to free ones), driven through the proxy with an HTTP client.
 */
class SchoolgateJarIT {
  @TempDir Path dataDir;
  private WireMockServer origin;
  private JarProcess jar;
  private int proxyPort;
  private int adminPort;

  @BeforeEach
  void startOriginAndSchoolgate() throws Exception {
    origin = new WireMockServer(options().bindAddress("127.0.0.1").port(0));
    origin.start();
    origin.stubFor(get(urlEqualTo("/hello"))
        .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "text/plain").withBody("hello from the origin")));

    assertThat(JarProcess.jar()).exists();
    jar = JarProcess.start("--data-dir", dataDir.toString(), "--proxy-port", "0", "--admin-port", "0");
    proxyPort = jar.proxyPort();
    adminPort = jar.adminPort();
  }

  @AfterEach
  void stop() {
    if (jar != null) {
      jar.close();
    }
    origin.stop();
  }

  @Test
  void theBuiltJarRunsTheEmbeddedDefaultAndFiltersThroughTheProxy() throws Exception {
    HttpClient direct = HttpClient.newHttpClient();
    HttpResponse<String> health = direct.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort + "/healthz")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(health.statusCode()).isEqualTo(200);
    JsonNode healthJson = new ObjectMapper().readTree(health.body());
    // every check ok but the lists: the sample's optional ut1 list is not installed on a first run
    assertThat(healthJson.get("status").asText()).isEqualTo("degraded");
    assertThat(healthJson.get("reasons")).singleElement().satisfies(r -> assertThat(r.asText())
        .startsWith("lists: ").contains("lists/ut1 does not exist"));
    assertThat(healthJson.get("checks").get("proxy").get("status").asText()).isEqualTo("ok");
    assertThat(Path.of(healthJson.get("policy").get("source").asText())).startsWith(dataDir);
    assertThat(jar.output()).anyMatch(line -> line.contains("proxy") && line.contains(":" + proxyPort));
    assertThat(dataDir.resolve("policy.yaml")).isRegularFile();
    assertThat(dataDir.resolve("schoolgate.sample.yaml")).isRegularFile();
    // the first-run banner names a command that exists: this jar, by its real path
    assertThat(jar.output()).contains("  or from the shell: java -jar " + JarProcess.jar().toAbsolutePath().normalize()
        + " accounts add admin --roles admin --data-dir " + dataDir.toAbsolutePath().normalize());

    // the console's templates were compiled at build time and its assets are in the shaded jar
    HttpResponse<String> signIn = direct.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort + "/")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(signIn.statusCode()).isEqualTo(303);
    assertThat(signIn.headers().firstValue("Location")).hasValue("/sign-in?next=%2F");
    HttpResponse<String> page = direct.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort + "/sign-in")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.body()).contains("<h1 class=\"govuk-heading-l\">Sign in</h1>");
    java.util.regex.Matcher css = java.util.regex.Pattern.compile("/assets/govuk-frontend\\.[0-9a-f]+\\.css")
        .matcher(page.body());
    assertThat(css.find()).as("the page links GOV.UK Frontend's CSS").isTrue();
    HttpResponse<String> stylesheet = direct.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort + css.group())).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(stylesheet.statusCode()).isEqualTo(200);
    assertThat(stylesheet.body()).contains(".govuk-button");

    HttpClient viaProxy = HttpClient.newBuilder()
        .proxy(ProxySelector.of(new InetSocketAddress("127.0.0.1", proxyPort)))
        .connectTimeout(Duration.ofSeconds(10))
        .build();

    HttpResponse<String> allowed = viaProxy.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + origin.port() + "/hello")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(allowed.statusCode()).isEqualTo(200);
    assertThat(allowed.body()).isEqualTo("hello from the origin");

    HttpResponse<String> blocked = viaProxy.send(
        HttpRequest.newBuilder(URI.create("http://www.bet365.com/")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(blocked.statusCode()).isEqualTo(403);
    assertThat(blocked.headers().firstValue("Content-Type")).hasValueSatisfying(
        type -> assertThat(type).startsWith("text/html"));
    assertThat(blocked.body()).contains("www.bet365.com").contains("gambling")
        .contains("http://127.0.0.1:" + adminPort + "/request-access?");

    jar.process().destroy();
    assertThat(jar.process().waitFor(30, TimeUnit.SECONDS)).as("schoolgate exits after SIGTERM").isTrue();
    assertThat(jar.process().isAlive()).isFalse();
    assertThat(accessLog()).as("the access log, flushed on shutdown")
        .contains("www.bet365.com").contains("/hello");
  }

  private String accessLog() throws IOException {
    StringBuilder all = new StringBuilder();
    try (var files = Files.list(dataDir.resolve("logs"))) {
      for (Path f : files.sorted().toList()) {
        all.append(Files.readString(f));
      }
    }
    return all.toString();
  }
}
