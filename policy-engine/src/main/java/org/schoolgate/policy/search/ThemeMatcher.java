package org.schoolgate.policy.search;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Matches text (a search term) against keyword lists by {@link Theme}. Both sides are folded the
 * same way ({@code Folding}: case, accents, leet, repeated letters) and split into words, so a
 * phrase matches only whole words ({@code skill} never matches {@code kill}) and across any
 * spaces or punctuation between them ({@code kill--myself}); a phrase of several words also
 * matches them written as one ({@code killmyself}). A word of 7 or more letters in an entry also
 * matches with one typing slip after its first letter (one letter added, missing, changed or
 * two swapped: {@code sucide}). An exception entry ({@code !suicide squad}) cancels a match of its theme that
 * lies inside it. Compiled once per policy; immutable and thread-safe.
 *
 * <pre>{@code
 * ThemeMatcher m = ThemeMatcher.compile(Map.of(Theme.SELF_HARM, List.of("kill myself", "suicide", "!suicide squad")));
 * m.match("how to k1ll   mys3lf");   // [ThemeMatch[theme=SELF_HARM, phrase=kill myself]]
 * }</pre>
 */
public final class ThemeMatcher {
  /** Matches nothing. */
  public static final ThemeMatcher EMPTY = compile(Map.of());
  /** Entry words at least this long also match with one edit. */
  public static final int FUZZY_LENGTH = 7;

  private final Map<String, List<Phrase>> byFirstWord = new HashMap<>();
  private final List<Phrase> fuzzyFirstWord = new ArrayList<>();
  private final Map<Theme, List<String[]>> exceptions = new EnumMap<>(Theme.class);
  private final Map<Theme, Integer> counts = new EnumMap<>(Theme.class);

  private ThemeMatcher() {}

  /** Compiles each theme's entries (as read by {@link KeywordList}). */
  public static ThemeMatcher compile(Map<Theme, List<String>> entries) {
    ThemeMatcher m = new ThemeMatcher();
    for (Map.Entry<Theme, List<String>> e : entries.entrySet()) {
      int count = 0;
      for (String entry : e.getValue()) {
        boolean exception = entry.startsWith("!");
        String text = exception ? entry.substring(1).strip() : entry.strip();
        List<String> words = Folding.words(text);
        if (words.isEmpty()) {
          continue;
        }
        String[] w = words.toArray(new String[0]);
        if (exception) {
          m.exceptions.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(w);
          continue;
        }
        m.add(new Phrase(e.getKey(), text, w));
        if (w.length > 1) {
          m.add(new Phrase(e.getKey(), text, new String[] {Folding.squash(String.join("", w))}));
        }
        count++;
      }
      m.counts.put(e.getKey(), count);
    }
    return m;
  }

  private void add(Phrase p) {
    byFirstWord.computeIfAbsent(p.words[0], k -> new ArrayList<>()).add(p);
    if (p.words[0].length() >= FUZZY_LENGTH) {
      fuzzyFirstWord.add(p);
    }
  }

  /** How many entries (not exceptions) {@code theme} has. */
  public int entryCount(Theme theme) {
    return counts.getOrDefault(theme, 0);
  }

  /**
   * The themes {@code text} matches, in {@link Theme} order, each with the first entry that
   * matched; empty when none (or when {@code text} is null).
   */
  public List<ThemeMatch> match(String text) {
    if (text == null || text.isEmpty() || byFirstWord.isEmpty()) {
      return List.of();
    }
    String[] words = Folding.words(text).toArray(new String[0]);
    Map<Theme, ThemeMatch> found = new EnumMap<>(Theme.class);
    for (int i = 0; i < words.length; i++) {
      List<Phrase> exact = byFirstWord.get(words[i]);
      if (exact != null) {
        tryAll(exact, words, i, found);
      }
      tryAll(fuzzyFirstWord, words, i, found);
    }
    return List.copyOf(found.values());
  }

  private void tryAll(List<Phrase> phrases, String[] words, int at, Map<Theme, ThemeMatch> found) {
    for (Phrase p : phrases) {
      if (!found.containsKey(p.theme) && p.matchesAt(words, at) && !excepted(p.theme, words, at, at + p.words.length)) {
        found.put(p.theme, new ThemeMatch(p.theme, p.text));
      }
    }
  }

  /** True when an exception of {@code theme} spans words {@code from..to} of {@code words}. */
  private boolean excepted(Theme theme, String[] words, int from, int to) {
    List<String[]> list = exceptions.get(theme);
    if (list == null) {
      return false;
    }
    for (String[] ex : list) {
      for (int s = Math.max(0, to - ex.length); s <= from && s + ex.length <= words.length; s++) {
        boolean all = true;
        for (int j = 0; j < ex.length && all; j++) {
          all = words[s + j].equals(ex[j]);
        }
        if (all) {
          return true;
        }
      }
    }
    return false;
  }

  /** True when {@code word} (folded input) is {@code entry} (folded entry word), or one slip from a long one. */
  static boolean wordMatches(String word, String entry) {
    if (word.equals(entry)) {
      return true;
    }
    return entry.length() >= FUZZY_LENGTH && Math.abs(word.length() - entry.length()) <= 1
        && !word.isEmpty() && word.charAt(0) == entry.charAt(0) && oneEdit(word, entry);
  }

  /** At most one insertion, deletion, substitution or swap of neighbours turns {@code a} into {@code b}. */
  static boolean oneEdit(String a, String b) {
    int i = 0;
    int n = Math.min(a.length(), b.length());
    while (i < n && a.charAt(i) == b.charAt(i)) {
      i++;
    }
    if (a.length() == b.length()) {
      if (i == n) {
        return true;
      }
      if (a.regionMatches(i + 1, b, i + 1, n - i - 1)) {
        return true; // substitution
      }
      return i + 1 < n && a.charAt(i) == b.charAt(i + 1) && a.charAt(i + 1) == b.charAt(i)
          && a.regionMatches(i + 2, b, i + 2, n - i - 2); // swap
    }
    String longer = a.length() > b.length() ? a : b;
    String shorter = longer == a ? b : a;
    return longer.regionMatches(i + 1, shorter, i, shorter.length() - i);
  }

  private static final class Phrase {
    final Theme theme;
    final String text;
    final String[] words;

    Phrase(Theme theme, String text, String[] words) {
      this.theme = theme;
      this.text = text;
      this.words = words;
    }

    boolean matchesAt(String[] input, int at) {
      if (at + words.length > input.length) {
        return false;
      }
      for (int j = 0; j < words.length; j++) {
        if (!wordMatches(input[at + j], words[j])) {
          return false;
        }
      }
      return true;
    }
  }
}
