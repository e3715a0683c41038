package org.schoolgate.policy.compile;

/**
 * Rewrites one expression that RE2/J accepts alone so that it means the same inside an
 * alternation with others ({@code (?:a)|(?:b)}). Design note: RE2/J reads two constructs by
 * searching the rest of the whole pattern, not only the rest of the expression, so text after an
 * expression could change how it is read. A {@code \Q} quote lasts until the first {@code \E} or
 * the pattern's end; inside a character class, {@code [:} begins a POSIX class that ends at the
 * first {@code :]} anywhere after it, and only when there is none is the {@code [} a literal.
 * Alone, such an expression quotes to its end, or has a literal {@code [}; beside others it would
 * quote them, or read a class name through {@code )|(?:]} into the next expression. This class
 * closes a quote left open with {@code \E} and writes a literal {@code [} of an unfinished
 * {@code [:} as {@code \[}. Everything else RE2/J reads locally (repeats, groups, escapes), and
 * the {@code )} the alternation adds ends it. The walk follows RE2/J's lexing only as far as
 * needed: escapes, quotes and character classes; the expression has already compiled alone.
 */
final class SelfContained {
  private SelfContained() {}

  static String of(String regex) {
    StringBuilder out = null;
    int i = 0;
    int n = regex.length();
    while (i < n) {
      char c = regex.charAt(i);
      if (c == '\\' && i + 1 < n && regex.charAt(i + 1) == 'Q') {
        int end = regex.indexOf("\\E", i + 2);
        if (end < 0) {
          return (out == null ? regex : out.append(regex, i, n).toString()) + "\\E";
        }
        out = copy(out, regex, i, end + 2);
        i = end + 2;
      } else if (c == '\\') {
        int next = Math.min(n, i + 2);
        out = copy(out, regex, i, next);
        i = next;
      } else if (c == '[') {
        int[] at = {i};
        out = copyClass(out, regex, at);
        i = at[0];
      } else {
        out = copy(out, regex, i, i + 1);
        i++;
      }
    }
    return out == null ? regex : out.toString();
  }

  /** Copies the class at {@code at[0]} (its {@code [}) up to and with its {@code ]}; moves {@code at[0]} past it. */
  private static StringBuilder copyClass(StringBuilder out, String regex, int[] at) {
    int n = regex.length();
    int i = at[0] + 1;
    if (i < n && regex.charAt(i) == '^') {
      i++;
    }
    out = copy(out, regex, at[0], i);
    boolean first = true; // a ']' first in the class is a literal
    while (i < n && (regex.charAt(i) != ']' || first)) {
      first = false;
      if (regex.startsWith("[:", i)) {
        int name = regex.indexOf(":]", i + 2);
        if (name >= 0) {
          out = copy(out, regex, i, name + 2); // a POSIX class such as [:alpha:], read alone the same way
          i = name + 2;
        } else {
          out = rewrite(out, regex, i).append("\\[");
          i++;
        }
        continue;
      }
      char c = regex.charAt(i);
      if (c == '\\' && i + 1 < n && "pPdDsSwW".indexOf(regex.charAt(i + 1)) >= 0) {
        int next = classEscapeEnd(regex, i); // \pL, \p{Greek}, \d: a class of its own, never a range's end
        out = copy(out, regex, i, next);
        i = next;
        continue;
      }
      int next = classCharEnd(regex, i);
      if (next + 1 < n && regex.charAt(next) == '-' && regex.charAt(next + 1) != ']') {
        next = classCharEnd(regex, next + 1); // a range: its end is one character, even a '['
      }
      out = copy(out, regex, i, next);
      i = next;
    }
    int end = Math.min(n, i + 1);
    out = copy(out, regex, i, end);
    at[0] = end;
    return out;
  }

  /** Where the {@code \p}, {@code \P} or Perl class escape at {@code i} ends. */
  private static int classEscapeEnd(String regex, int i) {
    char kind = regex.charAt(i + 1);
    if ((kind == 'p' || kind == 'P') && i + 2 < regex.length() && regex.charAt(i + 2) == '{') {
      int close = regex.indexOf('}', i + 3);
      return close < 0 ? regex.length() : close + 1;
    }
    return Math.min(regex.length(), i + (kind == 'p' || kind == 'P' ? 3 : 2));
  }

  /** Where the one class character at {@code i} ends: itself, or an escape ({@code \x{...}} whole). */
  private static int classCharEnd(String regex, int i) {
    int n = regex.length();
    if (regex.charAt(i) != '\\' || i + 1 >= n) {
      return i + 1;
    }
    if (regex.charAt(i + 1) == 'x' && i + 2 < n && regex.charAt(i + 2) == '{') {
      int close = regex.indexOf('}', i + 3);
      return close < 0 ? n : close + 1;
    }
    return i + 2; // the digits of \x41 or \123 that follow are plain characters to this walk
  }

  /** Nothing is built until the first change; from then on every piece is appended. */
  private static StringBuilder copy(StringBuilder out, String regex, int from, int to) {
    return out == null ? null : out.append(regex, from, to);
  }

  private static StringBuilder rewrite(StringBuilder out, String regex, int at) {
    return out != null ? out : new StringBuilder(regex.length() + 8).append(regex, 0, at);
  }
}
