package org.schoolgate.policy.search;

import java.util.Objects;

/**
 * A theme a text matched, with the list entry that matched it.
 *
 * @param theme the theme
 * @param phrase the entry as written in its list, e.g. {@code kill myself}
 */
public record ThemeMatch(Theme theme, String phrase) {
  public ThemeMatch {
    Objects.requireNonNull(theme, "theme");
    Objects.requireNonNull(phrase, "phrase");
  }
}
