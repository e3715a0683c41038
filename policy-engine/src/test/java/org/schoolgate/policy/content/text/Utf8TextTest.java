package org.schoolgate.policy.content.text;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The byte path ({@link Utf8Text}) reads exactly the words the character path reads. */
class Utf8TextTest {
  /** Pieces of generated bodies: words, markup, entities, other scripts, malformed UTF-8. */
  private static final Object[] PIECES = {"the", "Kill", "myself", "suicide", "K1LL", "s u i c i d e", "porn",
      "football", "sweet", "aaargh", "x", "2024", "p@ss", "<b>", "</b>", "<p>", "</p>", "<img alt=\"hide the cuts\">",
      "<a title='Zabij\u0119 si\u0119' href=\"x\u00e9y\">", "<script>var s = '\u00e9 kill';</script>",
      "<style>p{}</style>", "<!-- kill -->", "&amp;", "&eacute;", "&#105;", "&#x44f;", "&nbsp;", "&bogus", "<",
      "a < b", "zabij\u0119", "si\u0119", "\u062e\u0648\u062f\u06a9\u0634\u06cc", "\u0441\u0443\u0438\u0446\u0438\u0434",
      "\u0440\u043e\u0440\u043d", "stra\u00dfe", "\ud83d\ude00", "\ufb01le", "caf\u00e9", "\u00c9COLE", " ", " ", "\n",
      ".", "-", "'", new byte[] {(byte) 0xe2, (byte) 0x82}, new byte[] {(byte) 0xc3}, new byte[] {(byte) 0x80},
      new byte[] {(byte) 0xf0, (byte) 0x9f, (byte) 0x98}, new byte[] {(byte) 0xe0, (byte) 0x80},
      new byte[] {(byte) 0xff}, new byte[] {(byte) 0xed, (byte) 0xa0, (byte) 0x80}};

  static byte[] body(Random random, int pieces) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int i = 0; i < pieces; i++) {
      Object p = PIECES[random.nextInt(PIECES.length)];
      out.writeBytes(p instanceof String s ? s.getBytes(StandardCharsets.UTF_8) : (byte[]) p);
      if (random.nextInt(3) == 0) {
        out.write(' ');
      }
    }
    return out.toByteArray();
  }

  /** What a replacing UTF-8 decoder of the whole body gives (as the proxy's decoder reads it). */
  static char[] decoded(byte[] body) {
    try {
      CharBuffer c = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPLACE)
          .onUnmappableCharacter(CodingErrorAction.REPLACE).decode(ByteBuffer.wrap(body));
      char[] out = new char[c.remaining()];
      c.get(out);
      return out;
    } catch (CharacterCodingException e) {
      throw new AssertionError(e);
    }
  }

  private static List<String> charWords(char[] chars, boolean html) {
    List<String> words = new ArrayList<>();
    WordFolder f = new WordFolder((key, length, first) -> words.add(key + "/" + length + "/" + first));
    TextExtractor t = html ? TextExtractor.html(f) : TextExtractor.plain(f);
    t.feed(chars, 0, chars.length);
    t.end();
    return words;
  }

  private static List<String> byteWords(byte[] body, boolean html, Random random, int maxPiece) {
    List<String> words = new ArrayList<>();
    WordFolder f = new WordFolder((key, length, first) -> words.add(key + "/" + length + "/" + first));
    TextExtractor t = html ? TextExtractor.html(f) : TextExtractor.plain(f);
    Utf8Text u = new Utf8Text(t);
    long read = 0;
    int at = 0;
    while (at < body.length) {
      int n = Math.min(body.length - at, 1 + random.nextInt(maxPiece));
      read += u.feed(body, at, n, Long.MAX_VALUE);
      at += n;
    }
    read += u.end(Long.MAX_VALUE);
    t.end();
    words.add("chars=" + read);
    return words;
  }

  @Test
  void generatedBodiesInAnyPiecesGiveTheCharacterPathsWords() {
    Random random = new Random(16);
    int nonEmpty = 0;
    for (int round = 0; round < 2000; round++) {
      boolean html = round % 5 != 4;
      byte[] body = body(random, 1 + random.nextInt(60));
      char[] chars = decoded(body);
      List<String> expected = new ArrayList<>(charWords(chars, html));
      nonEmpty += expected.isEmpty() ? 0 : 1;
      expected.add("chars=" + chars.length);
      int maxPiece = round % 3 == 0 ? 3 : round % 3 == 1 ? 17 : 4096;
      assertThat(byteWords(body, html, random, maxPiece)).as("round %d: %s", round,
          new String(chars)).isEqualTo(expected);
    }
    assertThat(nonEmpty).isGreaterThan(1500);
  }

  @Test
  void keysOfWordsWithOtherScriptsAndLongWordsAreThoseOfTheirFoldedForms() {
    for (String text : List.of("Zabij\u0119 si\u0119", "supercalifragilisticexpialidocious", "abcdefgh abcdefghi",
        "\u062e\u0648\u062f\u06a9\u0634\u06cc", "\u0441\u0443\u0438\u0446\u0438\u0434 k1ll", "\ud83d\ude00x")) {
      List<Long> streamed = new ArrayList<>();
      WordFolder f = new WordFolder((key, length, first) -> streamed.add(key));
      Utf8Text u = new Utf8Text(TextExtractor.plain(f));
      byte[] b = text.getBytes(StandardCharsets.UTF_8);
      u.feed(b, 0, b.length, Long.MAX_VALUE);
      u.end(Long.MAX_VALUE);
      f.end();
      assertThat(streamed).as(text).isEqualTo(WordFolder.words(text).stream().map(WordFolder::key).toList());
    }
  }
}
