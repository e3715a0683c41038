package org.schoolgate.proxy.download;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ForkJoinPool;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.schoolgate.proxy.ca.LeafCertificates;
import org.schoolgate.proxy.ca.SchoolCa;
import org.schoolgate.proxy.intercept.InterceptionSettings;
import org.schoolgate.proxy.testing.ProxyClient;
import org.schoolgate.proxy.testing.ProxyClient.Response;
import org.schoolgate.proxy.testing.ProxyExtension;
import org.schoolgate.proxy.testing.StreamingOrigin;
import org.schoolgate.proxy.testing.TestCa;
import org.schoolgate.proxy.testing.TlsTunnel;

/**
 * Downloads whose first bytes are not the file's own: a content-coded body (gzip, Brotli) is told
 * by its decoded first bytes, and a {@code 206 Partial Content} by its bytes when its range starts
 * at 0, by its headers and URL when it starts later. Through the real proxy, plain HTTP (WireMock)
 * and intercepted HTTPS (a TLS origin). Pupils may not download programs; staff may.
 */
class CodedAndPartialDownloadsEndToEndTest {
  private static final String PUPIL = "127.0.0.2";
  private static final String STAFF = "127.0.0.3";
  private static final byte[] PROGRAM = DownloadLines.program(64 * 1024, 26);
  private static final byte[] PDF = ("%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
      + "trailer << /Root 1 0 R >>\n%%EOF\n").getBytes(StandardCharsets.ISO_8859_1);

  static final TestCa ORIGINS_CA = new TestCa("Test Origins CA");
  static final SchoolCa SCHOOL_CA = SchoolCa.generate("Test School", Clock.systemUTC());
  static final LeafCertificates LEAVES = new LeafCertificates(SCHOOL_CA, ForkJoinPool.commonPool(),
      Clock.systemUTC(), Duration.ofDays(7), 100);

  @RegisterExtension
  @Order(1)
  static WireMockExtension wiremock = WireMockExtension.newInstance()
      .options(wireMockConfig().dynamicPort().bindAddress("127.0.0.1")).build();

  @RegisterExtension
  @Order(1)
  static StreamingOrigin tls = new StreamingOrigin(() -> ORIGINS_CA.issue("files.test"))
      .route("/holiday.jpg", StreamingOrigin.Route.bytes("image/jpeg", "gzip", gzip(PROGRAM)))
      .route("/report.pdf", StreamingOrigin.Route.bytes("application/pdf", "br", brotli(PDF)));

  @RegisterExtension
  @Order(2)
  static ProxyExtension proxy = ProxyExtension.withPolicy("""
          timezone: Europe/London
          clients:
            allow: [127.0.0.0/29]
          groups:
            pupils: { subnets: [127.0.0.2/32] }
            staff:  { subnets: [127.0.0.3/32] }
          default: acceptable
          tunnels:
            allowed-ports: [443, 1024-65535]
          interception:
            groups: { default: all }
          downloads:
            groups:
              pupils: [executable, installer, script, disk-image]
              staff: []
          """)
      .staticHost("files.test", "127.0.0.1")
      .interception(() -> InterceptionSettings.of(LEAVES, List.of(ORIGINS_CA.certificate())));

  @BeforeEach
  void files() { // WireMock forgets its stubs after each test
    file("/holiday.jpg", 200, "image/jpeg", "gzip", null, gzip(PROGRAM));
    file("/holiday-br.jpg", 200, "image/jpeg", "br", null, brotli(PROGRAM));
    file("/report.pdf", 200, "application/pdf", "gzip", null, gzip(PDF));
    file("/broken.jpg", 200, "image/jpeg", "gzip", null, PROGRAM); // says gzip, is not
    file("/first-part.jpg", 206, "image/jpeg", null, "bytes 0-4095/65536", Arrays.copyOfRange(PROGRAM, 0, 4096));
    file("/later-part.jpg", 206, "image/jpeg", null, "bytes 4096-8191/65536", Arrays.copyOfRange(PROGRAM, 0, 4096));
    file("/later-part.exe", 206, "application/octet-stream", null, "bytes 4096-8191/65536",
        Arrays.copyOfRange(PROGRAM, 4096, 8192));
  }

  private static void file(String path, int status, String type, String coding, String range, byte[] body) {
    var response = aResponse().withStatus(status).withHeader("Content-Type", type).withBody(body);
    if (coding != null) {
      response = response.withHeader("Content-Encoding", coding);
    }
    if (range != null) {
      response = response.withHeader("Content-Range", range);
    }
    wiremock.stubFor(get(urlEqualTo(path)).willReturn(response));
  }

  private static String url(String path) {
    return "http://files.test:" + wiremock.getPort() + path;
  }

  @Test
  void aGzipOrBrotliCodedProgramRenamedJpgIsCaughtByItsDecodedBytes() throws Exception {
    try (ProxyClient pupil = proxy.client(PUPIL)) {
      for (String path : List.of("/holiday.jpg", "/holiday-br.jpg")) {
        Response r = pupil.get(url(path));

        assertThat(r.status()).as(path).isEqualTo(403);
        assertThat(r.text()).contains("download:executable");
      }
    }
    assertThat(DownloadLines.download(DownloadLines.line(proxy, "/holiday.jpg", PUPIL, null, "http"))).containsEntry("evidence", "bytes");
    assertThat(DownloadLines.download(DownloadLines.line(proxy, "/holiday-br.jpg", PUPIL, null, "http"))).containsEntry("evidence", "bytes");
  }

  @Test
  void aCodedPdfPassesAsTheOriginCodedItAndStaffGetTheCodedProgram() throws Exception {
    try (ProxyClient pupil = proxy.client(PUPIL); ProxyClient staff = proxy.client(STAFF)) {
      Response pdf = pupil.get(url("/report.pdf"));
      Response program = staff.get(url("/holiday.jpg"));

      assertThat(pdf.status()).isEqualTo(200);
      assertThat(pdf.header("content-encoding")).isEqualTo("gzip");
      assertThat(pdf.body()).isEqualTo(gzip(PDF));
      assertThat(program.status()).isEqualTo(200);
      assertThat(program.body()).isEqualTo(gzip(PROGRAM));
    }
    assertThat(DownloadLines.line(proxy, "/report.pdf", PUPIL, null, "http")).containsEntry("action", "allow").doesNotContainKey("download");
  }

  @Test
  void aBodyThatDoesNotDecodeAsItsCodingSaysIsJudgedByItsHeaders() throws Exception {
    try (ProxyClient pupil = proxy.client(PUPIL)) {
      Response r = pupil.get(url("/broken.jpg"));

      assertThat(r.status()).isEqualTo(200); // no browser could open it as a program either
      assertThat(r.body()).isEqualTo(PROGRAM);
    }
  }

  @Test
  void aPartialAnswerFromTheFirstByteIsToldByItsBytes() throws Exception {
    try (ProxyClient pupil = proxy.client(PUPIL)) {
      Response r = pupil.get(url("/first-part.jpg"));

      assertThat(r.status()).isEqualTo(403);
      assertThat(r.text()).contains("download:executable");
    }
    assertThat(DownloadLines.download(DownloadLines.line(proxy, "/first-part.jpg", PUPIL, null, "http"))).containsEntry("evidence", "bytes");
  }

  @Test
  void aPartialAnswerFromLaterIsJudgedByItsHeadersAndUrlOnly() throws Exception {
    try (ProxyClient pupil = proxy.client(PUPIL)) {
      // a program's first bytes where the range says byte 4096 starts: not the file's start, not judged
      Response later = pupil.get(url("/later-part.jpg"));
      Response exe = pupil.get(url("/later-part.exe"));

      assertThat(later.status()).isEqualTo(206);
      assertThat(later.body()).isEqualTo(Arrays.copyOfRange(PROGRAM, 0, 4096));
      assertThat(exe.status()).isEqualTo(403);
      assertThat(exe.text()).contains("download:executable");
    }
    assertThat(DownloadLines.download(DownloadLines.line(proxy, "/later-part.exe", PUPIL, null, "http"))).containsEntry("evidence", "url");
    assertThat(DownloadLines.line(proxy, "/later-part.jpg", PUPIL, null, "http")).doesNotContainKey("download");
  }

  @Test
  void insideInterceptedHttpsAGzipCodedProgramIsCaughtAndABrotliPdfPasses() throws Exception {
    try (TlsTunnel pupil = TlsTunnel.open(proxy, PUPIL, "files.test", tls.port(),
        TestCa.trusting(SCHOOL_CA.certificate()))) {
      Response program = pupil.get("/holiday.jpg");
      assertThat(program.status()).isEqualTo(403);
      assertThat(program.text()).contains("download:executable");
      Response pdf = pupil.get("/report.pdf"); // the tunnel goes on
      assertThat(pdf.status()).isEqualTo(200);
      assertThat(pdf.body()).isEqualTo(brotli(PDF));
    }
    assertThat(DownloadLines.download(DownloadLines.line(proxy, "/holiday.jpg", PUPIL, null, "https"))).containsEntry("evidence", "bytes");
  }

  private static byte[] gzip(byte[] plain) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(plain);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  private static byte[] brotli(byte[] plain) {
    try {
      com.aayushatharva.brotli4j.Brotli4jLoader.ensureAvailability();
      return com.aayushatharva.brotli4j.encoder.Encoder.compress(plain);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
