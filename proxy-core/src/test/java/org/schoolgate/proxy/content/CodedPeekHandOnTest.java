package org.schoolgate.proxy.content;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.schoolgate.policy.GroupId;
import org.schoolgate.policy.content.ContentAction;
import org.schoolgate.policy.content.ContentRules;
import org.schoolgate.policy.content.ContentTheme;
import org.schoolgate.policy.content.StarterPhrases;
import org.schoolgate.policy.content.TextFormat;
import org.schoolgate.policy.download.FileTypes;

/**
 * A coded download peek hands its decoder on to the content analysis of the same body, as the
 * proxy's download check does: the analysis ends exactly as one that decoded the body itself
 * (score, characters, excerpt, failure), and every coded byte went through a decoder once. A peek
 * that fails, or that decoded more than it keeps, hands nothing on and the analysis decodes the
 * body itself, as before.
 */
class CodedPeekHandOnTest {
  private static final ContentRules RULES = new ContentRules(new GroupId("pupils"), StarterPhrases.compiled(),
      Map.of(ContentTheme.SELF_HARM, ContentAction.BLOCK), Map.of(), 5, Long.MAX_VALUE);
  private static final String TYPE = "text/html; charset=utf-8";
  private static final byte[] PAGE = Corpus.bytes("en/self-harm-1.html");

  private static List<ByteBuf> pieces(byte[] body, int piece) {
    List<ByteBuf> out = new ArrayList<>();
    for (int i = 0; i < body.length; i += piece) {
      out.add(Unpooled.wrappedBuffer(body, i, Math.min(piece, body.length - i)));
    }
    return out;
  }

  /** What the download check does: pieces go to the peek until the first bytes tell (or the end). */
  private static CodedPeek peek(String coding, List<ByteBuf> pieces, byte[] peek, int[] length) {
    CodedPeek p = CodedPeek.of(coding, FileTypes.PEEK);
    for (int i = 0; i < pieces.size(); i++) {
      length[0] = p.feed(pieces.get(i), peek, length[0], FileTypes::bytesNeeded);
      if (i == pieces.size() - 1) {
        length[0] = p.end(peek, length[0]);
      }
      if (p.failed() || p.exhausted() || length[0] >= FileTypes.bytesNeeded(peek, length[0])) {
        break;
      }
    }
    return p;
  }

  private static BodyAnalysis analyse(String coding, List<ByteBuf> pieces, CodedPeek peeked) {
    BodyAnalysis a = BodyAnalysis.start(RULES, TextFormat.HTML, coding, TYPE, 400, peeked);
    for (ByteBuf b : pieces) {
      a.feed(b);
      assertThat(b.readerIndex()).as("the forwarded piece is not consumed").isZero();
    }
    a.end();
    return a;
  }

  private static byte[] coded(String coding, byte[] plain) {
    return switch (coding) {
      case "gzip" -> Corpus.gzip(plain);
      case "br" -> Corpus.brotli(plain);
      case "deflate" -> {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (DeflaterOutputStream z = new DeflaterOutputStream(out, new Deflater(6, false))) {
          z.write(plain);
        } catch (java.io.IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
        yield out.toByteArray();
      }
      default -> throw new IllegalArgumentException(coding);
    };
  }

  @ParameterizedTest(name = "{0} in pieces of {1} bytes")
  @CsvSource({"gzip, 1", "gzip, 7", "gzip, 100", "gzip, 100000", "deflate, 3", "deflate, 300", "br, 1",
      "br, 50", "br, 100000"})
  void theAnalysisGoesOnWithThePeeksDecoderAndEndsAsIfItHadDecodedTheBodyItself(String coding, int piece) {
    byte[] body = coded(coding, PAGE);
    List<ByteBuf> pieces = pieces(body, piece);
    BodyAnalysis alone = analyse(coding, pieces, null);
    long outstanding = AnalysisPool.outstanding();
    long before = Decompression.decoded();

    byte[] peek = new byte[FileTypes.PEEK];
    int[] length = {0};
    CodedPeek p = peek(coding, pieces, peek, length);
    BodyAnalysis after = analyse(coding, pieces, p);
    p.close();

    assertThat(Decompression.decoded() - before).as("every coded byte decoded once").isEqualTo(body.length);
    assertThat(length[0]).isPositive();
    assertThat(Arrays.copyOf(peek, length[0])).as("the peek's bytes are the page's first")
        .isEqualTo(Arrays.copyOf(PAGE, length[0]));
    assertThat(after.failed()).as(after.failure()).isFalse();
    assertThat(after.chars()).isEqualTo(alone.chars());
    assertThat(after.verdict().deciding().score()).isEqualTo(alone.verdict().deciding().score()).isPositive();
    assertThat(after.action()).isEqualTo(ContentAction.BLOCK);
    assertThat(after.excerpt(400)).isEqualTo(alone.excerpt(400)).isNotEmpty();
    alone.close();
    after.close();
    assertThat(AnalysisPool.outstanding()).as("the peek's buffer went back").isEqualTo(outstanding - 2);
  }

  @Test
  void aPeekThatFailsHandsNothingOnAndTheAnalysisFailsAsBefore() {
    long outstanding = AnalysisPool.outstanding();
    List<ByteBuf> pieces = pieces("this is not gzip at all".getBytes(java.nio.charset.StandardCharsets.UTF_8), 5);
    BodyAnalysis alone = analyse("gzip", pieces, null);

    CodedPeek p = peek("gzip", pieces, new byte[FileTypes.PEEK], new int[1]);
    assertThat(p.failed()).isTrue();
    BodyAnalysis after = analyse("gzip", pieces, p);
    p.close();

    assertThat(after.failed()).isTrue();
    assertThat(after.failure()).isEqualTo(alone.failure()).contains("not gzip data");
    assertThat(after.action()).isEqualTo(ContentAction.OFF);
    CodedPeek unknown = peek("compress", pieces, new byte[FileTypes.PEEK], new int[1]);
    assertThat(unknown.failed()).isTrue();
    BodyAnalysis unread = analyse("compress", pieces, unknown);
    assertThat(unread.failure()).contains("'compress' cannot be read");
    unread.close();
    unknown.close();
    alone.close();
    after.close();
    assertThat(AnalysisPool.outstanding()).as("everything taken went back").isEqualTo(outstanding);
  }

  @Test
  void aPeekThatDecodedMoreThanItKeepsIsNotHandedOnAndTheBodyIsDecodedAgain() {
    // a first slice that decodes to far more than the kept prefix: spaces, then the page
    byte[] plain = new byte[64 * 1024 + PAGE.length];
    Arrays.fill(plain, 0, 64 * 1024, (byte) ' ');
    System.arraycopy(PAGE, 0, plain, 64 * 1024, PAGE.length);
    byte[] body = Corpus.gzip(plain);
    List<ByteBuf> pieces = pieces(body, 4096);
    BodyAnalysis alone = analyse("gzip", pieces, null);
    long redecoded = Decompression.redecoded();
    long before = Decompression.decoded();

    CodedPeek p = peek("gzip", pieces, new byte[FileTypes.PEEK], new int[1]);
    BodyAnalysis after = analyse("gzip", pieces, p);
    p.close();

    assertThat(Decompression.redecoded() - redecoded).isEqualTo(1);
    assertThat(Decompression.decoded() - before).as("the peek's bytes, then the whole body again")
        .isGreaterThan(body.length);
    assertThat(after.chars()).isEqualTo(alone.chars());
    assertThat(after.verdict().deciding().score()).isEqualTo(alone.verdict().deciding().score());
    alone.close();
    after.close();
  }
}
