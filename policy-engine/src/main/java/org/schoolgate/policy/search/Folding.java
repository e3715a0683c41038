package org.schoolgate.policy.search;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Turns text into the words the theme matcher compares: accents stripped (NFKD without marks),
 * lower case, split at anything but letters, digits, {@code @} and {@code $} (apostrophes join:
 * {@code don't} → {@code dont}), leet read as letters in words that have a letter ({@code 0→o
 * 1→i 3→e 4→a 5→s 7→t @→a $→s}), and runs of one letter squashed to one ({@code suiiicide},
 * and {@code kill} → {@code kil}: entries are folded the same way, so they still meet).
 */
final class Folding {
  private Folding() {}

  static List<String> words(String text) {
    String t = Normalizer.normalize(text, Normalizer.Form.NFKD).toLowerCase(Locale.ROOT);
    List<String> out = new ArrayList<>();
    StringBuilder word = new StringBuilder();
    boolean letter = false;
    for (int i = 0; i < t.length(); i++) {
      char c = t.charAt(i);
      int type = Character.getType(c);
      if (type == Character.NON_SPACING_MARK || type == Character.COMBINING_SPACING_MARK
          || type == Character.ENCLOSING_MARK) {
        continue;
      }
      if (c == '\'' || c == '\u2019' || c == '\u2018' || c == '\u02bc') {
        continue;
      }
      if (Character.isLetterOrDigit(c) || c == '@' || c == '$') {
        word.append(c);
        letter |= Character.isLetter(c);
      } else {
        flush(word, letter, out);
        letter = false;
      }
    }
    flush(word, letter, out);
    return out;
  }

  private static void flush(StringBuilder word, boolean letter, List<String> out) {
    if (word.length() == 0) {
      return;
    }
    StringBuilder w = new StringBuilder(word.length());
    char last = 0;
    for (int i = 0; i < word.length(); i++) {
      char c = letter ? leet(word.charAt(i)) : word.charAt(i);
      if (c == '@' || c == '$') {
        continue; // only in words without a letter: symbols alone say nothing
      }
      if (c != last || !Character.isLetter(c)) {
        w.append(c);
      }
      last = c;
    }
    if (w.length() > 0) {
      out.add(w.toString());
    }
    word.setLength(0);
  }

  /** {@code word} with each run of one letter squashed to one. */
  static String squash(String word) {
    StringBuilder w = new StringBuilder(word.length());
    char last = 0;
    for (int i = 0; i < word.length(); i++) {
      char c = word.charAt(i);
      if (c != last || !Character.isLetter(c)) {
        w.append(c);
      }
      last = c;
    }
    return w.toString();
  }

  private static char leet(char c) {
    switch (c) {
      case '0':
        return 'o';
      case '1':
        return 'i';
      case '3':
        return 'e';
      case '4':
      case '@':
        return 'a';
      case '5':
      case '$':
        return 's';
      case '7':
        return 't';
      default:
        return c;
    }
  }
}
