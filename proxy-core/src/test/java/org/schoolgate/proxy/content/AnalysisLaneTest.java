package org.schoolgate.proxy.content;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpContent;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.schoolgate.policy.GroupId;
import org.schoolgate.policy.content.ContentAction;
import org.schoolgate.policy.content.ContentRules;
import org.schoolgate.policy.content.ContentTheme;
import org.schoolgate.policy.content.StarterPhrases;
import org.schoolgate.policy.content.TextFormat;

/**
 * A response's analysis off the loop ({@link AnalysisLane}), stepped by hand: the "analysis
 * thread" is this test running the executor's tasks one at a time, the loop an
 * {@link EmbeddedChannel}'s (the origin's, whose auto-read flag shows the back-pressure). No
 * timing: every step is explicit.
 */
class AnalysisLaneTest {
  private static final ContentRules RULES = new ContentRules(new GroupId("pupils"), StarterPhrases.compiled(),
      Map.of(ContentTheme.SELF_HARM, ContentAction.BLOCK), Map.of(), 5, Long.MAX_VALUE);
  private static final String HARMFUL = Corpus.text("en/self-harm-1.html").replaceAll("(?s)^.*<body>", "")
      .replace("</body></html>", "");

  private final ArrayDeque<Runnable> tasks = new ArrayDeque<>();
  private final EmbeddedChannel origin = new EmbeddedChannel();
  private final List<String> seen = new ArrayList<>();
  private final List<HttpContent> refused = new ArrayList<>();
  private BodyAnalysis analysis;

  private final AnalysisLane.Listener listener = new AnalysisLane.Listener() {
    @Override
    public void analysed(HttpContent piece) {
      seen.add(piece.content().toString(StandardCharsets.UTF_8).substring(0, 7) + "=" + analysis.action());
      piece.release();
    }

    @Override
    public void refused(ArrayDeque<HttpContent> waiting) {
      refused.addAll(waiting);
    }

    @Override
    public boolean mayRead() {
      return true;
    }
  };

  private final long outstandingBefore = AnalysisPool.outstanding();

  /**
   * The lane's owner closes the analysis when the response is over (here: the test); every test
   * gives the pooled state back, as the proxy must (the count is the JVM's: a test that left one
   * open once failed AnalysisPoolEndToEndTest whenever it ran first).
   */
  @AfterEach
  void close() {
    refused.forEach(HttpContent::release);
    origin.finishAndReleaseAll();
    analysis.close();
    assertThat(AnalysisPool.outstanding()).as("every window and scan given back").isEqualTo(outstandingBefore);
  }

  private static HttpContent piece(String text) {
    return new DefaultHttpContent(Unpooled.copiedBuffer(text, StandardCharsets.UTF_8));
  }

  /** Runs the next analysis task (as the analysis thread would), then what it handed to the loop. */
  private void step() {
    tasks.poll().run();
    origin.runPendingTasks();
  }

  @Test
  void piecesAreAnalysedInOrderOneAtATimeAndTheOriginPausesWhileTooManyWait() {
    AnalysisExecutor executor = new AnalysisExecutor(tasks::add, 1, 2);
    analysis = BodyAnalysis.start(RULES, TextFormat.HTML, null, "text/html; charset=utf-8", 0);
    AnalysisLane lane = executor.lane(analysis, origin.eventLoop(), origin, listener);
    lane.submit(piece("piece-0 <p>the school football team won on saturday</p>"));
    lane.submit(piece("piece-1 <p>the match report follows below</p>"));
    assertThat(origin.config().isAutoRead()).as("two waiting: still read").isTrue();
    lane.submit(piece("piece-2 " + HARMFUL));
    lane.submit(piece("piece-3 <p>more news</p>"));
    lane.submit(new DefaultLastHttpContent(Unpooled.copiedBuffer("piece-4 <p>the end</p>", StandardCharsets.UTF_8)));

    assertThat(origin.config().isAutoRead()).as("five waiting, two allowed: the origin is paused").isFalse();
    assertThat(lane.paused()).isTrue();
    assertThat(tasks).as("one piece at a time is with the analysis thread").hasSize(1);
    assertThat(executor.waitingPieces()).as("the gauge: every piece held in the lane").isEqualTo(5);

    step();
    assertThat(seen).containsExactly("piece-0=OFF");
    assertThat(executor.waitingPieces()).isEqualTo(4);
    assertThat(origin.config().isAutoRead()).as("four still waiting").isFalse();
    step();
    step();
    assertThat(seen).containsExactly("piece-0=OFF", "piece-1=OFF", "piece-2=OFF"); // decoded text waits for a window
    assertThat(origin.config().isAutoRead()).as("two still waiting").isFalse();
    step();
    assertThat(origin.config().isAutoRead()).as("drained to half: read again").isTrue();
    step();
    assertThat(seen).hasSize(5).last().as("the end flushed what was read: the verdict is there on the loop")
        .isEqualTo("piece-4=BLOCK");
    assertThat(tasks).isEmpty();
    assertThat(executor.waitingPieces()).isZero();
    assertThat(analysis.verdict().deciding().theme()).isEqualTo(ContentTheme.SELF_HARM);
    assertThat(executor.moved()).isEqualTo(1);
  }

  @Test
  void aRefusedHandOffFailsTheAnalysisAndGivesTheWaitingPiecesBack() {
    AnalysisExecutor executor = new AnalysisExecutor(r -> {
      throw new RejectedExecutionException("full");
    }, 1, 2);
    analysis = BodyAnalysis.start(RULES, TextFormat.HTML, null, "text/html", 0);
    AnalysisLane lane = executor.lane(analysis, origin.eventLoop(), origin, listener);
    HttpContent p = piece("piece-0 hello");
    lane.submit(p);

    assertThat(refused).containsExactly(p);
    assertThat(p.refCnt()).as("the duplicate was released, the piece is the listener's").isEqualTo(1);
    assertThat(executor.rejected()).isEqualTo(1);
    assertThat(executor.waitingPieces()).as("given back: none waits").isZero();
    assertThat(seen).isEmpty();
    HttpContent late = piece("piece-1 late");
    lane.submit(late);
    assertThat(late.refCnt()).as("a refused lane takes nothing more").isZero();
  }

  @Test
  void abandoningTheLaneReleasesWhatWaitsAndClosesTheAnalysisOnceThePieceInFlightIsDone() {
    AnalysisExecutor executor = new AnalysisExecutor(tasks::add, 1, 8);
    analysis = BodyAnalysis.start(RULES, TextFormat.HTML, "gzip", "text/html", 0);
    AnalysisLane lane = executor.lane(analysis, origin.eventLoop(), origin, listener);
    HttpContent first = piece("piece-0 not really gzip");
    HttpContent second = piece("piece-1 waiting");
    lane.submit(first);
    lane.submit(second);

    tasks.poll().run(); // fed on the analysis thread; its result not yet back on the loop
    lane.abandon();
    assertThat(first.refCnt()).isZero();
    assertThat(second.refCnt()).isZero();
    assertThat(executor.waitingPieces()).isZero();
    origin.runPendingTasks();
    assertThat(seen).as("nothing reaches an abandoned lane's owner").isEmpty();
    assertThat(tasks).isEmpty();
  }

  @Test
  void anErrorInTheAnalysisEndsItsAnalysisNotTheThreadAndTheResultStillComesBack() {
    AnalysisExecutor executor = new AnalysisExecutor(tasks::add, 1, 8);
    analysis = BodyAnalysis.start(RULES, TextFormat.HTML, null, "text/html", 0);
    AnalysisLane lane = executor.lane(analysis, origin.eventLoop(), origin, listener);
    HttpContent first = piece("piece-0 <p>the match report</p>");
    lane.submit(first);
    lane.submit(piece("piece-1 <p>more</p>"));
    BodyAnalysis.faultForTests = b -> {
      throw new StackOverflowError("test");
    };
    try {
      step(); // the task returns normally: a Netty executor would otherwise end for good
    } finally {
      BodyAnalysis.faultForTests = null;
    }
    assertThat(seen).as("the piece came back to the loop").containsExactly("piece-0=OFF");
    assertThat(first.refCnt()).as("the analysed duplicate was released").isZero();
    assertThat(analysis.failed()).isTrue();
    assertThat(analysis.failure()).isEqualTo("analysis error: StackOverflowError");
    assertThat(analysis.takeError()).isInstanceOf(StackOverflowError.class);
    assertThat(analysis.takeError()).as("handed over once").isNull();
    step(); // the next piece is fed to the failed analysis: ignored
    assertThat(seen).containsExactly("piece-0=OFF", "piece-1=OFF");
    lane.abandon();
  }
}
