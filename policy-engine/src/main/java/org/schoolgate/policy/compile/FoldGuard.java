package org.schoolgate.policy.compile;

/**
 * Refuses expressions that RE2/J cannot compile case-insensitively in bounded time, before they
 * reach it.
 *
 * <p>Design notes. RE2/J case-folds a pattern while compiling it: each literal character, and
 * each character of a class range, is followed round its fold orbit ({@code k → K → k}) until it
 * comes back. Two things go wrong with untrusted patterns (an {@code expressions} file is
 * downloaded from a list publisher):
 * <ul>
 *   <li>the JDK's case mapping and RE2/J's fold tables disagree for U+1C80–U+1C88 (Cyrillic
 *       letter variants of Unicode 9: {@code ᲀ} upper-cases to {@code В}, whose orbit
 *       {@code В ↔ в} never returns to {@code ᲀ}), so a pattern holding one of them, literally,
 *       escaped or inside a range, never finishes compiling: the policy compile hangs;
 *   <li>a range that covers part of the foldable characters (U+0041–U+1E943) is folded one
 *       character at a time, milliseconds per thousand, so a line of wide ranges costs seconds.
 *       A range covering all of them is not folded at all and costs nothing.
 * </ul>
 * This reads the pattern the way RE2's parser does, just far enough to see literal characters,
 * escapes and class ranges ({@code \p{..}} classes and {@code .} are folded from tables and are
 * cheap), and refuses a pattern with a character of the first kind or with more than
 * {@value #MAX_FOLDED} characters to fold one by one. URL expressions never need either.
 */
final class FoldGuard {
  /** RE2/J's {@code Unicode.MIN_FOLD} and {@code MAX_FOLD}: the characters that have a fold. */
  private static final int MIN_FOLD = 0x41;
  private static final int MAX_FOLD = 0x1E943;
  /** The characters whose fold orbit RE2/J never closes. */
  private static final int UNCLOSED_FROM = 0x1C80;
  private static final int UNCLOSED_TO = 0x1C88;
  /** At most this many characters of class ranges are folded one by one (about 10 ms). */
  static final int MAX_FOLDED = 4_096;

  private final String p;
  private int i;
  private long folded;
  private String problem;

  private FoldGuard(String pattern) {
    this.p = pattern;
  }

  /** Null when RE2/J can fold {@code pattern} quickly; otherwise what is wrong and the fix. */
  static String problem(String pattern) {
    FoldGuard g = new FoldGuard(pattern);
    g.scan();
    if (g.problem == null && g.folded > MAX_FOLDED) {
      return "its character ranges hold " + g.folded + " characters to compare case-insensitively"
          + " (expected: at most " + MAX_FOLDED + "; use narrower ranges or a \\p{...} class)";
    }
    return g.problem;
  }

  private void scan() {
    while (i < p.length() && problem == null) {
      int c = p.codePointAt(i);
      i += Character.charCount(c);
      if (c == '\\') {
        escapeOutsideClass();
      } else if (c == '[') {
        charClass();
      } else {
        rune(c);
      }
    }
  }

  private void escapeOutsideClass() {
    if (i >= p.length()) {
      return;
    }
    int c = p.codePointAt(i);
    if (c == 'Q') {
      i++;
      int end = p.indexOf("\\E", i);
      int stop = end < 0 ? p.length() : end;
      while (i < stop && problem == null) {
        int r = p.codePointAt(i);
        i += Character.charCount(r);
        rune(r);
      }
      i = end < 0 ? p.length() : end + 2;
      return;
    }
    int r = escape();
    if (r >= 0) {
      rune(r);
    }
  }

  /**
   * Reads the escape after a backslash; returns the character it stands for, or -1 for a class
   * ({@code \d}, {@code \pL}, ...) or an assertion.
   */
  private int escape() {
    int c = p.codePointAt(i);
    i += Character.charCount(c);
    switch (c) {
      case 'x':
        return hex();
      case 'p', 'P':
        if (i < p.length() && p.charAt(i) == '{') {
          int close = p.indexOf('}', i);
          i = close < 0 ? p.length() : close + 1;
        } else if (i < p.length()) {
          i += Character.charCount(p.codePointAt(i));
        }
        return -1;
      case 'd', 'D', 's', 'S', 'w', 'W', 'b', 'B', 'A', 'z':
        return -1;
      default:
        if (c >= '0' && c <= '7') {
          int v = c - '0';
          for (int k = 0; k < 2 && i < p.length() && p.charAt(i) >= '0' && p.charAt(i) <= '7'; k++) {
            v = v * 8 + (p.charAt(i++) - '0');
          }
          return v;
        }
        return c;
    }
  }

  /** {@code \xHH} or {@code \x{H...}}, after the x; -1 when malformed (RE2/J will say so). */
  private int hex() {
    int end;
    int from;
    if (i < p.length() && p.charAt(i) == '{') {
      from = i + 1;
      end = p.indexOf('}', from);
      if (end < 0) {
        i = p.length();
        return -1;
      }
      i = end + 1;
    } else {
      from = i;
      end = Math.min(p.length(), i + 2);
      i = end;
    }
    if (end - from < 1 || end - from > 8) {
      return -1;
    }
    int v = 0;
    for (int k = from; k < end; k++) {
      int d = Character.digit(p.charAt(k), 16);
      if (d < 0 || p.charAt(k) >= 0x80) {
        return -1;
      }
      v = v * 16 + d;
    }
    return v;
  }

  private void charClass() {
    if (i < p.length() && p.charAt(i) == '^') {
      i++;
    }
    boolean first = true;
    while (i < p.length() && problem == null) {
      int c = p.codePointAt(i);
      if (c == ']' && !first) {
        i++;
        return;
      }
      first = false;
      if (c == '[' && p.startsWith("[:", i)) {
        int close = p.indexOf(":]", i + 2);
        if (close >= 0) {
          i = close + 2;
          continue;
        }
      }
      int lo = classItem();
      if (lo >= 0 && i + 1 < p.length() && p.charAt(i) == '-' && p.charAt(i + 1) != ']') {
        i++;
        int hi = classItem();
        if (hi >= lo) {
          range(lo, hi);
        }
      } else if (lo >= 0) {
        rune(lo);
      }
    }
  }

  /** One character of a class, or -1 for an escaped class ({@code \d}). */
  private int classItem() {
    int c = p.codePointAt(i);
    i += Character.charCount(c);
    if (c == '\\' && i < p.length()) {
      return escape();
    }
    return c;
  }

  private void rune(int c) {
    if (c >= UNCLOSED_FROM && c <= UNCLOSED_TO) {
      problem = unclosed(c);
    }
  }

  private void range(int lo, int hi) {
    if (lo <= MIN_FOLD && hi >= MAX_FOLD) {
      return; // RE2/J takes the whole range as it is
    }
    int from = Math.max(lo, MIN_FOLD);
    int to = Math.min(hi, MAX_FOLD);
    if (from > to) {
      return;
    }
    if (from <= UNCLOSED_TO && to >= UNCLOSED_FROM) {
      problem = unclosed(Math.max(from, UNCLOSED_FROM));
      return;
    }
    folded += to - from + 1;
  }

  private static String unclosed(int c) {
    return String.format(java.util.Locale.ROOT, "it holds U+%04X, which RE2/J cannot compare"
        + " case-insensitively: compiling never ends (expected: no U+1C80 to U+1C88, e.g. the"
        + " ordinary Cyrillic letter instead)", c);
  }
}
