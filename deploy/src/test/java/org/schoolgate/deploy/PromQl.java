package org.schoolgate.deploy;

import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The metric names a PromQL expression selects, found by reading it token by token as the
 * Prometheus grammar has it: string literals, label matchers ({@code {...}}), ranges and
 * subqueries ({@code [...]}) and Grafana variables ({@code $x}, {@code ${x}}) are skipped;
 * an identifier followed by {@code (} is a function or aggregation; the label lists after
 * {@code by}, {@code without}, {@code on}, {@code ignoring}, {@code group_left} and {@code
 * group_right} are labels, not metrics; keywords, {@code offset}'s duration, numbers, {@code Inf}
 * and {@code NaN} are not names. Whatever identifier is left is a metric name.
 */
final class PromQl {
  private static final Set<String> AGGREGATIONS = Set.of("sum", "min", "max", "avg", "group", "stddev", "stdvar",
      "count", "count_values", "bottomk", "topk", "quantile", "limitk", "limit_ratio");
  private static final Set<String> LABEL_LISTS = Set.of("by", "without", "on", "ignoring", "group_left",
      "group_right");
  private static final Set<String> KEYWORDS = Set.of("bool", "and", "or", "unless", "atan2", "inf", "nan");

  private PromQl() {}

  static Set<String> metricNames(String expr) {
    Set<String> names = new LinkedHashSet<>();
    int i = 0;
    int n = expr.length();
    while (i < n) {
      char c = expr.charAt(i);
      if (c == '"' || c == '\'' || c == '`') {
        i = skipString(expr, i);
      } else if (c == '{') {
        i = skipTo(expr, i, '}');
      } else if (c == '[') {
        i = skipTo(expr, i, ']');
      } else if (c == '$') {
        i++;
        if (i < n && expr.charAt(i) == '{') {
          i = skipTo(expr, i, '}');
        } else {
          while (i < n && isNameChar(expr.charAt(i))) {
            i++;
          }
        }
      } else if (Character.isDigit(c) || (c == '.' && i + 1 < n && Character.isDigit(expr.charAt(i + 1)))) {
        while (i < n && (Character.isLetterOrDigit(expr.charAt(i)) || expr.charAt(i) == '.')) {
          i++; // numbers, 1e3, 0x1f, and durations such as 5m
        }
      } else if (isNameStart(c)) {
        int start = i;
        while (i < n && isNameChar(expr.charAt(i))) {
          i++;
        }
        String word = expr.substring(start, i);
        int next = skipSpace(expr, i);
        String lower = word.toLowerCase(java.util.Locale.ROOT);
        if (LABEL_LISTS.contains(lower)) {
          if (next < n && expr.charAt(next) == '(') {
            i = skipTo(expr, next, ')');
          }
        } else if (lower.equals("offset")) {
          i = next;
          if (i < n && expr.charAt(i) == '-') {
            i++;
          }
          while (i < n && Character.isLetterOrDigit(expr.charAt(i))) {
            i++;
          }
        } else if (next < n && expr.charAt(next) == '(') {
          // a function or aggregation: its arguments are read on
        } else if (!AGGREGATIONS.contains(lower) && !KEYWORDS.contains(lower)) {
          names.add(word);
        }
      } else {
        i++;
      }
    }
    return names;
  }

  private static boolean isNameStart(char c) {
    return Character.isLetter(c) || c == '_' || c == ':';
  }

  private static boolean isNameChar(char c) {
    return Character.isLetterOrDigit(c) || c == '_' || c == ':';
  }

  private static int skipSpace(String s, int i) {
    while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
      i++;
    }
    return i;
  }

  /** Past the string literal starting at {@code i} (backslash escapes in "" and ''; none in ``). */
  private static int skipString(String s, int i) {
    char quote = s.charAt(i++);
    while (i < s.length() && s.charAt(i) != quote) {
      i += quote != '`' && s.charAt(i) == '\\' ? 2 : 1;
    }
    return i + 1;
  }

  /** Past the {@code close} matching the opener at {@code i}, stepping over strings and nesting. */
  private static int skipTo(String s, int i, char close) {
    char open = s.charAt(i);
    int depth = 0;
    while (i < s.length()) {
      char c = s.charAt(i);
      if (c == '"' || c == '\'' || c == '`') {
        i = skipString(s, i);
        continue;
      }
      if (c == open) {
        depth++;
      } else if (c == close && --depth == 0) {
        return i + 1;
      }
      i++;
    }
    throw new IllegalArgumentException("unbalanced " + open + " in PromQL: " + s);
  }
}
