package org.schoolgate.proxy.content;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.DeflaterOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.schoolgate.policy.testing.Eventually;
import org.schoolgate.proxy.testing.ProxyClient;
import org.schoolgate.proxy.testing.ProxyClient.Response;
import org.schoolgate.proxy.testing.ProxyExtension;

/**
 * A coded page for a group that has both download rules told by bytes and content rules, through
 * the real proxy: the download check peeks at the decoded first bytes, then the content analysis
 * goes on with the peek's decoder. Each coded byte goes through a decoder once; the verdicts are
 * those of the plain page; a body that does not decode is judged by its headers for the download
 * and fails the analysis (closed for pupils), as before; nothing taken from the pools stays out.
 */
class CodedDownloadPeekEndToEndTest {
  private static final String PUPIL = "127.0.0.2";
  private static final byte[] HARMFUL = Corpus.bytes("en/self-harm-1.html");
  private static final byte[] BENIGN = Corpus.bytes("en/benign-self-harm-support.html");

  @RegisterExtension
  @Order(1)
  static WireMockExtension wiremock = WireMockExtension.newInstance()
      .options(wireMockConfig().dynamicPort().bindAddress("127.0.0.1")).build();

  @RegisterExtension
  @Order(2)
  static ProxyExtension proxy = ProxyExtension.withPolicy("""
          timezone: Europe/London
          clients:
            allow: [127.0.0.0/29]
          groups:
            pupils: { subnets: [127.0.0.2/32] }
          default: acceptable
          downloads:
            groups:
              pupils: [executable, installer, script, disk-image]
          content:
            look-ahead: 64KiB
            groups:
              pupils: { default: alert, self-harm: block }
          """)
      .staticHost("pages.test", "127.0.0.1");

  @BeforeEach
  void pages() { // WireMock forgets its stubs after each test
    for (String coding : List.of("gzip", "br", "deflate")) {
      page("/harmful." + coding, coding, coded(coding, HARMFUL));
      page("/benign." + coding, coding, coded(coding, BENIGN));
    }
    page("/harmful", null, HARMFUL);
    page("/broken.gz", "gzip", "this is not gzip at all".getBytes(StandardCharsets.UTF_8));
  }

  private static void page(String path, String coding, byte[] body) {
    var response = aResponse().withStatus(200).withHeader("Content-Type", "text/html; charset=utf-8").withBody(body);
    if (coding != null) {
      response = response.withHeader("Content-Encoding", coding);
    }
    wiremock.stubFor(get(urlEqualTo(path)).willReturn(response));
  }

  private static byte[] coded(String coding, byte[] plain) {
    return switch (coding) {
      case "gzip" -> Corpus.gzip(plain);
      case "br" -> Corpus.brotli(plain);
      default -> {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (DeflaterOutputStream z = new DeflaterOutputStream(out)) {
          z.write(plain);
        } catch (java.io.IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
        yield out.toByteArray();
      }
    };
  }

  private static String url(String path) {
    return "http://pages.test:" + wiremock.getPort() + path;
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"gzip", "br", "deflate"})
  void aCodedPageIsDecodedOnceAndJudgedAsThePlainPage(String coding) throws Exception {
    byte[] benign = coded(coding, BENIGN);
    try (ProxyClient pupil = proxy.client(PUPIL)) {
      assertThat(pupil.get(url("/harmful")).status()).isEqualTo(403);
      double before = proxy.registry().get("schoolgate.content.decoded.bytes").functionCounter().count();
      double peeks = proxy.registry().get("schoolgate.downloads.peeks").counter().count();
      Response ok = pupil.get(url("/benign." + coding));
      assertThat(proxy.registry().get("schoolgate.downloads.peeks").counter().count()).as("its first bytes were peeked at")
          .isEqualTo(peeks + 1);
      assertThat(ok.status()).isEqualTo(200);
      assertThat(ok.body()).as("the origin's coding, untouched").isEqualTo(benign);
      assertThat(proxy.registry().get("schoolgate.content.decoded.bytes").functionCounter().count() - before)
          .as("the peek's and the analysis's decoding together, on the meter").isEqualTo((double) benign.length);

      Response harmful = pupil.get(url("/harmful." + coding));
      assertThat(harmful.status()).isEqualTo(403);
      assertThat(harmful.text()).contains("content:self-harm");
    }
    Map<String, Object> plain = content(line("/harmful"));
    Map<String, Object> coded = content(line("/harmful." + coding));
    assertThat(coded).containsEntry("action", "block").containsEntry("theme", "self-harm")
        .containsEntry("score", plain.get("score")).containsEntry("phrases", plain.get("phrases"));
    assertThat(line("/benign." + coding)).containsEntry("action", "allow").doesNotContainKey("content")
        .doesNotContainKey("download");
    Eventually.within(Duration.ofSeconds(20), () -> assertThat(AnalysisPool.outstanding()).isZero());
    assertThat(Unbrotli.live()).as("every Brotli decoder destroyed").isZero();
    assertThat(proxy.registry().get("schoolgate.content.brotli.live").gauge().value()).isZero();
    assertThat(proxy.registry().get("schoolgate.content.brotli.leaked").functionCounter().count())
        .as("the cleaner's count, on the meter").isEqualTo((double) Unbrotli.leaked());
  }

  @Test
  void aBodyThatDoesNotDecodeIsJudgedByItsHeadersThenFailsTheAnalysisClosed() throws Exception {
    try (ProxyClient pupil = proxy.client(PUPIL)) {
      Response r = pupil.get(url("/broken.gz"));

      assertThat(r.status()).isEqualTo(403);
      assertThat(r.text()).doesNotContain("download:");
    }
    Map<String, Object> line = line("/broken.gz");
    assertThat(line).doesNotContainKey("download");
    assertThat(content(line)).containsEntry("action", "block").containsEntry("failed", true);
    Eventually.within(Duration.ofSeconds(20), () -> assertThat(AnalysisPool.outstanding()).isZero());
  }

  private static Map<String, Object> line(String path) throws Exception {
    List<Map<String, Object>> found = new ArrayList<>();
    Eventually.within(Duration.ofSeconds(10), () -> {
      found.clear();
      proxy.accessLog().stream().filter(l -> path.equals(l.get("path")) && PUPIL.equals(l.get("client")))
          .findFirst().ifPresent(found::add);
      assertThat(found).as("access line for %s", path).hasSize(1);
    });
    return found.get(0);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> content(Map<String, Object> line) {
    assertThat(line).containsKey("content");
    return (Map<String, Object>) line.get("content");
  }
}
