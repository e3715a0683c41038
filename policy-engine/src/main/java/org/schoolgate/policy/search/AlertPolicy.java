package org.schoolgate.policy.search;

import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The compiled {@code alerts:} section: the alert rules' thresholds and windows, each theme's
 * severity, and the compiled {@link ThemeMatcher} (starter lists plus the school's). Immutable;
 * read from {@code PolicySnapshot.alertPolicy()} per event, so a reload changes the rules at once.
 *
 * @param repeatThreshold blocked requests by one person in one category within {@code repeatWindow}
 *     that raise a repeated-attempts alert
 * @param repeatThresholds per-category overrides of {@code repeatThreshold}
 * @param repeatWindow the repeated-attempts window
 * @param burstThreshold blocked requests (any category) by one person within {@code burstWindow}
 *     that raise a block-burst alert
 * @param burstWindow the burst window
 * @param circumventionWindow one circumvention alert per person per this long
 * @param themes every theme's setting
 * @param matcher the enabled themes' keyword lists, compiled
 * @param downloads when blocked downloads alert, and whom
 */
public record AlertPolicy(int repeatThreshold, Map<String, Integer> repeatThresholds, Duration repeatWindow,
    int burstThreshold, Duration burstWindow, Duration circumventionWindow, Map<Theme, ThemeSetting> themes,
    ThemeMatcher matcher, DownloadAlerts downloads) {

  /** A policy with the default download alerts ({@link DownloadAlerts#DEFAULTS}). */
  public AlertPolicy(int repeatThreshold, Map<String, Integer> repeatThresholds, Duration repeatWindow,
      int burstThreshold, Duration burstWindow, Duration circumventionWindow, Map<Theme, ThemeSetting> themes,
      ThemeMatcher matcher) {
    this(repeatThreshold, repeatThresholds, repeatWindow, burstThreshold, burstWindow, circumventionWindow, themes,
        matcher, DownloadAlerts.DEFAULTS);
  }

  public AlertPolicy {
    positive(repeatThreshold, "alerts.repeated.threshold");
    repeatThresholds = Map.copyOf(Objects.requireNonNull(repeatThresholds, "repeatThresholds"));
    repeatThresholds.forEach((category, n) -> positive(n, "alerts.repeated.categories." + category));
    positive(repeatWindow, "alerts.repeated.window");
    positive(burstThreshold, "alerts.burst.threshold");
    positive(burstWindow, "alerts.burst.window");
    positive(circumventionWindow, "alerts.circumvention.window");
    Map<Theme, ThemeSetting> all = new EnumMap<>(Theme.class);
    for (Theme t : Theme.values()) {
      all.put(t, new ThemeSetting(t.defaultSeverity(), true));
    }
    all.putAll(Objects.requireNonNull(themes, "themes"));
    themes = java.util.Collections.unmodifiableMap(all);
    Objects.requireNonNull(matcher, "matcher");
    Objects.requireNonNull(downloads, "downloads (expected: DownloadAlerts.DEFAULTS or the policy's alerts.downloads)");
  }

  /**
   * The built-in defaults with the starter lists: repeated 5 in 10 minutes (extremism 3), burst
   * 30 in 2 minutes, circumvention once per 10 minutes, every theme on, self-harm, extremism and
   * grooming critical, the others warning.
   */
  public static AlertPolicy defaults() {
    return Defaults.POLICY;
  }

  /** The starter lists of every theme, compiled (the defaults' matcher). */
  public static ThemeMatcher starterMatcher() {
    return Defaults.POLICY.matcher;
  }

  /** The threshold for {@code category}. */
  public int thresholdFor(String category) {
    return repeatThresholds.getOrDefault(category, repeatThreshold);
  }

  /** {@code theme}'s setting. */
  public ThemeSetting setting(Theme theme) {
    return themes.get(theme);
  }

  /** The enabled themes {@code term} matches (see {@link ThemeMatcher#match}). */
  public List<ThemeMatch> match(String term) {
    return matcher.match(term);
  }

  private static void positive(int n, String field) {
    if (n < 1) {
      throw new IllegalArgumentException(field + " is " + n + " (expected: a whole number, 1 or more)");
    }
  }

  private static void positive(Duration d, String field) {
    if (d == null || d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(field + " is " + d + " (expected: a positive duration, e.g. 10m)");
    }
  }

  private static final class Defaults {
    static final AlertPolicy POLICY = build();

    private static AlertPolicy build() {
      Map<Theme, List<String>> lists = new EnumMap<>(Theme.class);
      for (Theme t : Theme.values()) {
        lists.put(t, KeywordList.starter(t));
      }
      return new AlertPolicy(5, Map.of("extremism", 3), Duration.ofMinutes(10), 30, Duration.ofMinutes(2),
          Duration.ofMinutes(10), Map.of(), ThemeMatcher.compile(lists));
    }
  }
}
