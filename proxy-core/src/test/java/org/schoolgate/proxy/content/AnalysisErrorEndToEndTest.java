package org.schoolgate.proxy.content;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.schoolgate.policy.testing.Eventually;
import org.schoolgate.proxy.testing.ProxyClient;
import org.schoolgate.proxy.testing.ProxyClient.Response;
import org.schoolgate.proxy.testing.ProxyExtension;
import org.schoolgate.proxy.testing.StreamingOrigin;

/**
 * An analysis that throws an {@link Error} on the analysis thread, through the real proxy with one
 * analysis thread (so every response's analysis moves to the same Netty executor after its first
 * piece): a test-only seam ({@link BodyAnalysis#faultForTests}) throws a {@code StackOverflowError}
 * for the piece of one page that carries a mark. That response fails as a failed analysis does —
 * the block page for pupils (block rules), the page whole for staff (only logged) — counted
 * ({@code analysis-error}) and logged once each with the exception; the executor keeps serving:
 * the next pages are analysed there normally (a harmful one is still blocked) and no hand-off is
 * refused.
 */
class AnalysisErrorEndToEndTest {
  private static final String PUPIL = OneAnalysisThread.PUPIL;
  private static final String STAFF = OneAnalysisThread.STAFF;
  private static final String MARK = "FAULT-MARK-7f3a";
  private static final List<String> FAULTY = pieces("<p>" + MARK + "</p>");
  private static final List<String> BENIGN = pieces("<p>the choir sings on thursday</p>");
  private static final List<String> HARMFUL = pieces(
      Corpus.text("en/self-harm-1.html").replaceAll("(?s)^.*<body>", "").replace("</body></html>", ""));
  private static final ListAppender<ILoggingEvent> LINES = new ListAppender<>();

  static {
    BodyAnalysis.faultForTests = piece -> {
      if (piece.toString(StandardCharsets.UTF_8).contains(MARK)) {
        throw new StackOverflowError("test: a page the analysis cannot survive");
      }
    };
    LINES.start();
    ((Logger) org.slf4j.LoggerFactory.getLogger("org.schoolgate.proxy.http.ContentGate")).addAppender(LINES);
  }

  @RegisterExtension
  @Order(1)
  static StreamingOrigin origin = new StreamingOrigin()
      .route("/faulty", StreamingOrigin.Route.of("text/html; charset=utf-8", FAULTY.toArray(String[]::new)))
      .route("/benign", StreamingOrigin.Route.of("text/html; charset=utf-8", BENIGN.toArray(String[]::new)))
      .route("/harmful", StreamingOrigin.Route.of("text/html; charset=utf-8", HARMFUL.toArray(String[]::new)));

  @RegisterExtension
  @Order(2)
  static ProxyExtension proxy = OneAnalysisThread.proxy(4096);

  @AfterAll
  static void removeTheSeam() {
    BodyAnalysis.faultForTests = null;
    ((Logger) org.slf4j.LoggerFactory.getLogger("org.schoolgate.proxy.http.ContentGate")).detachAppender(LINES);
  }

  @Test
  void anErrorFailsThatResponseByItsGroupsRuleAndTheExecutorGoesOnAnalysing() throws Exception {
    long moved = proxy.server().contentExecutor().moved();
    try (ProxyClient pupil = proxy.client(PUPIL); ProxyClient staff = proxy.client(STAFF)) {
      Response p = pupil.get(url("/faulty"));
      Response s = staff.get(url("/faulty"));

      assertThat(p.status()).isEqualTo(403);
      assertThat(p.text()).contains("content:analysis-failed").doesNotContain("END-OF-PAGE");
      assertThat(s.status()).isEqualTo(200);
      assertThat(s.text()).isEqualTo(String.join("", FAULTY));
    }
    for (int i = 0; i < 3; i++) { // the same (only) analysis thread, after the error
      try (ProxyClient pupil = proxy.client(PUPIL)) {
        Response ok = pupil.get(url("/benign"));
        assertThat(ok.status()).isEqualTo(200);
        assertThat(ok.text()).isEqualTo(String.join("", BENIGN));
        assertThat(pupil.get(url("/harmful")).status()).as("still analysed: blocked").isEqualTo(403);
      }
    }

    assertThat(proxy.server().contentExecutor().moved()).as("every response went to the executor")
        .isEqualTo(moved + 2 + 6);
    assertThat(proxy.server().contentExecutor().rejected()).as("no hand-off refused: the thread lives").isZero();
    assertThat(content("/faulty", PUPIL)).containsEntry("action", "block").containsEntry("failed", true);
    assertThat(content("/faulty", STAFF)).containsEntry("action", "log").containsEntry("failed", true);
    assertThat(content("/harmful", PUPIL)).containsEntry("action", "block").doesNotContainEntry("failed", true);
    assertThat(proxy.registry().get("schoolgate.content.responses").tag("outcome", "analysis-error").counter()
        .count()).isEqualTo(2.0);
    List<ILoggingEvent> errors = LINES.list.stream().filter(e -> e.getThrowableProxy() != null).toList();
    assertThat(errors).as("logged once per response, with the exception").hasSize(2)
        .allSatisfy(e -> assertThat(e.getThrowableProxy().getClassName()).isEqualTo("java.lang.StackOverflowError"));
    Eventually.within(Duration.ofSeconds(20), () -> assertThat(AnalysisPool.outstanding()).isZero());
  }

  private static String url(String path) {
    return OneAnalysisThread.url(origin, path);
  }

  /** An opening, five benign pieces of 2 KiB, {@code middle}, five more and an end marker (under 64 KiB). */
  private static List<String> pieces(String middle) {
    List<String> pieces = new ArrayList<>();
    pieces.add("<html><body><p>");
    String benign = Corpus.benign(2048);
    for (int i = 0; i < 5; i++) {
      pieces.add(benign);
    }
    pieces.add(middle);
    for (int i = 0; i < 5; i++) {
      pieces.add(benign);
    }
    pieces.add("<p>END-OF-PAGE</p></body></html>");
    return List.copyOf(pieces);
  }

  private static Map<String, Object> content(String path, String client) throws Exception {
    return OneAnalysisThread.content(proxy, path, client);
  }
}
