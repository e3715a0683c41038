package org.schoolgate.proxy;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.schoolgate.proxy.testing.TestPolicy.PUPIL;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.schoolgate.proxy.metrics.ProxyMetrics;
import org.schoolgate.proxy.testing.ProxyClient;
import org.schoolgate.proxy.testing.ProxyClient.Response;
import org.schoolgate.proxy.testing.ProxyExtension;
import org.slf4j.LoggerFactory;

/**
 * Spellings of a listed site that must not slip past a block, through the real proxy: each is
 * read the way a browser reads it (WHATWG URL) before the policy sees it.
 */
class UrlNormalisationEndToEndTest {
  private static final String POLICY = """
      timezone: Europe/London
      clients:
        allow: [127.0.0.0/29]
        unknown-group: pupils
      groups:
        pupils: { subnets: [127.0.0.2/32], description: "Pupils" }
      categories:
        adult:
          domains: [bad.com, xn--bcher-kva.example, 127.0.0.5, xn--pypal-4ve.com]
          description: "Adult"
        games: { urls: [school.test/games/], description: "Games" }
      matrix:
        adult: { default: unacceptable }
        games: { default: unacceptable }
      default: acceptable
      """;

  @RegisterExtension
  static WireMockExtension origin = WireMockExtension.newInstance()
      .options(wireMockConfig().dynamicPort().bindAddress("127.0.0.1")).build();

  @RegisterExtension
  static ProxyExtension proxy = ProxyExtension.withPolicy(POLICY)
      .staticHost("school.test", "127.0.0.1");

  private final Captured decisions = new Captured();
  private final Logger deciderLog =
      (Logger) LoggerFactory.getLogger("org.schoolgate.proxy.filter.RequestDecider");

  @BeforeEach
  void stubOriginAndCaptureTheDecidersLog() {
    origin.stubFor(get(urlPathMatching("/.*"))
        .willReturn(aResponse().withStatus(200).withBody("hello from the origin")));
    decisions.start();
    deciderLog.addAppender(decisions);
  }

  @AfterEach
  void stopCapturing() {
    deciderLog.detachAppender(decisions);
  }

  @ParameterizedTest(name = "{0} is blocked as {1}")
  @CsvSource(delimiter = '|', textBlock = """
      http://good.test@bad.com/                | bad.com
      http://good.test:pw@BAD.COM.:8080/x      | bad.com
      http://%62ad.com/                        | bad.com
      http://%42%41%44.com/                    | bad.com
      http:\\\\bad.com\\games                  | bad.com
      http://2130706437/                       | 127.0.0.5
      http://0x7f.0.0.05/                      | 127.0.0.5
      http://0177.0.0.5/                       | 127.0.0.5
      http://127.5/                            | 127.0.0.5
      http://[::ffff:127.0.0.5]/               | 127.0.0.5
      http://xn--bcher-kva.example/            | xn--bcher-kva.example
      http://b%C3%BCcher.example/              | xn--bcher-kva.example
      http://BÜCHER.example/                   | xn--bcher-kva.example
      http://bücher。example/                  | xn--bcher-kva.example
      """)
  void everySpellingOfAListedSiteIsBlockedAsTheSiteItNames(String url, String host)
      throws Exception {
    try (ProxyClient pupil = proxy.client(PUPIL)) {
      Response r = pupil.send(latin1("GET " + url + " HTTP/1.1\r\nHost: school.test\r\n\r\n"),
          false);

      assertThat(r.status()).isEqualTo(403);
      assertThat(r.text()).contains(host, "adult");
    }
    assertThat(origin.getAllServeEvents()).isEmpty();
  }

  @ParameterizedTest(name = "CONNECT {0} is blocked as {1}")
  @CsvSource(delimiter = '|', textBlock = """
      BAD.com.:443                  | bad.com
      %62ad.com:443                 | bad.com
      2130706437:443                | 127.0.0.5
      [::ffff:7f00:5]:443           | 127.0.0.5
      bücher.example:443            | xn--bcher-kva.example
      """)
  void connectTargetsAreReadTheSameWay(String target, String host) throws Exception {
    try (ProxyClient pupil = proxy.client(PUPIL)) {
      Response r = pupil.send(latin1("CONNECT " + target + " HTTP/1.1\r\nHost: " + target
          + "\r\n\r\n"), true);

      assertThat(r.status()).isEqualTo(403);
      assertThat(r.text()).contains(host);
    }
  }

  @ParameterizedTest(name = "{0} gets the 400 page")
  @CsvSource(delimiter = '|', textBlock = """
      GET http://bad%zz.com/ HTTP/1.1
      GET http://%C0%AEbad.com/ HTTP/1.1
      GET http://4294967296/ HTTP/1.1
      GET http://[1::2::3]/ HTTP/1.1
      GET http:///bad.com/ HTTP/1.1
      CONNECT [2001:db8::1] HTTP/1.1
      CONNECT bad.com HTTP/1.1
      """)
  void unreadableTargetsGetThe400PageAndNeverReachTheOrigin(String requestLine)
      throws Exception {
    try (ProxyClient pupil = proxy.client(PUPIL)) {
      Response r = pupil.send(requestLine + "\r\nHost: school.test\r\n\r\n", false);

      assertThat(r.status()).isEqualTo(400);
      assertThat(r.text()).contains("Bad request");
    }
    assertThat(origin.getAllServeEvents()).isEmpty();
  }

  @Test
  void anUnreadableTargetIsLoggedWithWhatWasWrong() throws Exception {
    try (ProxyClient pupil = proxy.client(PUPIL)) {
      Response r = pupil.send("GET http://%zzlogged.test/ HTTP/1.1\r\nHost: school.test\r\n\r\n",
          false);

      assertThat(r.status()).isEqualTo(400);
    }
    assertThat(proxy.accessLog()).anySatisfy(line -> assertThat(line)
        .containsEntry("action", "reject").containsEntry("rule", "bad-request")
        .containsEntry("reason", "host '%zzlogged.test' has a '%' that is not followed by two hex"
            + " digits (expected: %XX escapes only)"));
  }

  @Test
  void requestTargetWinsOverAConflictingHostHeaderWhichIsCounted() throws Exception {
    double before = conflicts();
    try (ProxyClient pupil = proxy.client(PUPIL)) {
      Response r = pupil.send("GET http://school.test:" + origin.getPort() + "/page HTTP/1.1\r\n"
          + "Host: bad.com\r\n\r\n", false);

      assertThat(r.status()).isEqualTo(200);
      assertThat(r.text()).isEqualTo("hello from the origin");
    }
    origin.verify(getRequestedFor(urlPathEqualTo("/page"))
        .withHeader("Host", equalTo("school.test:" + origin.getPort())));
    assertThat(conflicts() - before).isEqualTo(1.0);
    assertThat(decisions.lines).containsExactly("INFO request-target host school.test differs"
        + " from Host header host bad.com; the request-target is used");
  }

  @Test
  void aMixedScriptLookAlikeIsLoggedAsSuch() throws Exception {
    try (ProxyClient pupil = proxy.client(PUPIL)) {
      Response r = pupil.send(latin1("GET http://p\u0430ypal.com/ HTTP/1.1\r\n"
          + "Host: p\u0430ypal.com\r\n\r\n"), false);

      assertThat(r.status()).isEqualTo(403);
    }
    assertThat(decisions.lines).containsExactly("INFO host xn--pypal-4ve.com is a possible look-alike"
        + " (mixed or confusable script)");
  }

  @Test
  void aUrlJustUnderTheRequestLineLimitIsDecidedNormally() throws Exception {
    String url = "http://bad.com/" + "a".repeat(8000);
    try (ProxyClient pupil = proxy.client(PUPIL)) {
      Response r = pupil.send("GET " + url + " HTTP/1.1\r\nHost: bad.com\r\n\r\n", false);

      assertThat(r.status()).isEqualTo(403);
    }
  }

  @Test
  void anAbsentHostHeaderLeavesTheRequestTargetToDecide() throws Exception {
    double before = conflicts();
    try (ProxyClient pupil = proxy.client(PUPIL)) {
      Response r = pupil.send("GET http://good.test@bad.com/ HTTP/1.0\r\n\r\n", false);

      assertThat(r.status()).isEqualTo(403);
      assertThat(r.text()).contains("bad.com");
    }
    assertThat(conflicts() - before).isZero();
  }

  @Test
  void aHostHeaderThatAgreesWithTheTargetIsNoConflict() throws Exception {
    double before = conflicts();
    try (ProxyClient pupil = proxy.client(PUPIL)) {
      Response r = pupil.send("GET http://school.test:" + origin.getPort() + "/page HTTP/1.1\r\n"
          + "Host: SCHOOL.test.:" + origin.getPort() + "\r\n\r\n", false);

      assertThat(r.status()).isEqualTo(200);
    }
    assertThat(conflicts() - before).isZero();
  }

  @ParameterizedTest(name = "{0} matches the urls entry school.test/games/")
  @CsvSource(delimiter = '|', textBlock = """
      /games/x
      /gam%65s/x
      /GAMES/../games/x
      /a/%2e%2E/games/x
      //games//x
      //games/x
      /./games/
      \\games\\x
      """)
  void everySpellingOfAListedPathIsBlocked(String path) throws Exception {
    try (ProxyClient pupil = proxy.client(PUPIL)) {
      Response r = pupil.send("GET http://school.test:" + origin.getPort() + path
          + " HTTP/1.1\r\nHost: school.test\r\n\r\n", false);

      assertThat(r.status()).isEqualTo(403);
      assertThat(r.text()).contains("games");
    }
    assertThat(origin.getAllServeEvents()).isEmpty();
  }

  @Test
  void anUnlistedPathOfTheSameSiteIsAllowed() throws Exception {
    try (ProxyClient pupil = proxy.client(PUPIL)) {
      Response r = pupil.send("GET http://school.test:" + origin.getPort()
          + "/gamesx/../homework/ HTTP/1.1\r\nHost: school.test\r\n\r\n", false);

      assertThat(r.status()).isEqualTo(200);
    }
  }

  @Test
  void overLongHostHeaderGetsAnErrorPageNotAnException() throws Exception {
    try (ProxyClient pupil = proxy.client(PUPIL)) {
      Response r = pupil.send("GET http://school.test/ HTTP/1.1\r\nHost: "
          + "a".repeat(64 * 1024) + ".test\r\n\r\n", false);

      assertThat(r.status()).isEqualTo(431);
      assertThat(pupil.closedByPeer()).isTrue();
    }
    assertThat(origin.getAllServeEvents()).isEmpty();
  }

  /** Collects log lines from the proxy's event loop threads. */
  private static final class Captured extends AppenderBase<ILoggingEvent> {
    final List<String> lines = new CopyOnWriteArrayList<>();

    @Override
    protected void append(ILoggingEvent event) {
      lines.add(event.getLevel() + " " + event.getFormattedMessage());
    }
  }

  private static double conflicts() {
    return proxy.registry().counter(ProxyMetrics.HOST_CONFLICT).count();
  }

  /** The UTF-8 bytes of {@code s} as ISO-8859-1 characters, which the client sends byte for byte. */
  private static String latin1(String s) {
    return new String(s.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
  }
}
