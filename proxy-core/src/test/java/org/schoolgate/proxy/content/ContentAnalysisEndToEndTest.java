package org.schoolgate.proxy.content;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.schoolgate.policy.TestUnblocks;
import org.schoolgate.policy.UnblockSet;
import org.schoolgate.policy.UnblockTarget;
import org.schoolgate.policy.testing.Eventually;
import org.schoolgate.proxy.testing.ProxyClient;
import org.schoolgate.proxy.testing.ProxyClient.Response;
import org.schoolgate.proxy.testing.ProxyExtension;
import org.schoolgate.proxy.testing.StreamingOrigin;

/**
 * Content analysis of plain-HTTP responses through the real proxy: WireMock serves corpus pages
 * (plain, gzip, Brotli), a streaming origin serves long pages piece by piece. Pupils have block
 * rules for self-harm and pornography (alert otherwise), staff log only; the look-ahead is 64 KiB.
 */
class ContentAnalysisEndToEndTest {
  private static final String PUPIL = "127.0.0.2";
  private static final String STAFF = "127.0.0.3";
  private static final long LOOK_AHEAD = 64 * 1024;
  private static final int HUGE = 50 * 1024 * 1024;
  private static final int PIECE = 64 * 1024;
  // 32 MiB in all: more than loopback's socket buffers hold, so an origin still writing at the
  // end shows the proxy read on instead of closing it (800 KiB fitted in the buffers whole)
  static final int LATE_PIECES = 8_000;
  /** Made before the origin's loop serves them (reading the corpus there would block it). */
  private static final List<byte[]> LATE = late();

  @RegisterExtension
  @Order(1)
  static WireMockExtension wiremock = WireMockExtension.newInstance()
      .options(wireMockConfig().dynamicPort().bindAddress("127.0.0.1")).build();

  @RegisterExtension
  @Order(1)
  static StreamingOrigin streaming = new StreamingOrigin()
      .route("/late", new StreamingOrigin.Route("text/html; charset=utf-8", null, () -> LATE.iterator()))
      .route("/huge", new StreamingOrigin.Route("text/html", null, () -> huge()));

  @RegisterExtension
  @Order(2)
  static ProxyExtension proxy = ProxyExtension.withPolicy("""
          timezone: Europe/London
          clients:
            allow: [127.0.0.0/29]
          groups:
            pupils: { subnets: [127.0.0.2/32] }
            staff:  { subnets: [127.0.0.3/32] }
          categories:
            school-allowed: { kind: allow-list, domains: [allowed.test] }
          default: acceptable
          content:
            look-ahead: 64KiB
            groups:
              pupils: { default: alert, self-harm: block, pornography: block }
              staff: log
          """)
      .staticHost("pages.test", "127.0.0.1")
      .staticHost("allowed.test", "127.0.0.1")
      .staticHost("unblocked.test", "127.0.0.1")
      .staticHost("stream.test", "127.0.0.1");

  @BeforeEach
  void pages() { // WireMock forgets its stubs after each test
    page("/self-harm", "text/html; charset=utf-8", null, Corpus.bytes("en/self-harm-1.html"));
    page("/self-harm.gz", "text/html; charset=utf-8", "gzip", Corpus.gzip(Corpus.bytes("en/self-harm-1.html")));
    page("/self-harm.br", "text/html; charset=utf-8", "br", Corpus.brotli(Corpus.bytes("en/self-harm-1.html")));
    page("/support", "text/html; charset=utf-8", null, Corpus.bytes("en/benign-self-harm-support.html"));
    page("/pl", "text/html; charset=utf-8", null, Corpus.bytes("pl/self-harm.html"));
    page("/ur", "text/plain; charset=utf-8", null, Corpus.bytes("ur/self-harm.txt"));
    page("/broken.gz", "text/html", "gzip", "this is not gzip at all".getBytes(StandardCharsets.UTF_8));
    page("/picture", "image/png", null, Corpus.bytes("en/self-harm-1.html"));
  }

  private static void page(String path, String type, String encoding, byte[] body) {
    var response = aResponse().withStatus(200).withHeader("Content-Type", type).withBody(body);
    if (encoding != null) {
      response = response.withHeader("Content-Encoding", encoding);
    }
    wiremock.stubFor(get(urlEqualTo(path)).willReturn(response));
  }

  private static String url(String host, String path) {
    return "http://" + host + ":" + wiremock.getPort() + path;
  }

  @Test
  void aHarmfulPageIsReplacedByTheBlockPageForPupils() throws Exception {
    try (ProxyClient pupil = proxy.client(PUPIL)) {
      Response r = pupil.get(url("pages.test", "/self-harm"));

      assertThat(r.status()).isEqualTo(403);
      assertThat(r.header("x-schoolgate")).isEqualTo("blocked");
      assertThat(r.text()).contains("content:self-harm").doesNotContain("Nobody will miss me");
      assertThat(pupil.get(url("pages.test", "/support")).status()).isEqualTo(200); // the connection goes on
    }
    Map<String, Object> line = line("/self-harm", PUPIL);
    assertThat(line).containsEntry("action", "block").containsEntry("rule", "content:self-harm")
        .containsEntry("status", 403L);
    assertThat(content(line)).containsEntry("action", "block").containsEntry("theme", "self-harm");
    assertThat((List<?>) content(line).get("phrases")).isNotEmpty();
  }

  @Test
  void theSamePageIsOnlyLoggedForStaff() throws Exception {
    byte[] page = Corpus.bytes("en/self-harm-1.html");
    try (ProxyClient staff = proxy.client(STAFF)) {
      Response r = staff.get(url("pages.test", "/self-harm"));

      assertThat(r.status()).isEqualTo(200);
      assertThat(r.body()).isEqualTo(page);
    }
    Map<String, Object> line = line("/self-harm", STAFF);
    assertThat(line).containsEntry("action", "allow");
    assertThat(content(line)).containsEntry("action", "log").containsEntry("theme", "self-harm");
  }

  @Test
  void aBenignHealthPageIsAllowedWhole() throws Exception {
    try (ProxyClient pupil = proxy.client(PUPIL)) {
      Response r = pupil.get(url("pages.test", "/support"));

      assertThat(r.status()).isEqualTo(200);
      assertThat(r.body()).isEqualTo(Corpus.bytes("en/benign-self-harm-support.html"));
    }
    Map<String, Object> line = line("/support", PUPIL);
    assertThat(line).containsEntry("action", "allow").doesNotContainKey("content");
  }

  @Test
  void gzipAndBrotliPagesScoreTheSameAsThePlainPage() throws Exception {
    try (ProxyClient staff = proxy.client(STAFF); ProxyClient pupil = proxy.client(PUPIL)) {
      for (String path : List.of("/self-harm", "/self-harm.gz", "/self-harm.br")) {
        Response r = staff.get(url("pages.test", path));
        assertThat(r.status()).isEqualTo(200);
        assertThat(pupil.get(url("pages.test", path)).status()).as(path).isEqualTo(403);
      }
      // what the staff member got is the origin's coding, untouched
      assertThat(staff.get(url("pages.test", "/self-harm.br")).body())
          .isEqualTo(Corpus.brotli(Corpus.bytes("en/self-harm-1.html")));
    }
    Object plain = content(line("/self-harm", STAFF)).get("score");
    assertThat(plain).isNotNull();
    assertThat(content(line("/self-harm.gz", STAFF))).containsEntry("score", plain);
    assertThat(content(line("/self-harm.br", STAFF))).containsEntry("score", plain);
  }

  @ParameterizedTest(name = "{0} is matched")
  @CsvSource({"/pl", "/ur"})
  void polishAndUrduPagesAreMatched(String path) throws Exception {
    try (ProxyClient pupil = proxy.client(PUPIL)) {
      assertThat(pupil.get(url("pages.test", path)).status()).isEqualTo(403);
    }
    assertThat(content(line(path, PUPIL))).containsEntry("action", "block").containsEntry("theme", "self-harm");
  }

  @Test
  void theSchoolAllowListLiftsAContentBlockToAnAlert() throws Exception {
    try (ProxyClient pupil = proxy.client(PUPIL)) {
      Response r = pupil.get(url("allowed.test", "/self-harm"));

      assertThat(r.status()).isEqualTo(200);
      assertThat(r.body()).isEqualTo(Corpus.bytes("en/self-harm-1.html"));
    }
    Map<String, Object> line = line("/self-harm", PUPIL, "allowed.test");
    assertThat(content(line)).containsEntry("action", "alert").containsEntry("liftedBy", "school-allow-list");
  }

  @Test
  void anApprovedUnblockOfTheSiteLiftsAContentBlockToAnAlertThoughTheMatrixAllowedIt() throws Exception {
    // unblocked.test is allowed by the default anyway: the unblock was not needed to reach it,
    // but the teacher who asked for it vouched for the site, so its content is alerted, not blocked
    proxy.holder().setUnblocks(UnblockSet.compile(List.of(TestUnblocks.forGroup(41,
        new UnblockTarget.Domain("unblocked.test"), "pupils", "09:00", "17:00"))));
    try (ProxyClient pupil = proxy.client(PUPIL)) {
      Response r = pupil.get(url("unblocked.test", "/self-harm"));

      assertThat(r.status()).isEqualTo(200);
      assertThat(r.body()).isEqualTo(Corpus.bytes("en/self-harm-1.html"));
    } finally {
      proxy.holder().setUnblocks(UnblockSet.EMPTY);
    }
    Map<String, Object> line = line("/self-harm", PUPIL, "unblocked.test");
    assertThat(line).containsEntry("action", "allow").containsEntry("rule", "default");
    assertThat(content(line)).containsEntry("action", "alert").containsEntry("liftedBy", "unblock");
    try (ProxyClient pupil = proxy.client(PUPIL)) { // the unblock is over: blocked again
      assertThat(pupil.get(url("unblocked.test", "/self-harm")).status()).isEqualTo(403);
    }
  }

  @Test
  void aLongPageAnalysedOffTheLoopArrivesWholeThoughTheOriginClosesRightAfterIt() throws Exception {
    byte[] page = ("<html><body><p>" + Corpus.benign(400 * 1024) + "</p></body></html>").getBytes(StandardCharsets.UTF_8);
    wiremock.stubFor(get(urlEqualTo("/long-close")).willReturn(aResponse().withStatus(200)
        .withHeader("Content-Type", "text/html; charset=utf-8").withHeader("Connection", "close").withBody(page)));
    double moved = proxy.registry().get("schoolgate.content.responses").tag("outcome", "moved-off-loop").counter()
        .count();
    try (ProxyClient pupil = proxy.client(PUPIL); ProxyClient staff = proxy.client(STAFF)) {
      Response p = pupil.get(url("pages.test", "/long-close"));
      Response s = staff.get(url("pages.test", "/long-close"));

      assertThat(p.status()).isEqualTo(200);
      assertThat(p.body()).isEqualTo(page);
      assertThat(s.body()).isEqualTo(page);
    }
    assertThat(proxy.registry().get("schoolgate.content.responses").tag("outcome", "moved-off-loop").counter()
        .count()).isGreaterThanOrEqualTo(moved + 2);
  }

  @Test
  void aBodyThatCannotBeReadFailsClosedForPupilsAndOpenForStaff() throws Exception {
    try (ProxyClient pupil = proxy.client(PUPIL); ProxyClient staff = proxy.client(STAFF)) {
      assertThat(pupil.get(url("pages.test", "/broken.gz")).status()).isEqualTo(403);
      assertThat(staff.get(url("pages.test", "/broken.gz")).status()).isEqualTo(200);
    }
    assertThat(content(line("/broken.gz", PUPIL))).containsEntry("action", "block").containsEntry("failed", true);
    assertThat(content(line("/broken.gz", STAFF))).containsEntry("action", "log").containsEntry("failed", true);
    assertThat(proxy.registry().get("schoolgate.content.responses").tag("outcome", "failed-closed").counter()
        .count()).isPositive();
  }

  @Test
  void imagesAreNotAnalysed() throws Exception {
    try (ProxyClient pupil = proxy.client(PUPIL)) {
      assertThat(pupil.get(url("pages.test", "/picture")).status()).isEqualTo(200);
    }
    assertThat(line("/picture", PUPIL)).doesNotContainKey("content");
  }

  @Test
  void aHarmfulPartAfterTheLookAheadEndsTheResponseCleanlyAndIsLogged() throws Exception {
    try (ProxyClient pupil = proxy.client(PUPIL)) {
      Response r = pupil.get("http://stream.test:" + streaming.port() + "/late");

      assertThat(r.status()).isEqualTo(200);
      assertThat(r.header("transfer-encoding")).isEqualTo("chunked"); // ended by its last chunk: read whole
      assertThat(r.text()).startsWith("<html><body><p>The under twelve").doesNotContain("END-OF-PAGE");
      assertThat(r.body().length).isGreaterThan((int) LOOK_AHEAD);
      // cut right where the harmful part starts: everything before it, nothing of it or after
      assertThat(r.body().length).isEqualTo(LATE.subList(0, 26).stream().mapToInt(p -> p.length).sum());
      // the connection is still usable: the cut was a clean end, not a broken one
      assertThat(pupil.get(url("pages.test", "/support")).status()).isEqualTo(200);
    }
    Map<String, Object> line = line("/late", PUPIL);
    assertThat(line).containsEntry("action", "block").containsEntry("rule", "content:self-harm");
    assertThat(content(line)).containsEntry("action", "block").containsEntry("cut", true);
    assertThat(streaming.written("/late")).isLessThan(LATE_PIECES); // the origin was not read to the end
    // past the first 64 KiB the page was analysed on the analysis executor, and still cut right there
    assertThat(proxy.registry().get("schoolgate.content.responses").tag("outcome", "moved-off-loop").counter()
        .count()).isPositive();
  }

  @Test
  void aFiftyMegabyteResponseStreamsWithNoMoreHeldThanTheLookAhead() throws Exception {
    HeldBytes held = proxy.server().contentHeldBytes();
    long total;
    try (ProxyClient pupil = proxy.client(PUPIL)) {
      pupil.out().write(("GET http://stream.test:" + streaming.port() + "/huge HTTP/1.1\r\nHost: stream.test\r\n\r\n")
          .getBytes(StandardCharsets.ISO_8859_1));
      pupil.out().flush();
      total = ChunkedCount.read(pupil.in());
    }
    assertThat(total).isEqualTo(HUGE);
    assertThat(held.mostPerResponse()).isPositive().isLessThanOrEqualTo(LOOK_AHEAD);
    Eventually.within(Duration.ofSeconds(10), () -> assertThat(held.now()).isZero());
    assertThat(line("/huge", PUPIL)).containsEntry("action", "allow").doesNotContainKey("content");
  }

  /** 100 KiB of sport, then a self-harm page's text, then many more pieces and an end marker. */
  private static List<byte[]> late() {
    List<byte[]> pieces = new ArrayList<>();
    byte[] benign = Corpus.benign(4 * 1024).getBytes(StandardCharsets.UTF_8);
    pieces.add("<html><body><p>".getBytes(StandardCharsets.UTF_8));
    for (int i = 0; i < 25; i++) {
      pieces.add(benign);
    }
    String harmful = Corpus.text("en/self-harm-1.html").replaceAll("(?s)^.*<body>", "").replace("</body></html>", "");
    pieces.add(harmful.getBytes(StandardCharsets.UTF_8));
    while (pieces.size() < LATE_PIECES - 1) {
      pieces.add(benign); // the same bytes each time: the origin wraps them, never changes them
    }
    pieces.add("<p>END-OF-PAGE</p></body></html>".getBytes(StandardCharsets.UTF_8));
    return List.copyOf(pieces);
  }

  /** 50 MiB of benign HTML text in 64 KiB pieces, made as it is sent. */
  private static Iterator<byte[]> huge() {
    byte[] piece = Corpus.benign(PIECE).substring(0, PIECE).getBytes(StandardCharsets.UTF_8);
    return new Iterator<>() {
      private int sent;

      @Override
      public boolean hasNext() {
        return sent < HUGE / PIECE;
      }

      @Override
      public byte[] next() {
        sent++;
        return piece;
      }
    };
  }

  private static Map<String, Object> line(String path, String client) throws Exception {
    return line(path, client, null);
  }

  /** The first access line of {@code client} for {@code path} (on {@code host}, when not null), once written. */
  private static Map<String, Object> line(String path, String client, String host) throws Exception {
    List<Map<String, Object>> found = new ArrayList<>();
    Eventually.within(Duration.ofSeconds(10), () -> {
      found.clear();
      proxy.accessLog().stream().filter(l -> path.equals(l.get("path")) && client.equals(l.get("client"))
          && (host == null ? !"allowed.test".equals(l.get("host")) && !"unblocked.test".equals(l.get("host"))
              : host.equals(l.get("host"))))
          .findFirst().ifPresent(found::add);
      assertThat(found).as("access line of %s for %s", client, path).hasSize(1);
    });
    return found.get(0);
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> content(Map<String, Object> line) {
    assertThat(line).containsKey("content");
    return (Map<String, Object>) line.get("content");
  }
}
