package org.schoolgate.policy.compile;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.schoolgate.policy.index.CategorySets;
import org.schoolgate.policy.url.UrlParser;

/**
 * squidGuard {@code expressions}: regular expressions over the URL, asked only when the domain
 * index matched no category.
 *
 * <p>Design notes. Patterns are compiled once per snapshot with RE2/J, whose matching is linear
 * in the URL's length whatever the pattern, so a hostile or careless expression cannot stall an
 * event loop (catastrophic backtracking is impossible). RE2/J rejects backreferences and
 * look-around, and {@link FoldGuard} refuses the few patterns RE2/J cannot case-fold in bounded
 * time; such a line is reported as invalid with file:line when the list is read. A
 * category's expressions become one alternation, and all categories' expressions one more
 * alternation, so the common case (no expression matches) costs a single linear scan; only a URL
 * that matches is tried against each category. Matching is case-insensitive and unanchored
 * ({@code find}), as in squidGuard. In front of RE2/J a {@link LiteralPrefilter} rules out, in one
 * allocation-free pass, URLs that contain none of the literals every match needs.
 *
 * <p>The text matched is the normalised host (lower case, no scheme, userinfo, port or trailing
 * dot) followed directly by the request's path and query as the parser produced them, e.g.
 * {@code www.example.com/search?q=cache}; for a CONNECT it is the host alone.
 *
 * <p>The prefilter runs before the host is normalised, so a URL it rules out allocates nothing
 * whatever the host's form (upper case, port, trailing dot, {@code www.} before an IP address).
 * A URL it cannot rule out allocates (the normalised host when it differs, the URL string and
 * RE2/J's matcher state); this path runs only for requests no domain entry decided, and only when
 * some category has expressions.
 */
final class ExpressionMatcher {
  static final ExpressionMatcher NONE = new ExpressionMatcher(null, null, new Pattern[0], new int[0], 0);

  private final Pattern any;
  private final LiteralPrefilter prefilter;
  private final Pattern[] patterns;
  private final int[] singleSets;
  private final int expressionCount;

  private ExpressionMatcher(Pattern any, LiteralPrefilter prefilter, Pattern[] patterns, int[] singleSets,
      int expressionCount) {
    this.any = any;
    this.prefilter = prefilter;
    this.patterns = patterns;
    this.singleSets = singleSets;
    this.expressionCount = expressionCount;
  }

  /**
   * Returns {@code regex} as it will be used if RE2/J can use it; throws with the reason otherwise.
   * The form returned is self-contained, so it keeps its meaning inside the alternation of a
   * category's expressions: a literal quote {@code \Q} left open to the end of the line (which
   * alone quotes the rest of the line) is closed with {@code \E}, instead of quoting the
   * alternation's {@code )|(?:} and every expression after it. An expression that still does not
   * combine, with itself as with any other, is refused: a named group ({@code (?P<name>...)}), since
   * two expressions naming the same group make the alternation fail to compile.
   */
  static String check(String regex) {
    String problem = FoldGuard.problem(regex);
    if (problem != null) {
      throw new IllegalArgumentException("not a usable expression: " + problem);
    }
    try {
      Pattern.compile(regex, Pattern.CASE_INSENSITIVE);
    } catch (PatternSyntaxException e) {
      throw new IllegalArgumentException("not a usable expression (" + e.getDescription()
          + "; backreferences and look-around are not supported)", e);
    }
    String closed = closeQuote(regex);
    try {
      Pattern.compile("(?:" + closed + ")|(?:" + closed + ")", Pattern.CASE_INSENSITIVE);
      return closed;
    } catch (PatternSyntaxException e) {
      String why = e.getDescription().contains("duplicate capture group name")
          ? "named groups such as (?P<name>...) are not supported; write (?:...)"
          : e.getDescription();
      throw new IllegalArgumentException("not a usable expression beside others (" + why + ")", e);
    }
  }

  /**
   * {@code regex} with {@code \E} added when a {@code \Q} quote is still open at its end (RE2/J
   * ends a quote at the first {@code \E} after it, or at the end of the pattern).
   */
  static String closeQuote(String regex) {
    int i = 0;
    while (i < regex.length()) {
      if (regex.charAt(i) != '\\' || i + 1 >= regex.length()) {
        i++;
      } else if (regex.charAt(i + 1) == 'Q') {
        int end = regex.indexOf("\\E", i + 2);
        if (end < 0) {
          return regex + "\\E";
        }
        i = end + 2;
      } else {
        i += 2;
      }
    }
    return regex;
  }

  /** True when no category has expressions. */
  boolean isEmpty() {
    return any == null;
  }

  /** How many distinct expressions there are. */
  int count() {
    return expressionCount;
  }

  /**
   * The id in {@code sets} of the categories whose expressions match {@code host} + {@code path},
   * or {@link CategorySets#EMPTY}.
   */
  int match(String host, String path, CategorySets<?> sets) {
    if (any == null) {
      return CategorySets.EMPTY;
    }
    if (!mayMatch(host, path)) {
      return CategorySets.EMPTY;
    }
    String normal;
    try {
      normal = UrlParser.normalizeHost(host);
    } catch (IllegalArgumentException e) {
      return CategorySets.EMPTY;
    }
    String url = normal + path;
    if (!any.matcher(url).find()) {
      return CategorySets.EMPTY;
    }
    int id = CategorySets.EMPTY;
    for (int i = 0; i < patterns.length; i++) {
      if (patterns[i].matcher(url).find()) {
        id = id == CategorySets.EMPTY ? singleSets[i] : sets.union(id, singleSets[i]);
      }
    }
    return id;
  }

  /**
   * The prefilter's answer without normalising {@code host} (which allocates unless the host is
   * already normal): a normal host is scanned as it is; a plain name whose normal form is its
   * lower case without a port or one trailing dot is scanned up to those, case-insensitively; for
   * any other host (IP literals in other forms, percent-escapes, IDN) only the path is asked.
   */
  private boolean mayMatch(String host, String path) {
    if (UrlParser.isNormalDomain(host)) {
      return prefilter.mayMatch(host, host.length(), path);
    }
    int end = host.indexOf(':');
    if (end < 0) {
      end = host.length();
    } else if (host.indexOf(':', end + 1) >= 0) {
      return prefilter.mayMatchAnyHost(path, false); // IPv6
    }
    if (end > 0 && host.charAt(end - 1) == '.') {
      end--;
    }
    if (end == 0 || host.charAt(end - 1) == '.') {
      return prefilter.mayMatchAnyHost(path, false); // invalid, or a second trailing dot
    }
    for (int i = 0; i < end; i++) {
      char c = host.charAt(i);
      if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_'
          || c == '.')) {
        return prefilter.mayMatchAnyHost(path, false);
      }
    }
    if (endsInNumber(host, end)) {
      return prefilter.mayMatchAnyHost(path, true); // a dotted quad once normal, or invalid
    }
    return prefilter.mayMatch(host, end, path);
  }

  /** The WHATWG "ends in a number" test on {@code host[0, end)}: last label all digits or 0x hex. */
  private static boolean endsInNumber(String host, int end) {
    int start = host.lastIndexOf('.', end - 1) + 1;
    if (start >= end) {
      return false;
    }
    boolean hex = end - start >= 2 && host.charAt(start) == '0' && (host.charAt(start + 1) | 0x20) == 'x';
    for (int i = hex ? start + 2 : start; i < end; i++) {
      char c = host.charAt(i);
      boolean ok = c >= '0' && c <= '9' || hex && ((c | 0x20) >= 'a' && (c | 0x20) <= 'f');
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  /** Collects expressions per category; not thread-safe. */
  static final class Builder {
    private final Map<Integer, Set<String>> byCategory = new TreeMap<>();

    /** Adds a checked expression; false when the category already had it. */
    boolean add(int category, String regex) {
      return byCategory.computeIfAbsent(category, c -> new LinkedHashSet<>()).add(regex);
    }

    ExpressionMatcher build(CategorySets<?> sets) {
      if (byCategory.isEmpty()) {
        return NONE;
      }
      List<Pattern> patterns = new ArrayList<>();
      int[] singleSets = new int[byCategory.size()];
      List<String> all = new ArrayList<>();
      List<String> each = new ArrayList<>();
      int i = 0;
      int total = 0;
      for (Map.Entry<Integer, Set<String>> e : byCategory.entrySet()) {
        String alternation = alternation(e.getValue());
        patterns.add(Pattern.compile(alternation, Pattern.CASE_INSENSITIVE));
        all.add(alternation);
        singleSets[i] = sets.intern(new int[] {e.getKey()});
        total += e.getValue().size();
        each.addAll(e.getValue());
        i++;
      }
      return new ExpressionMatcher(Pattern.compile(alternation(all), Pattern.CASE_INSENSITIVE),
          LiteralPrefilter.of(each), patterns.toArray(new Pattern[0]), singleSets, total);
    }

    private static String alternation(Collection<String> regexes) {
      return regexes.stream().map(r -> "(?:" + r + ")").collect(Collectors.joining("|"));
    }
  }
}
