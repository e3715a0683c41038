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
 * look-around; such a line is reported as invalid with file:line when the list is read. A
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
 * <p>A URL the prefilter cannot rule out allocates (the URL string and RE2/J's matcher state); this
 * path runs only for requests no domain entry decided, and only when some category has expressions.
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

  /** Returns {@code regex} if RE2/J can use it; throws with the reason otherwise. */
  static String check(String regex) {
    try {
      Pattern.compile(regex, Pattern.CASE_INSENSITIVE);
      return regex;
    } catch (PatternSyntaxException e) {
      throw new IllegalArgumentException("not a usable expression (" + e.getDescription()
          + "; backreferences and look-around are not supported)", e);
    }
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
    String normal;
    try {
      normal = UrlParser.normalizeHost(host);
    } catch (IllegalArgumentException e) {
      return CategorySets.EMPTY;
    }
    if (!prefilter.mayMatch(normal, path)) {
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
