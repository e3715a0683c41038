package org.schoolgate.policy.compile;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A quick "cannot match" test in front of the expressions: literals at least one of which every
 * match must contain (case-insensitively), found by a conservative reading of each pattern.
 *
 * <p>Design notes. RE2/J's unanchored search costs microseconds per URL; most URLs contain none of
 * the literals the expressions need ({@code /banner/}, {@code /search?q=}, ...), and scanning for
 * them is a single pass over the URL's characters. The reader understands the common syntax
 * (literals, escapes of punctuation, {@code .}, classes, groups, alternation, quantifiers, anchors
 * and {@code \d}-style classes) and gives up on anything else; when it gives up on any pattern,
 * or a URL has a non-ASCII character (Unicode case folding), the prefilter answers "maybe" and
 * RE2/J decides. It may answer "maybe" wrongly (RE2/J then says no), never "no" wrongly: a
 * literal of an alternation counts only when every branch has one, a quantified atom only when
 * it must occur at least once.
 *
 * <p>The URL's host is normalised, but normalising a host that is not already normal allocates.
 * For such a host {@link #mayMatchAnyHost} looks at the path alone: a normalised host holds only
 * {@code [a-z0-9._:-]} (a dotted quad only {@code [0-9.]}), so from its first character outside
 * that set a literal must lie in the path.
 */
final class LiteralPrefilter {
  /** The characters a normalised domain or IPv6 host can hold. */
  private static final String HOST_CHARS = "abcdefghijklmnopqrstuvwxyz0123456789-_.:";
  /** The characters a normalised IPv4 host (a dotted quad) can hold. */
  private static final String IPV4_CHARS = "0123456789.";

  /** The literals themselves: for host + path when the normalised host is known. */
  private final Table whole;
  /** Each literal from its first character no normalised host can hold: for the path alone. */
  private final Table pathTails;
  /** The same for a host that normalises to a dotted quad (or is invalid). */
  private final Table ipv4PathTails;

  private LiteralPrefilter(Table whole, Table pathTails, Table ipv4PathTails) {
    this.whole = whole;
    this.pathTails = pathTails;
    this.ipv4PathTails = ipv4PathTails;
  }

  /** A prefilter for these patterns; one that always says "maybe" when any cannot be read. */
  static LiteralPrefilter of(List<String> patterns) {
    Set<String> all = new HashSet<>();
    for (String p : patterns) {
      Set<String> lits = necessaryLiterals(p);
      if (lits == null) {
        return new LiteralPrefilter(Table.ALWAYS, Table.ALWAYS, Table.ALWAYS);
      }
      all.addAll(lits);
    }
    return new LiteralPrefilter(Table.of(all), Table.of(tails(all, HOST_CHARS)), Table.of(tails(all, IPV4_CHARS)));
  }

  /**
   * Each literal from its first character outside {@code hostChars}, or "" when it has none. A
   * match of a literal in host + path puts that character, and all after it, in the path.
   */
  private static Set<String> tails(Set<String> literals, String hostChars) {
    Set<String> out = new HashSet<>();
    for (String lit : literals) {
      int k = 0;
      while (k < lit.length() && hostChars.indexOf(lit.charAt(k)) >= 0) {
        k++;
      }
      out.add(lit.substring(k));
    }
    return out;
  }

  /** False only when no pattern can match {@code host + path}. Allocates nothing. */
  boolean mayMatch(String host, String path) {
    return whole.find(host, host.length(), path);
  }

  /**
   * False only when no pattern can match {@code host[0, hostLength)}, lower-cased, followed by
   * {@code path}: lets a caller test a host with a port or a trailing dot without cutting it.
   * Allocates nothing.
   */
  boolean mayMatch(CharSequence host, int hostLength, String path) {
    return whole.find(host, hostLength, path);
  }

  /**
   * False only when no pattern can match any normalised host followed by {@code path}; with
   * {@code ipv4}, any dotted-quad host. For a host whose normal form is not known without
   * allocating. Allocates nothing.
   */
  boolean mayMatchAnyHost(String path, boolean ipv4) {
    return (ipv4 ? ipv4PathTails : pathTails).find("", 0, path);
  }

  /** Literals by their first (lower-case ASCII) character; {@link #ALWAYS} answers "maybe". */
  private static final class Table {
    static final Table ALWAYS = new Table(null);

    private final String[][] byFirst;

    private Table(String[][] byFirst) {
      this.byFirst = byFirst;
    }

    static Table of(Set<String> literals) {
      if (literals.contains("")) {
        return ALWAYS;
      }
      List<List<String>> lists = new ArrayList<>();
      for (int i = 0; i < 128; i++) {
        lists.add(new ArrayList<>());
      }
      for (String lit : literals) {
        lists.get(lit.charAt(0)).add(lit);
      }
      String[][] byFirst = new String[128][];
      for (int i = 0; i < 128; i++) {
        byFirst[i] = lists.get(i).isEmpty() ? null : lists.get(i).toArray(new String[0]);
      }
      return new Table(byFirst);
    }

    boolean find(CharSequence host, int hostLength, String path) {
      if (byFirst == null) {
        return true;
      }
      int n = hostLength + path.length();
      for (int i = 0; i < n; i++) {
        char c = charAt(host, hostLength, path, i);
        if (c >= 128) {
          return true;
        }
        String[] candidates = byFirst[lower(c)];
        if (candidates != null) {
          for (String lit : candidates) {
            if (matchesAt(host, hostLength, path, i, lit)) {
              return true;
            }
          }
        }
      }
      return false;
    }

    private static boolean matchesAt(CharSequence host, int hostLength, String path, int at, String lit) {
      if (at + lit.length() > hostLength + path.length()) {
        return false;
      }
      for (int k = 0; k < lit.length(); k++) {
        char c = charAt(host, hostLength, path, at + k);
        if (c >= 128 || lower(c) != lit.charAt(k)) {
          return false;
        }
      }
      return true;
    }

    private static char charAt(CharSequence host, int hostLength, String path, int i) {
      return i < hostLength ? host.charAt(i) : path.charAt(i - hostLength);
    }

    private static char lower(char c) {
      return c >= 'A' && c <= 'Z' ? (char) (c + 32) : c;
    }
  }

  /** Lower-case literals one of which every match of {@code regex} contains; null if unknown. */
  static Set<String> necessaryLiterals(String regex) {
    try {
      Reader r = new Reader(regex);
      Set<String> lits = r.alternation();
      return r.pos == regex.length() ? lits : null;
    } catch (GiveUp e) {
      return null;
    }
  }

  /** Thrown when the pattern uses syntax the reader does not understand. */
  private static final class GiveUp extends Exception {
    private static final long serialVersionUID = 1L;

    GiveUp() {
      super(null, null, false, false);
    }
  }

  /** A recursive-descent reading of the pattern; each method returns necessary literals or null (none known). */
  private static final class Reader {
    private final String s;
    private int pos;

    Reader(String s) {
      this.s = s;
    }

    Set<String> alternation() throws GiveUp {
      Set<String> union = new HashSet<>();
      boolean known = true;
      while (true) {
        Set<String> branch = concatenation();
        if (branch == null) {
          known = false;
        } else {
          union.addAll(branch);
        }
        if (pos < s.length() && s.charAt(pos) == '|') {
          pos++;
          continue;
        }
        return known && !union.isEmpty() ? union : null;
      }
    }

    private Set<String> concatenation() throws GiveUp {
      Set<String> best = null;
      StringBuilder run = new StringBuilder();
      while (pos < s.length() && s.charAt(pos) != '|' && s.charAt(pos) != ')') {
        char c = s.charAt(pos);
        Set<String> item;
        int literal = -1;
        if (c == '(') {
          pos++;
          groupPrefix();
          item = alternation();
          expect(')');
        } else if (c == '[') {
          skipClass();
          item = null;
        } else if (c == '.') {
          pos++;
          item = null;
        } else if (c == '^' || c == '$') {
          pos++;
          best = better(best, flush(run));
          continue;
        } else if (c == '\\') {
          literal = escape();
          item = null;
        } else if (c == '*' || c == '+' || c == '?' || c == '{') {
          throw new GiveUp(); // a quantifier with nothing to repeat
        } else if (c < 128) {
          pos++;
          literal = c;
          item = null;
        } else {
          throw new GiveUp();
        }
        int min = quantifier();
        if (literal >= 0) {
          // a literal character: absent (min 0) ends the run before it; repeated, it ends the run after it
          if (min == 0) {
            best = better(best, flush(run));
          } else {
            run.append(Character.toLowerCase((char) literal));
            if (repeatedMore) {
              best = better(best, flush(run));
            }
          }
          continue;
        }
        best = better(best, flush(run));
        if (min != 0 && item != null) {
          best = better(best, item);
        }
      }
      return better(best, flush(run));
    }

    private static final int ESCAPE_CLASS = -2;
    private static final int ESCAPE_ASSERTION = -3;
    private boolean repeatedMore;

    /**
     * Reads a quantifier after an atom: -1 none, 0 may be absent, 1 present at least once.
     * {@link #repeatedMore} tells whether it may repeat (so a literal run cannot continue past it).
     */
    private int quantifier() throws GiveUp {
      repeatedMore = false;
      if (pos >= s.length()) {
        return -1;
      }
      char c = s.charAt(pos);
      int min;
      if (c == '*' || c == '?') {
        min = 0;
        pos++;
      } else if (c == '+') {
        min = 1;
        repeatedMore = true;
        pos++;
      } else if (c == '{') {
        int close = s.indexOf('}', pos);
        if (close < 0) {
          throw new GiveUp();
        }
        String body = s.substring(pos + 1, close);
        if (!body.matches("[0-9]+(,[0-9]*)?")) {
          throw new GiveUp();
        }
        int comma = body.indexOf(',');
        int lo = Integer.parseInt(comma < 0 ? body : body.substring(0, comma));
        min = lo == 0 ? 0 : 1;
        repeatedMore = comma >= 0 || lo > 1;
        pos = close + 1;
      } else {
        return -1;
      }
      if (pos < s.length() && (s.charAt(pos) == '?' || s.charAt(pos) == '+')) {
        pos++; // lazy or possessive
      }
      return min;
    }

    private void groupPrefix() throws GiveUp {
      if (pos < s.length() && s.charAt(pos) == '?') {
        if (s.startsWith("?:", pos)) {
          pos += 2;
        } else if (s.startsWith("?P<", pos)) {
          int close = s.indexOf('>', pos);
          if (close < 0) {
            throw new GiveUp();
          }
          pos = close + 1;
        } else {
          throw new GiveUp(); // flags and anything else
        }
      }
    }

    private void expect(char c) throws GiveUp {
      if (pos >= s.length() || s.charAt(pos) != c) {
        throw new GiveUp();
      }
      pos++;
    }

    private void skipClass() throws GiveUp {
      int i = pos + 1;
      if (i < s.length() && s.charAt(i) == '^') {
        i++;
      }
      if (i < s.length() && s.charAt(i) == ']') {
        i++;
      }
      while (i < s.length() && s.charAt(i) != ']') {
        if (s.charAt(i) == '\\') {
          i++;
        } else if (s.charAt(i) == '[') {
          throw new GiveUp(); // [[:alpha:]] and the like
        }
        i++;
      }
      if (i >= s.length()) {
        throw new GiveUp();
      }
      pos = i + 1;
    }

    /** Reads an escape: the literal character, or {@link #ESCAPE_CLASS} / {@link #ESCAPE_ASSERTION}. */
    private int escape() throws GiveUp {
      if (pos + 1 >= s.length()) {
        throw new GiveUp();
      }
      char e = s.charAt(pos + 1);
      pos += 2;
      if ("dDwWsS".indexOf(e) >= 0) {
        return ESCAPE_CLASS;
      }
      if ("bBAz".indexOf(e) >= 0) {
        return ESCAPE_ASSERTION;
      }
      if (e < 128 && !Character.isLetterOrDigit(e)) {
        return e;
      }
      throw new GiveUp(); // \x41, \p{L}, \Q...\E, \1 and the like
    }

    private static Set<String> flush(StringBuilder run) {
      if (run.length() == 0) {
        return null;
      }
      Set<String> one = Set.of(run.toString().toLowerCase(Locale.ROOT));
      run.setLength(0);
      return one;
    }

    /** The set whose shortest literal is longest (fewer false "maybe"s). */
    private static Set<String> better(Set<String> a, Set<String> b) {
      if (a == null) {
        return b;
      }
      if (b == null) {
        return a;
      }
      return shortest(b) > shortest(a) ? b : a;
    }

    private static int shortest(Set<String> set) {
      int min = Integer.MAX_VALUE;
      for (String x : set) {
        min = Math.min(min, x.length());
      }
      return min;
    }
  }
}
