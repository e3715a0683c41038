package org.schoolgate.proxy.content;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.schoolgate.policy.GroupId;
import org.schoolgate.policy.content.ContentAction;
import org.schoolgate.policy.content.ContentRules;
import org.schoolgate.policy.content.ContentTheme;
import org.schoolgate.policy.content.ContentVerdict;
import org.schoolgate.policy.content.StarterPhrases;
import org.schoolgate.policy.content.TextFormat;

/**
 * The per-thread pool of decoder windows and scans: bodies analysed one after another reuse the
 * same few objects, every ending (a normal end, a failure, a close half-way) gives them back, a
 * reused scan starts from nothing, and the pool stays within its bounds whatever the traffic.
 */
class AnalysisPoolTest {
  private static final ContentRules PUPILS = rules("pupils");
  private static final byte[] HARMFUL = Corpus.bytes("en/self-harm-1.html");
  private static final byte[] BENIGN = Corpus.bytes("en/benign-self-harm-support.html");

  private static ContentRules rules(String group) {
    return new ContentRules(new GroupId(group), StarterPhrases.compiled(),
        Map.of(ContentTheme.SELF_HARM, ContentAction.BLOCK), Map.of(), 5, Long.MAX_VALUE);
  }

  private static BodyAnalysis analyse(ContentRules rules, String type, String encoding, byte[] body, int piece,
      boolean whole) {
    BodyAnalysis a = BodyAnalysis.start(rules, TextFormat.of(type).orElseThrow(), encoding, type, 0);
    int upTo = whole ? body.length : body.length / 2;
    for (int i = 0; i < upTo; i += piece) {
      ByteBuf b = Unpooled.wrappedBuffer(body, i, Math.min(piece, upTo - i));
      a.feed(b);
      assertThat(b.readerIndex()).as("the forwarded piece is not consumed").isZero();
    }
    if (whole) {
      a.end();
    }
    a.close();
    return a;
  }

  @Test
  void bodiesOneAfterAnotherReuseTheSameWindowsAndScanAndGiveThemBackOnEveryEnding() {
    AnalysisPool pool = AnalysisPool.here();
    analyse(PUPILS, "text/html; charset=utf-8", null, HARMFUL, 4096, true); // fills the pool
    long created = AnalysisPool.created();
    long outstanding = AnalysisPool.outstanding();
    int windows = pool.windowsPooled();
    int scans = pool.scansPooled();

    for (int i = 0; i < 300; i++) {
      switch (i % 5) {
        case 0 -> analyse(PUPILS, "text/html; charset=utf-8", null, HARMFUL, 4096, true);
        case 1 -> analyse(PUPILS, "text/html", null, BENIGN, 777, false); // closed half-way (a cut, a closed client)
        case 2 -> analyse(PUPILS, "text/html", "gzip", "not gzip".getBytes(StandardCharsets.UTF_8), 3, true);
        case 3 -> analyse(PUPILS, "text/html", "compress", HARMFUL, 4096, true); // refused at the start
        default -> analyse(PUPILS, "text/html", null, HARMFUL, 100_000, true).fail("the executor is full");
      }
    }

    assertThat(AnalysisPool.created()).as("nothing new was made").isEqualTo(created);
    assertThat(AnalysisPool.outstanding()).as("everything went back").isEqualTo(outstanding);
    assertThat(pool.windowsPooled()).isEqualTo(windows).isPositive();
    assertThat(pool.scansPooled()).isEqualTo(scans).isPositive();
  }

  @Test
  void aReusedScanStartsFromNothingAndAClosedAnalysisKeepsWhatItFound() {
    BodyAnalysis harmful = analyse(PUPILS, "text/html; charset=utf-8", null, HARMFUL, 1000, true);
    BodyAnalysis benign = analyse(PUPILS, "text/html; charset=utf-8", null, BENIGN, 1000, true);
    BodyAnalysis again = analyse(PUPILS, "text/html; charset=utf-8", null, HARMFUL, 1000, true);

    assertThat(harmful.action()).isEqualTo(ContentAction.BLOCK);
    assertThat(harmful.verdict()).isInstanceOf(ContentVerdict.Block.class);
    assertThat(benign.action()).isNotEqualTo(ContentAction.BLOCK);
    assertThat(again.verdict().deciding().score()).isEqualTo(harmful.verdict().deciding().score());
    assertThat(again.chars()).isEqualTo(harmful.chars()).isPositive();
  }

  @Test
  void windowsLeftInAnotherCharsetReadTheNextBodyRight() {
    String text = new String(HARMFUL, StandardCharsets.UTF_8);
    int utf8 = analyse(PUPILS, "text/html", null, HARMFUL, 333, true).verdict().deciding().score();
    // a UTF-16 body cut inside a character, closed half-way: its leftover byte must not reach the next body
    analyse(PUPILS, "text/html", null, text.getBytes(StandardCharsets.UTF_16), 333, false);
    int latin2 = analyse(PUPILS, "text/html; charset=iso-8859-2", null,
        text.getBytes(java.nio.charset.Charset.forName("ISO-8859-2")), 333, true).verdict().deciding().score();

    assertThat(analyse(PUPILS, "text/html", null, HARMFUL, 333, true).verdict().deciding().score()).isEqualTo(utf8);
    assertThat(latin2).isEqualTo(utf8);
  }

  @Test
  void scansAreKeptPerGroupAndFormatAndThePoolStaysWithinItsBound() {
    AnalysisPool pool = AnalysisPool.here();
    ContentRules[] groups = new ContentRules[AnalysisPool.MAX_SCANS + 3];
    for (int i = 0; i < groups.length; i++) {
      groups[i] = rules("group" + i);
    }
    int plain = analyse(groups[0], "text/plain", null, HARMFUL, 500, true).verdict().deciding().score();
    for (ContentRules g : groups) {
      analyse(g, "text/html", null, HARMFUL, 500, true);
    }
    long created = AnalysisPool.created();

    // the HTML scan of the last group is pooled: reused; the plain one of the first was pushed out
    analyse(groups[groups.length - 1], "text/html", null, HARMFUL, 500, true);
    assertThat(AnalysisPool.created()).isEqualTo(created);
    assertThat(analyse(groups[0], "text/plain", null, HARMFUL, 500, true).verdict().deciding().score())
        .isEqualTo(plain);
    assertThat(AnalysisPool.created()).isEqualTo(created + 1);
    assertThat(pool.scansPooled()).isEqualTo(AnalysisPool.MAX_SCANS);
    assertThat(pool.windowsPooled()).isLessThanOrEqualTo(AnalysisPool.MAX_WINDOWS);
  }

  @Test
  void analysesOpenAtOnceEachHaveTheirOwnWindowsAndThePoolKeepsAtMostItsBound() {
    AnalysisPool pool = AnalysisPool.here();
    BodyAnalysis[] open = new BodyAnalysis[AnalysisPool.MAX_WINDOWS + 2];
    for (int i = 0; i < open.length; i++) {
      open[i] = BodyAnalysis.start(PUPILS, TextFormat.HTML, null, "text/html; charset=utf-8", 0);
    }
    for (int i = 0; i < open.length; i++) { // interleaved: each body reads only its own bytes
      open[i].feed(Unpooled.wrappedBuffer(i % 2 == 0 ? HARMFUL : BENIGN));
    }
    for (BodyAnalysis a : open) {
      a.end();
      a.close();
    }

    assertThat(open[0].verdict()).isInstanceOf(ContentVerdict.Block.class);
    assertThat(open[1].action()).isNotEqualTo(ContentAction.BLOCK);
    assertThat(pool.windowsPooled()).isEqualTo(AnalysisPool.MAX_WINDOWS);
  }
}
