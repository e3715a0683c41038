package org.schoolgate.proxy.content;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.schoolgate.policy.GroupId;
import org.schoolgate.policy.content.ContentAction;
import org.schoolgate.policy.content.ContentRules;
import org.schoolgate.policy.content.ContentTheme;
import org.schoolgate.policy.content.StarterPhrases;
import org.schoolgate.policy.content.TextFormat;

/**
 * One body's analysis without the proxy: codings, charsets (BOM, header, {@code <meta>}), pieces
 * split anywhere (inside a UTF-8 character, inside the gzip stream), failures kept, not thrown.
 */
class BodyAnalysisTest {
  private static final ContentRules RULES = new ContentRules(new GroupId("pupils"), StarterPhrases.compiled(),
      Map.of(ContentTheme.SELF_HARM, ContentAction.BLOCK), Map.of(), 5, Long.MAX_VALUE);
  private static final byte[] PAGE = Corpus.bytes("pl/self-harm.html");

  private static BodyAnalysis analyse(String type, String encoding, byte[] body, int piece) {
    return analyse(type, encoding, body, piece, 0);
  }

  private static BodyAnalysis analyse(String type, String encoding, byte[] body, int piece, int excerptChars) {
    BodyAnalysis a = BodyAnalysis.start(RULES, TextFormat.of(type).orElseThrow(), encoding, type, excerptChars);
    for (int i = 0; i < body.length; i += piece) {
      ByteBuf b = Unpooled.wrappedBuffer(body, i, Math.min(piece, body.length - i));
      a.feed(b);
      assertThat(b.readerIndex()).as("the forwarded piece is not consumed").isZero();
    }
    a.end();
    a.close();
    return a;
  }

  @ParameterizedTest(name = "pieces of {0} bytes")
  @CsvSource({"1", "3", "7", "100", "100000"})
  void plainGzipAndBrotliScoreAlikeHoweverTheBodyIsCut(int piece) {
    int plain = analyse("text/html; charset=utf-8", null, PAGE, piece).verdict().deciding().score();

    assertThat(plain).isGreaterThanOrEqualTo(100);
    assertThat(analyse("text/html; charset=utf-8", "gzip", Corpus.gzip(PAGE), piece).verdict().deciding().score())
        .isEqualTo(plain);
    assertThat(analyse("text/html; charset=utf-8", "br", Corpus.brotli(PAGE), piece).verdict().deciding().score())
        .isEqualTo(plain);
  }

  @Test
  void theCharsetComesFromTheBomTheHeaderOrTheMetaTag() {
    String text = "<html><body><p>" + new String(PAGE, StandardCharsets.UTF_8).replaceAll("(?s)<[^>]*>", " ")
        + "</p></body></html>";
    Charset iso2 = Charset.forName("ISO-8859-2");
    byte[] latin2 = ("<html><head><meta charset=\"iso-8859-2\"></head>" + text.substring(6)).getBytes(iso2);
    int expected = analyse("text/html", null, text.getBytes(StandardCharsets.UTF_8), 50).verdict().deciding().score();

    assertThat(analyse("text/html", null, latin2, 50).verdict().deciding().score()).isEqualTo(expected);
    assertThat(analyse("text/html; charset=ISO-8859-2", null, text.getBytes(iso2), 50).verdict().deciding().score())
        .isEqualTo(expected);
    byte[] utf16 = text.getBytes(StandardCharsets.UTF_16); // with its byte-order mark
    assertThat(analyse("text/html", null, utf16, 33).verdict().deciding().score()).isEqualTo(expected);
  }

  @ParameterizedTest(name = "pieces of {0} bytes")
  @CsvSource({"1", "2", "3", "5", "64", "100000"})
  void aUtf8BodyReadAsBytesScoresAndExcerptsAsItsDecodedCharacters(int piece) {
    String text = new String(PAGE, StandardCharsets.UTF_8) + "\ud83d\ude00 caf\u00e9";
    byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
    byte[] withBom = new byte[utf8.length + 5];
    withBom[0] = (byte) 0xef;
    withBom[1] = (byte) 0xbb;
    withBom[2] = (byte) 0xbf;
    System.arraycopy(utf8, 0, withBom, 3, utf8.length);
    withBom[utf8.length + 3] = (byte) 0xe2; // a character cut short at the end: U+FFFD
    withBom[utf8.length + 4] = (byte) 0x82;
    // the same text as UTF-16 goes the character way
    BodyAnalysis chars = analyse("text/html", null, (text + "\ufffd").getBytes(StandardCharsets.UTF_16), 64, 400);

    for (byte[] body : new byte[][] {utf8, withBom}) {
      BodyAnalysis bytes = analyse("text/html; charset=utf-8", null, body, piece, 400);
      assertThat(bytes.verdict().toString()).isEqualTo(chars.verdict().toString());
      assertThat(bytes.excerpt(300)).isEqualTo(chars.excerpt(300)).isNotEmpty();
    }
    assertThat(chars.verdict().deciding().score()).isGreaterThanOrEqualTo(100);
  }

  @Test
  void anUnreadableBodyFailsTheAnalysisInsteadOfThrowing() {
    BodyAnalysis corrupt = analyse("text/html", "gzip", "not gzip".getBytes(StandardCharsets.UTF_8), 4);
    BodyAnalysis unknown = analyse("text/html", "compress", PAGE, 100);

    assertThat(corrupt.failed()).isTrue();
    assertThat(corrupt.action()).isEqualTo(ContentAction.OFF);
    assertThat(unknown.failed()).isTrue();
    assertThat(unknown.failure()).contains("'compress' cannot be read");
  }
}
