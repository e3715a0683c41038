package org.schoolgate.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetupTest;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.schoolgate.alerts.delivery.DeliveryConfig;
import org.schoolgate.alerts.delivery.SmtpSettings;
import org.schoolgate.policy.sample.SamplePolicy;
import org.schoolgate.policy.testing.Eventually;
import org.schoolgate.policy.testing.MutableClock;

/**
 * The Grafana dashboard ({@code deploy/grafana/schoolgate.json}) asks only for metrics Schoolgate
 * exports: the whole thing is started (proxy, admin API, filtering DNS resolver, alert delivery),
 * {@code /metrics} is scraped, and every metric name in every panel's PromQL (read by {@link
 * PromQl}, not by pattern matching) must be among the scraped series.
 */
class GrafanaDashboardTest {
  static final Path DASHBOARD = Path.of("grafana", "schoolgate.json");

  @TempDir Path dataDir;
  private final GreenMail mail = new GreenMail(ServerSetupTest.SMTP.dynamicPort());
  private WireMockServer origin;
  private Schoolgate schoolgate;

  @BeforeEach
  void start() throws Exception {
    mail.start();
    Path policy = SamplePolicy.extractTo(dataDir);
    SmtpSettings smtp = SmtpSettings.relay("127.0.0.1", mail.getSmtp().getPort(), SmtpSettings.Security.OFF,
        "schoolgate@school.example");
    origin = new WireMockServer(options().bindAddress("127.0.0.1").port(0));
    origin.start();
    origin.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200).withBody("results")));
    InetAddress loopback = InetAddress.getByName("127.0.0.1");
    RuntimeConfig embedded = RuntimeConfig.embedded(dataDir, policy);
    RuntimeConfig config = embedded
        // Google search is connected to forcesafesearch.google.com for pupils: both stand in here
        .withDns(new RuntimeConfig.DnsSettings(List.of(), Map.of("www.google.com", loopback,
            "forcesafesearch.google.com", loopback)).withFilter(embedded.dns().filter()))
        .withSafeguarding(new SafeguardingSettings(DeliveryConfig.of(smtp, List.of(), List.of()),
            Duration.ofHours(24), Duration.ofMinutes(30), null))
        .withProxyPort(0).withAdminPort(0).withDnsFilterPort(0);
    schoolgate = Schoolgate.start(config, new MutableClock(Instant.parse("2026-11-23T10:00:00Z")));
  }

  @AfterEach
  void stop() {
    if (schoolgate != null) {
      schoolgate.close();
    }
    origin.stop();
    mail.stop();
  }

  @Test
  void everyMetricTheDashboardQueriesIsExported() throws Exception {
    // a pupil's worrying search: traffic, and an alert raised (its counter exists from the first)
    SchoolgateClient client = new SchoolgateClient(schoolgate);
    assertThat(client.fetch("127.0.0.1", "http://www.google.com:" + origin.port() + "/search?q=how+to+kill+myself"))
        .startsWith("HTTP/1.1 200");
    Eventually.within(Duration.ofSeconds(10), () -> assertThat(scrape()).contains("schoolgate_alerts_raised_total"));

    Set<String> exported = new TreeSet<>();
    for (String line : scrape().split("\n")) {
      if (!line.isBlank() && !line.startsWith("#")) {
        exported.add(line.split("[{ ]", 2)[0]);
      }
    }

    JsonNode dashboard = new ObjectMapper().readTree(Files.readString(DASHBOARD));
    List<String> expressions = new ArrayList<>();
    collectExpressions(dashboard, expressions);
    assertThat(expressions).as("the dashboard's PromQL expressions").hasSizeGreaterThan(10);
    Set<String> referenced = new TreeSet<>();
    for (String expr : expressions) {
      referenced.addAll(PromQl.metricNames(expr));
    }

    assertThat(referenced).as("metric names in the dashboard, exported:\n" + String.join("\n", exported))
        .isNotEmpty().isSubsetOf(exported);
  }

  private String scrape() throws Exception {
    HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + schoolgate.admin().port() + "/metrics")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);
    return r.body();
  }

  /** Every {@code expr} of every target, in panels and rows at any depth. */
  private static void collectExpressions(JsonNode node, List<String> out) {
    if (node.isObject()) {
      if (node.has("expr") && node.get("expr").isTextual()) {
        out.add(node.get("expr").asText());
      }
      node.fields().forEachRemaining(e -> collectExpressions(e.getValue(), out));
    } else if (node.isArray()) {
      node.forEach(n -> collectExpressions(n, out));
    }
  }
}
