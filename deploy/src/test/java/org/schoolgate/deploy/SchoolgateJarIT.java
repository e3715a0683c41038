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
  private static final Duration START_TIMEOUT = Duration.ofSeconds(90);

  @TempDir Path dataDir;
  private WireMockServer origin;
  private Process process;
  private final List<String> output = new CopyOnWriteArrayList<>();
  private final CompletableFuture<Void> ready = new CompletableFuture<>();
  private int proxyPort;
  private int adminPort;

  @BeforeEach
  void startOriginAndSchoolgate() throws Exception {
    origin = new WireMockServer(options().bindAddress("127.0.0.1").port(0));
    origin.start();
    origin.stubFor(get(urlEqualTo("/hello"))
        .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "text/plain").withBody("hello from the origin")));

    Path jar = Path.of(System.getProperty("schoolgate.jar", "target/schoolgate.jar"));
    assertThat(jar).exists();
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    process = new ProcessBuilder(java, "-jar", jar.toString(),
        "--data-dir", dataDir.toString(),
        "--proxy-port", "0",
        "--admin-port", "0")
        .redirectErrorStream(true)
        .start();
    Thread reader = new Thread(this::readOutput, "schoolgate-output");
    reader.setDaemon(true);
    reader.start();
    try {
      ready.get(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("schoolgate did not print '" + Banner.READY + "' within " + START_TIMEOUT
          + "; its output:\n" + String.join("\n", output), e);
    }
    // Port 0: the banner says which ports were bound (no free-port race with other processes).
    proxyPort = bannerPort(PROXY_LINE);
    adminPort = bannerPort(ADMIN_LINE);
  }

  private static final Pattern PROXY_LINE = Pattern.compile("^\\s+proxy\\s+\\S+:(\\d+)");
  private static final Pattern ADMIN_LINE = Pattern.compile("^\\s+admin API\\s+http://\\S+:(\\d+)");

  private int bannerPort(Pattern line) {
    return output.stream().map(line::matcher).filter(Matcher::find)
        .mapToInt(m -> Integer.parseInt(m.group(1))).findFirst()
        .orElseThrow(() -> new AssertionError("no line matching " + line + " in:\n" + String.join("\n", output)));
  }

  @AfterEach
  void stop() throws Exception {
    if (process != null && process.isAlive()) {
      process.destroyForcibly();
      process.waitFor(30, TimeUnit.SECONDS);
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
    assertThat(healthJson.get("status").asText()).isEqualTo("ok");
    assertThat(Path.of(healthJson.get("policy").get("source").asText())).startsWith(dataDir);
    assertThat(output).anyMatch(line -> line.contains("proxy") && line.contains(":" + proxyPort));
    assertThat(dataDir.resolve("policy.yaml")).isRegularFile();
    assertThat(dataDir.resolve("schoolgate.sample.yaml")).isRegularFile();

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

    process.destroy();
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("schoolgate exits after SIGTERM").isTrue();
    assertThat(process.isAlive()).isFalse();
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

  private void readOutput() {
    try (BufferedReader r = new BufferedReader(
        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = r.readLine(); line != null; line = r.readLine()) {
        output.add(line);
        // Ready once the banner has said which ports were bound.
        if (output.stream().anyMatch(l -> l.startsWith(Banner.READY))
            && output.stream().anyMatch(l -> PROXY_LINE.matcher(l).find())
            && output.stream().anyMatch(l -> ADMIN_LINE.matcher(l).find())) {
          ready.complete(null);
        }
      }
      ready.completeExceptionally(new IOException("schoolgate exited before it was ready"));
    } catch (IOException e) {
      ready.completeExceptionally(e);
    }
  }

}
