package org.schoolgate.proxy.content;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Brotli read by {@link Unbrotli} (brotli4j's decoder driven directly, no channel): pieces cut
 * anywhere, a body that decodes past the decoder's window from one small piece (the wrapper asks
 * for input before it has used what it was given), corrupt data and a bomb in one piece.
 */
class UnbrotliTest {
  private static final byte[] TEXT = ("<p>the school trip to the science museum leaves at nine</p>".repeat(3000))
      .getBytes(StandardCharsets.UTF_8);

  private static byte[] decode(byte[] body, int piece) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Decompression d = Decompression.of("br");
    try {
      for (int i = 0; i < body.length; i += piece) {
        ByteBuf b = Unpooled.wrappedBuffer(body, i, Math.min(piece, body.length - i));
        d.feed(b, plain -> {
          byte[] bytes = new byte[plain.readableBytes()];
          plain.getBytes(plain.readerIndex(), bytes);
          out.writeBytes(bytes);
        });
        assertThat(b.readerIndex()).as("not consumed").isZero();
      }
      d.end(plain -> { });
    } finally {
      d.close();
    }
    return out.toByteArray();
  }

  @ParameterizedTest(name = "pieces of {0} bytes")
  @CsvSource({"1", "3", "7", "100", "100000"})
  void decodesHoweverTheBodyIsCut(int piece) {
    assertThat(decode(Corpus.brotli(TEXT), piece)).isEqualTo(TEXT);
  }

  @Test
  void aBodyLongerThanTheWindowFromOnePieceDecodesWhole() throws Exception {
    byte[] zeros = new byte[1024 * 1024];
    Corpus.brotli(new byte[1]); // loads the native library
    byte[] coded = com.aayushatharva.brotli4j.encoder.Encoder.compress(zeros,
        new com.aayushatharva.brotli4j.encoder.Encoder.Parameters().setWindow(16)); // a 64 KiB window
    assertThat(coded.length).as("a megabyte in one small piece").isLessThan(1024);
    assertThat(decode(coded, coded.length)).hasSize(zeros.length);
  }

  @Test
  void eachBodyGetsANewNativeDecoderAndTheJavaPartIsReused() {
    Corpus.brotli(new byte[1]); // loads the native library
    long live = Unbrotli.live();
    Unbrotli first = Unbrotli.take();
    assertThat(Unbrotli.live()).isEqualTo(live + 1);
    first.close();
    first.close(); // idempotent
    assertThat(Unbrotli.live()).as("destroyed when closed").isEqualTo(live);

    Unbrotli second = Unbrotli.take();
    assertThat(second).as("from this thread's pool").isSameAs(first);
    assertThat(decode(Corpus.brotli(TEXT), 1000)).as("a closed decoder's pool entry decodes anew").isEqualTo(TEXT);
    second.close();
    assertThat(Unbrotli.live()).isEqualTo(live);
  }

  @Test
  void aDecoderNeverClosedIsDestroyedOnceUnreachable() throws Exception {
    Corpus.brotli(new byte[1]);
    long live = Unbrotli.live();
    long leaked = Unbrotli.leaked();
    takeAndForget();
    assertThat(Unbrotli.live()).isEqualTo(live + 1);

    org.schoolgate.policy.testing.Eventually.within(java.time.Duration.ofSeconds(30), () -> {
      System.gc();
      assertThat(Unbrotli.leaked()).as("destroyed by the cleaner").isEqualTo(leaked + 1);
    });
    assertThat(Unbrotli.live()).as("its native memory freed").isEqualTo(live);
  }

  private static void takeAndForget() {
    Unbrotli u = Unbrotli.take();
    byte[] coded = Corpus.brotli(TEXT);
    u.feed(Unpooled.wrappedBuffer(coded), 0, coded.length / 2, plain -> { }, 0);
  }

  @Test
  void corruptDataOrABombInOnePieceFails() {
    assertThatThrownBy(() -> decode("not brotli at all, really not".getBytes(StandardCharsets.UTF_8), 100))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("corrupt Brotli data");
    byte[] bomb = Corpus.brotli(new byte[Decompression.MAX_ALLOCATION + 1024]);
    assertThatThrownBy(() -> decode(bomb, bomb.length)).hasMessageContaining("decompression bomb");
  }
}
