package org.schoolgate.proxy.content;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.schoolgate.policy.testing.Eventually;
import org.schoolgate.proxy.testing.ProxyClient;
import org.schoolgate.proxy.testing.ProxyClient.Response;
import org.schoolgate.proxy.testing.ProxyExtension;
import org.schoolgate.proxy.testing.StreamingOrigin;

/**
 * A hand-off the full analysis queue refuses, through the real proxy configured as a school could
 * ({@code proxy.content-analysis}: one thread, the smallest queue, moving after the first byte):
 * the one analysis thread is held busy and its queue filled, so the second piece of every
 * response cannot be handed off. Pupils, who have block rules, get the block page (fail closed);
 * staff, who are only logged, get the page whole (fail open); both counted and logged.
 */
class RefusedHandOffEndToEndTest {
  private static final String PUPIL = "127.0.0.2";
  private static final String STAFF = "127.0.0.3";
  private static final List<String> PIECES = pieces();

  @RegisterExtension
  @Order(1)
  static StreamingOrigin origin = new StreamingOrigin()
      .route("/page", StreamingOrigin.Route.of("text/html; charset=utf-8", PIECES.toArray(String[]::new)))
      .route("/stream", StreamingOrigin.Route.of("text/event-stream", PIECES.toArray(String[]::new)));

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
          content:
            look-ahead: 64KiB
            groups:
              pupils: { default: alert, self-harm: block }
              staff: log
          """)
      .staticHost("pages.test", "127.0.0.1")
      .contentAnalysis(new AnalysisSettings(1, AnalysisSettings.MIN_QUEUE, 1, 256, 8));

  private final CountDownLatch release = new CountDownLatch(1);

  @BeforeEach
  void occupyTheAnalysisThreadAndFillItsQueue() throws Exception {
    Executor thread = proxy.server().contentExecutor().executor(); // the only one
    CountDownLatch busy = new CountDownLatch(1);
    thread.execute(() -> holdUntilReleased(busy, release));
    assertThat(busy.await(10, TimeUnit.SECONDS)).isTrue();
    int queued = 0;
    try {
      while (queued <= AnalysisSettings.MIN_QUEUE) {
        thread.execute(() -> { });
        queued++;
      }
    } catch (RejectedExecutionException full) {
      // the queue is full and stays so until released
    }
    assertThat(queued).isEqualTo(AnalysisSettings.MIN_QUEUE);
  }

  /** Blocks the analysis thread on purpose (BlockHound lets this method, and only this, wait there). */
  static void holdUntilReleased(CountDownLatch busy, CountDownLatch release) {
    busy.countDown();
    try {
      release.await(60, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @AfterEach
  void releaseTheThread() {
    release.countDown();
  }

  @Test
  void aRefusedHandOffFailsClosedForAGroupWithBlockRulesAndOpenForOneThatIsOnlyLogged() throws Exception {
    long rejected = proxy.server().contentExecutor().rejected();
    try (ProxyClient pupil = proxy.client(PUPIL); ProxyClient staff = proxy.client(STAFF)) {
      Response p = pupil.get(url("/page"));
      Response s = staff.get(url("/page"));

      assertThat(p.status()).isEqualTo(403);
      assertThat(p.text()).contains("content:analysis-failed").doesNotContain("END-OF-PAGE");
      assertThat(s.status()).isEqualTo(200);
      assertThat(s.text()).isEqualTo(String.join("", PIECES));
    }
    assertThat(proxy.server().contentExecutor().rejected()).isEqualTo(rejected + 2);
    assertThat(proxy.registry().get("schoolgate.content.executor.rejected").functionCounter().count())
        .isEqualTo(rejected + 2.0);
    assertThat(content(line("/page", PUPIL))).containsEntry("action", "block").containsEntry("failed", true);
    assertThat(content(line("/page", STAFF))).containsEntry("action", "log").containsEntry("failed", true);
  }

  @Test
  void aRefusedHandOffCutsAPupilsEventStreamCleanlyAndLetsStaffsRunOn() throws Exception {
    try (ProxyClient pupil = proxy.client(PUPIL); ProxyClient staff = proxy.client(STAFF)) {
      Response p = pupil.get(url("/stream"));
      Response s = staff.get(url("/stream"));

      assertThat(p.status()).isEqualTo(200); // a stream is not held: it went out as it came
      assertThat(p.header("transfer-encoding")).isEqualTo("chunked"); // read whole to its last chunk
      assertThat(p.text()).startsWith(PIECES.get(0)).doesNotContain("END-OF-PAGE");
      assertThat(s.text()).isEqualTo(String.join("", PIECES));
    }
    assertThat(content(line("/stream", PUPIL))).containsEntry("action", "block").containsEntry("cut", true);
    assertThat(content(line("/stream", STAFF))).containsEntry("action", "log").containsEntry("failed", true);
  }

  private static String url(String path) {
    return "http://pages.test:" + origin.port() + path;
  }

  /** Ten benign pieces of 2 KiB and an end marker: the second is the one refused. */
  private static List<String> pieces() {
    List<String> pieces = new ArrayList<>();
    pieces.add("<html><body><p>");
    String benign = Corpus.benign(2048);
    for (int i = 0; i < 10; i++) {
      pieces.add(benign);
    }
    pieces.add("<p>END-OF-PAGE</p></body></html>");
    assertThat(String.join("", pieces).getBytes(StandardCharsets.UTF_8).length).isLessThan(64 * 1024);
    return List.copyOf(pieces);
  }

  private static Map<String, Object> line(String path, String client) throws Exception {
    List<Map<String, Object>> found = new ArrayList<>();
    Eventually.within(Duration.ofSeconds(10), () -> {
      found.clear();
      proxy.accessLog().stream().filter(l -> path.equals(l.get("path")) && client.equals(l.get("client")))
          .findFirst().ifPresent(found::add);
      assertThat(found).as("access line of %s for %s", client, path).hasSize(1);
    });
    return found.get(0);
  }

  private static Map<String, Object> content(Map<String, Object> line) {
    return ContentAnalysisEndToEndTest.content(line);
  }
}
