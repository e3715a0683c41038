package org.schoolgate.policy.content.text;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Folding per script: Latin, Polish, Romanian, Arabic and Urdu, leet only in Latin words. */
class WordFolderTest {

  @ParameterizedTest(name = "{0} → {1}")
  @CsvSource(delimiter = '|', textBlock = """
      # Latin: case, accents, repeated letters, apostrophes
      How To KILL Myself           | how to kil myself
      suiiiiicide                  | suicide
      Don't  café  naïve           | dont cafe naive
      # Polish: ł and the other diacritics
      Zażółć gęślą jaźń            | zazolc gesla jazn
      ŁÓDŹ łódź                    | lodz lodz
      zabiję się                   | zabije sie
      # Romanian: comma below and cedilla forms are the same letters
      sinucidere țară ţară         | sinucidere tara tara
      ș ş Ș Ş                      | s s s s
      # leet is read in Latin words only
      k1ll my5elf su1c1de          | kil myself suicide
      h@te $elf                    | hate self
      2024 911                     | 2024 911
      # a Cyrillic look-alike inside a Latin word is Latin; a Russian word stays Cyrillic
      kіll ѕuicide                 | kil suicide
      сор                          | сор
      # zero-width characters, soft hyphens and bidi marks neither split nor hide a word
      sui\u200bcide ki\u00adll     | suicide kil
      ﬁre                          | fire
      """)
  void latinScripts(String text, String folded) {
    assertThat(String.join(" ", WordFolder.words(unescape(text)))).isEqualTo(folded);
  }

  @ParameterizedTest(name = "{0} = {1}")
  @CsvSource(delimiter = '|', textBlock = """
      # alef forms (hamza above and below, madda, wasla) are bare alef
      أنتحر                        | انتحر
      إرهاب                        | ارهاب
      آمن                          | امن
      ٱلله                         | الله
      # harakat and tatweel are removed
      الانتِحَارُ                  | الانتحار
      الـــانتحار                  | الانتحار
      # teh marbuta reads as heh; alef maksura and Farsi/Urdu yeh as Arabic yeh
      مدرسة                        | مدرسه
      على                          | علي
      خودکشی                       | خودكشي
      # Urdu kaf, heh goal, heh doachashmee and yeh barree
      کیا                          | كيا
      بھائی                        | بهائي
      ہے                           | هي
      # hamza on waw and yeh, presentation forms
      مسؤول                        | مسوول
      ﻻ                            | لا
      """)
  void arabicScript(String variant, String plain) {
    assertThat(WordFolder.words(variant)).isEqualTo(WordFolder.words(plain));
    assertThat(WordFolder.words(variant)).hasSize(1);
  }

  @Test
  void digitsOfEveryScriptAreAsciiAndLeetStaysOutOfArabicWords() {
    assertThat(WordFolder.words("٥٠٠ ۵۰۰")).containsExactly("500", "500");
    assertThat(WordFolder.words("خودکشی5")).containsExactly("خودكشي5");
    assertThat(WordFolder.words("k1ll")).containsExactly("kil");
  }

  @Test
  void streamingKeysAreTheKeysOfTheFoldedWords() {
    Random random = new Random(16);
    String alphabet = "aAbkKlLiI10@$ ł ąśș țţ  .,-'\u200b أإاةهـًکیےہھ ٥ сіk\t\n";
    for (int round = 0; round < 2000; round++) {
      StringBuilder text = new StringBuilder();
      int length = random.nextInt(40);
      for (int i = 0; i < length; i++) {
        text.append(alphabet.charAt(random.nextInt(alphabet.length())));
      }
      List<Long> streamed = new ArrayList<>();
      WordFolder folder = new WordFolder((key, len, first) -> streamed.add(key));
      for (int i = 0; i < text.length(); i++) {
        folder.accept(text.charAt(i));
      }
      folder.end();
      List<Long> expected = WordFolder.words(text).stream().map(WordFolder::key).toList();
      assertThat(streamed).as("keys of '%s'", text).isEqualTo(expected);
    }
  }

  @Test
  void aWordLongerThanTheLimitIsNotReported() {
    List<Long> keys = new ArrayList<>();
    WordFolder folder = new WordFolder((key, len, first) -> keys.add(key));
    String longWord = "ab".repeat(WordFolder.MAX_LENGTH);
    for (char c : (longWord + " ok").toCharArray()) {
      folder.accept(c);
    }
    folder.end();
    assertThat(keys).containsExactly(WordFolder.key("ok"));
  }

  @Test
  void runsOfTextFoldToTheSameWordsAsOneCharacterAtATime() {
    String alphabet = "abcxyzABCKILL  \n\t.,;!?-'0123456789@$<&éłșąöüßﬁæ\u200bкаоре"
        + "\u0627\u0644\u0645\u06cc\u0629\u064e\u0640日本\uD83D\uDE00\u007f\u0000";
    Random random = new Random(1612);
    for (int round = 0; round < 2_000; round++) {
      char[] text = new char[random.nextInt(200)];
      for (int i = 0; i < text.length; i++) {
        // runs of one character now and then, so squashed letters and digits are covered too
        text[i] = i > 0 && random.nextInt(5) == 0 ? text[i - 1]
            : alphabet.charAt(random.nextInt(alphabet.length()));
      }
      List<String> one = new ArrayList<>();
      WordFolder perChar = new WordFolder((key, length, first) -> one.add(key + "/" + length + "/" + first));
      for (char c : text) {
        perChar.accept(c);
      }
      perChar.end();
      List<String> runs = new ArrayList<>();
      WordFolder inRuns = new WordFolder((key, length, first) -> runs.add(key + "/" + length + "/" + first));
      int at = 0;
      while (at < text.length) {
        int cut = at + random.nextInt(text.length - at + 1); // chunks cut anywhere
        while (at < cut) {
          at = inRuns.acceptText(text, at, cut);
          if (at < cut) {
            inRuns.accept(text[at++]); // the '<' or '&' it stopped at: a break, as per character
          }
        }
      }
      inRuns.end();

      assertThat(runs).as("text %s", new String(text)).isEqualTo(one);
    }
  }

  private static String unescape(String s) {
    return s.replace("\\u200b", "\u200b").replace("\\u00ad", "\u00ad");
  }
}
