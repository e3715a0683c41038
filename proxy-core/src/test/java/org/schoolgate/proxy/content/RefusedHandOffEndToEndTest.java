package org.schoolgate.proxy.content;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
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
  private static final String PUPIL = OneAnalysisThread.PUPIL;
  private static final String STAFF = OneAnalysisThread.STAFF;
  private static final List<String> PIECES = pieces();

  @RegisterExtension
  @Order(1)
  static StreamingOrigin origin = new StreamingOrigin()
      .route("/page", StreamingOrigin.Route.of("text/html; charset=utf-8", PIECES.toArray(String[]::new)))
      .route("/stream", StreamingOrigin.Route.of("text/event-stream", PIECES.toArray(String[]::new)));

  @RegisterExtension
  @Order(2)
  static ProxyExtension proxy = OneAnalysisThread.proxy(AnalysisSettings.MIN_QUEUE);

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
    assertThat(content("/page", PUPIL)).containsEntry("action", "block").containsEntry("failed", true);
    assertThat(content("/page", STAFF)).containsEntry("action", "log").containsEntry("failed", true);
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
    assertThat(content("/stream", PUPIL)).containsEntry("action", "block").containsEntry("cut", true);
    assertThat(content("/stream", STAFF)).containsEntry("action", "log").containsEntry("failed", true);
  }

  private static String url(String path) {
    return OneAnalysisThread.url(origin, path);
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

  private static Map<String, Object> content(String path, String client) throws Exception {
    return OneAnalysisThread.content(proxy, path, client);
  }
}
