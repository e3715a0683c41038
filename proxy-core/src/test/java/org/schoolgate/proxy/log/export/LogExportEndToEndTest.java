package org.schoolgate.proxy.log.export;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.schoolgate.policy.testing.Eventually;
import org.schoolgate.proxy.metrics.ProxyMetrics;
import org.schoolgate.proxy.testing.ProxyClient;
import org.schoolgate.proxy.testing.ProxyExtension;

/**
 * The access log's copies through a real proxy: a pupil's allowed and blocked requests land in
 * {@code squid-access-2026-11-23.log} as Squid native lines (read by a parser that follows Squid's
 * documented format) and reach a real UDP syslog receiver on loopback as RFC 5424 messages with
 * the fields as structured data.
 */
class LogExportEndToEndTest {
  private static final String PUPIL = "127.0.0.2";
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final SyslogReceiver RECEIVER = open();

  @RegisterExtension
  @Order(1)
  static WireMockExtension origin = WireMockExtension.newInstance()
      .options(wireMockConfig().dynamicPort().bindAddress("127.0.0.5")).build();

  @RegisterExtension
  @Order(2)
  static ProxyExtension proxy = ProxyExtension.withPolicy("""
          timezone: Europe/London
          clients:
            allow: [127.0.0.0/29]
          groups:
            pupils: { subnets: [127.0.0.2/32] }
          categories:
            gambling: { domains: [casino.test] }
          matrix:
            gambling: { default: unacceptable }
          default: acceptable
          safesearch:
            search: off
            youtube: off
          """)
      .staticHost("www.example.test", "127.0.0.5")
      .staticHost("casino.test", "127.0.0.5")
      .exports(() -> new LogExports(true, new SyslogSettings("127.0.0.1", RECEIVER.port(),
          SyslogSettings.Transport.UDP, SyslogSettings.facility("local3"), "proxy1.school.test", 1024)));

  /** Debian's calamaris ({@code .ci/run} installs it) over {@code file}: its plain-text report. */
  private static String calamaris(Path file) throws Exception {
    Process p = new ProcessBuilder("calamaris", "-a").redirectInput(file.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).as("calamaris finished").isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    return out;
  }

  private static SyslogReceiver open() {
    try {
      return SyslogReceiver.udp();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @AfterAll
  static void closeReceiver() throws IOException {
    RECEIVER.close();
  }

  @Test
  void allowedAndBlockedRequestsAreWrittenAsSquidLinesAndSentAsRfc5424() throws Exception {
    origin.stubFor(get(urlPathMatching("/.*")).willReturn(aResponse().withStatus(200).withBody("twelve bytes")));
    try (ProxyClient pupil = proxy.client(PUPIL)) {
      assertThat(pupil.get("http://www.example.test:" + origin.getPort() + "/maths/fractions?year=7").status())
          .isEqualTo(200);
    }
    try (ProxyClient pupil = proxy.client(PUPIL)) {
      assertThat(pupil.get("http://casino.test/spin").status()).isEqualTo(403);
    }
    proxy.server().flushAccessLog(WAIT);

    Path file = proxy.logDir().resolve("squid-access-2026-11-23.log");
    List<SquidLine> lines = Files.readAllLines(file).stream().map(SquidLine::parse).toList();
    assertThat(lines).hasSize(2);
    SquidLine allowed = lines.get(0);
    long now = ProxyExtension.NOW.getEpochSecond();
    assertThat(allowed.seconds()).isBetween(now, now + 10);
    assertThat(allowed.client()).isEqualTo(PUPIL);
    assertThat(allowed.code()).isEqualTo("TCP_MISS");
    assertThat(allowed.status()).isEqualTo(200);
    assertThat(allowed.bytes()).isEqualTo(12);
    assertThat(allowed.method()).isEqualTo("GET");
    assertThat(allowed.url()).isEqualTo("http://www.example.test:" + origin.getPort() + "/maths/fractions?year=7");
    assertThat(allowed.ident()).isEqualTo("-");
    assertThat(allowed.hierarchy()).isEqualTo("HIER_DIRECT");
    assertThat(allowed.from()).isEqualTo("www.example.test");
    SquidLine blocked = lines.get(1);
    assertThat(blocked.code()).isEqualTo("TCP_DENIED");
    assertThat(blocked.status()).isEqualTo(403);
    assertThat(blocked.url()).isEqualTo("http://casino.test/spin");
    assertThat(blocked.hierarchy() + "/" + blocked.from()).isEqualTo("HIER_NONE/-");
    assertThat(blocked.type()).isEqualTo("text/html");
    assertThat(blocked.bytes()).isPositive();

    Eventually.within(WAIT, () -> assertThat(RECEIVER.messages).hasSize(2));
    SyslogMessage a = SyslogMessage.parse(RECEIVER.messages.get(0));
    assertThat(a.facility()).isEqualTo(19);
    assertThat(a.severity()).isEqualTo(6);
    assertThat(a.timestamp()).isEqualTo("2026-11-23T12:30:00Z");
    assertThat(a.hostname()).isEqualTo("proxy1.school.test");
    assertThat(a.appName()).isEqualTo("schoolgate");
    assertThat(a.procId()).isEqualTo(Long.toString(ProcessHandle.current().pid()));
    assertThat(a.msgId()).isEqualTo("access");
    assertThat(a.sdId()).isEqualTo("access@32473");
    assertThat(a.params()).containsEntry("client", PUPIL).containsEntry("group", "pupils")
        .containsEntry("method", "GET").containsEntry("action", "allow").containsEntry("status", "200")
        .containsEntry("bytes", "12").doesNotContainKey("user");
    assertThat(SquidLine.parse(a.msg())).isEqualTo(allowed);
    SyslogMessage b = SyslogMessage.parse(RECEIVER.messages.get(1));
    assertThat(b.severity()).isEqualTo(5);
    assertThat(b.params()).containsEntry("action", "block").containsEntry("categories", "gambling")
        .containsEntry("level", "unacceptable").containsEntry("url", "http://casino.test/spin");
    assertThat(b.params().get("rule")).startsWith("matrix:gambling");
    assertThat(calamaris(file)).as("Debian's calamaris reads the file as squid's")
        .containsPattern("lines parsed: +lines +2 ").containsPattern("invalid lines: +lines +0 ")
        .containsPattern(" TCP_DENIED +1 ").containsPattern(" TCP_MISS +1 ");
    assertThat(proxy.registry().get(ProxyMetrics.EXPORT_LINES).tag("export", "squid").counter().count()).isEqualTo(2);
    assertThat(proxy.registry().get(ProxyMetrics.EXPORT_LINES).tag("export", "syslog").counter().count()).isEqualTo(2);
  }
}
