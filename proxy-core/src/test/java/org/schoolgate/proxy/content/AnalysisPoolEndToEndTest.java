package org.schoolgate.proxy.content;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import io.netty.util.ResourceLeakDetectorFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.schoolgate.policy.testing.Eventually;
import org.schoolgate.proxy.testing.ProxyClient;
import org.schoolgate.proxy.testing.ProxyExtension;
import org.schoolgate.proxy.testing.StreamingOrigin;

/**
 * Through the real proxy, with Netty's leak detector at {@code paranoid} (every buffer tracked):
 * rounds of responses that end every way a response can — analysed whole, blocked at the
 * look-ahead, cut after it (analysed off the loop), unreadable (corrupt gzip), the client gone
 * half-way — give every pooled window and scan back ({@link AnalysisPool#outstanding()} returns
 * to 0), make nothing new once each loop's pool is warm, and leak no buffer.
 */
class AnalysisPoolEndToEndTest {
  private static final String PUPIL = "127.0.0.2";
  private static final List<String> LEAKS = new CopyOnWriteArrayList<>();

  static {
    ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
    ResourceLeakDetectorFactory.setResourceLeakDetectorFactory(new ResourceLeakDetectorFactory() {
      @Override
      public <T> ResourceLeakDetector<T> newResourceLeakDetector(Class<T> resource, int samplingInterval,
          long maxActive) {
        return new ResourceLeakDetector<>(resource, samplingInterval) {
          @Override
          protected void reportTracedLeak(String type, String records) {
            LEAKS.add(type + records);
          }

          @Override
          protected void reportUntracedLeak(String type) {
            LEAKS.add(type);
          }
        };
      }
    });
  }

  private static final byte[] HARMFUL = Corpus.bytes("en/self-harm-1.html");
  private static final byte[] SUPPORT = Corpus.bytes("en/benign-self-harm-support.html");
  private static final byte[] LONG = ("<html><body><p>" + Corpus.benign(200 * 1024) + "</p></body></html>")
      .getBytes(StandardCharsets.UTF_8);
  private static final List<byte[]> LATE = late();

  @RegisterExtension
  @Order(1)
  static StreamingOrigin origin = new StreamingOrigin()
      .route("/harmful", StreamingOrigin.Route.bytes("text/html; charset=utf-8", null, HARMFUL))
      .route("/support", StreamingOrigin.Route.bytes("text/html", null, SUPPORT))
      .route("/long", StreamingOrigin.Route.bytes("text/html; charset=utf-8", null, LONG))
      .route("/broken", StreamingOrigin.Route.bytes("text/html", "gzip", "not gzip".getBytes(StandardCharsets.UTF_8)))
      .route("/late", new StreamingOrigin.Route("text/html; charset=utf-8", null, LATE::iterator));

  @RegisterExtension
  @Order(2)
  static ProxyExtension proxy = ProxyExtension.withPolicy("""
          timezone: Europe/London
          clients:
            allow: [127.0.0.0/29]
          groups:
            pupils: { subnets: [127.0.0.2/32] }
          default: acceptable
          content:
            look-ahead: 64KiB
            groups:
              pupils: { default: alert, self-harm: block, pornography: block }
          """)
      .staticHost("pages.test", "127.0.0.1");

  private static String url(String path) {
    return "http://pages.test:" + origin.port() + path;
  }

  @BeforeAll
  static void noAnalysisIsOpenBeforeThisClass() {
    // the count is the JVM's: an earlier test class that left an analysis open would fail every
    // check below (AnalysisLaneTest once did, in the runs that ordered it first)
    assertThat(AnalysisPool.outstanding()).as("analyses left open by a test class run earlier in this JVM")
        .isZero();
  }

  @Test
  void everyEndingGivesThePooledStateBackAndLeaksNoBuffer() throws Exception {
    round(); // warms each loop's pool
    long created = AnalysisPool.created();

    for (int i = 0; i < 5; i++) {
      round();
    }

    Eventually.within(Duration.ofSeconds(20), () -> assertThat(AnalysisPool.outstanding()).isZero());
    assertThat(AnalysisPool.created()).as("warm pools made nothing new").isEqualTo(created);
    System.gc(); // a leaked buffer is reported when it has been collected and another is tracked
    for (int i = 0; i < 100; i++) {
      ByteBuf b = PooledByteBufAllocator.DEFAULT.directBuffer(16);
      b.release();
    }
    assertThat(LEAKS).isEmpty();
  }

  /** One of each ending, each on a new connection (so that both loops serve every kind). */
  private static void round() throws Exception {
    for (int loop = 0; loop < 2; loop++) {
      try (ProxyClient c = proxy.client(PUPIL)) {
        assertThat(c.get(url("/support")).status()).isEqualTo(200);
        assertThat(c.get(url("/long")).body()).isEqualTo(LONG);
      }
      allBack("analysed whole");
      try (ProxyClient c = proxy.client(PUPIL)) {
        assertThat(c.get(url("/harmful")).status()).isEqualTo(403);
      }
      allBack("the block page");
      try (ProxyClient c = proxy.client(PUPIL)) {
        assertThat(c.get(url("/late")).status()).isEqualTo(200); // cut after the look-ahead
      }
      allBack("cut");
      try (ProxyClient c = proxy.client(PUPIL)) {
        assertThat(c.get(url("/broken")).status()).isEqualTo(403); // fails closed
      }
      allBack("unreadable");
      try (ProxyClient c = proxy.client(PUPIL)) { // gone after the head
        c.out().write(("GET " + url("/long") + " HTTP/1.1\r\nHost: pages.test\r\n\r\n")
            .getBytes(StandardCharsets.ISO_8859_1));
        c.out().flush();
        assertThat(c.readLine()).startsWith("HTTP/1.1 200");
      }
      allBack("client gone");
    }
  }

  private static void allBack(String after) throws Exception {
    Eventually.within(Duration.ofSeconds(20),
        () -> assertThat(AnalysisPool.outstanding()).as("taken and not given back after: " + after)
            .isZero());
  }

  /** 100 KiB of benign text, then a self-harm page's text, then more: cut after the look-ahead. */
  private static List<byte[]> late() {
    List<byte[]> pieces = new ArrayList<>();
    byte[] benign = Corpus.benign(4 * 1024).getBytes(StandardCharsets.UTF_8);
    pieces.add("<html><body><p>".getBytes(StandardCharsets.UTF_8));
    for (int i = 0; i < 25; i++) {
      pieces.add(benign);
    }
    String harmful = Corpus.text("en/self-harm-1.html").replaceAll("(?s)^.*<body>", "").replace("</body></html>", "");
    pieces.add(harmful.getBytes(StandardCharsets.UTF_8));
    for (int i = 0; i < 50; i++) {
      pieces.add(benign);
    }
    pieces.add("</p></body></html>".getBytes(StandardCharsets.UTF_8));
    return List.copyOf(pieces);
  }
}
