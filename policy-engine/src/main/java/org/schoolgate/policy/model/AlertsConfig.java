package org.schoolgate.policy.model;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.schoolgate.policy.search.SearchEngine;
import org.schoolgate.policy.search.Severity;
import org.schoolgate.policy.search.Theme;

/**
 * The policy's {@code alerts:} section: thresholds and windows of the alert rules, the school's
 * own search sites, and per safeguarding theme its severity, whether it alerts, and the school's
 * keyword lists (added to the starter lists). Every key is optional; without the section the
 * defaults apply ({@link #DEFAULTS}).
 *
 * <pre>{@code
 * alerts:
 *   repeated: { threshold: 5, window: 10m, categories: { extremism: 3 } }
 *   burst: { threshold: 30, window: 2m }
 *   circumvention: { window: 10m }
 *   downloads: { threshold: 3, window: 10m, at-once: [script], to: technicians }
 *   search-engines: [ { host: search.example.org, parameter: q, path: /find } ]
 *   themes:
 *     self-harm: { severity: critical, lists: [lists/keywords-self-harm-extra.txt] }
 *     bullying: { severity: warning, enabled: true }
 * }</pre>
 *
 * @param repeatThreshold blocked requests by one person in one category within the window that alert
 * @param repeatThresholds per-category thresholds (replace the default {@code extremism: 3} when given)
 * @param repeatWindow the repeated-attempts window
 * @param burstThreshold blocked requests by one person (any category) within the burst window that alert
 * @param burstWindow the burst window
 * @param circumventionWindow one circumvention alert per person per this long
 * @param searchEngines the school's search sites besides the built-in ones
 * @param themes per theme (every theme present)
 * @param downloads when blocked downloads alert, and whom ({@code alerts.downloads})
 */
public record AlertsConfig(int repeatThreshold, Map<String, Integer> repeatThresholds, Duration repeatWindow,
    int burstThreshold, Duration burstWindow, Duration circumventionWindow, List<SearchEngine> searchEngines,
    Map<Theme, ThemeConfig> themes, org.schoolgate.policy.search.DownloadAlerts downloads) {

  /** 5 in 10 minutes (extremism 3), burst 30 in 2 minutes, circumvention per 10 minutes, every theme on. */
  public static final AlertsConfig DEFAULTS = new AlertsConfig(5, Map.of("extremism", 3), Duration.ofMinutes(10),
      30, Duration.ofMinutes(2), Duration.ofMinutes(10), List.of(), Map.of(),
      org.schoolgate.policy.search.DownloadAlerts.DEFAULTS);

  public AlertsConfig {
    Objects.requireNonNull(repeatThresholds, "repeatThresholds");
    Objects.requireNonNull(repeatWindow, "repeatWindow");
    Objects.requireNonNull(burstWindow, "burstWindow");
    Objects.requireNonNull(circumventionWindow, "circumventionWindow");
    Objects.requireNonNull(downloads, "downloads");
    repeatThresholds = Collections.unmodifiableMap(new java.util.LinkedHashMap<>(repeatThresholds));
    searchEngines = List.copyOf(searchEngines);
    Map<Theme, ThemeConfig> all = new EnumMap<>(Theme.class);
    for (Theme t : Theme.values()) {
      all.put(t, ThemeConfig.defaultsOf(t));
    }
    all.putAll(themes);
    themes = Collections.unmodifiableMap(all);
    if (repeatThreshold < 1 || burstThreshold < 1 || repeatThresholds.values().stream().anyMatch(n -> n < 1)) {
      throw new IllegalArgumentException("alerts: thresholds must be 1 or more (expected: e.g. threshold: 5)");
    }
    for (Duration d : List.of(repeatWindow, burstWindow, circumventionWindow)) {
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException("alerts: window " + d + " is not positive (expected: e.g. 10m)");
      }
    }
  }

  /**
   * One theme's settings.
   *
   * @param severity the severity of its alerts
   * @param enabled false: its terms raise no alert
   * @param lists the school's keyword files, added to the starter list (resolved against the policy's directory)
   */
  public record ThemeConfig(Severity severity, boolean enabled, List<Path> lists) {
    public ThemeConfig {
      Objects.requireNonNull(severity, "severity (expected: critical, warning or info)");
      lists = List.copyOf(lists);
    }

    /** The theme's default severity, enabled, no school lists. */
    public static ThemeConfig defaultsOf(Theme theme) {
      return new ThemeConfig(theme.defaultSeverity(), true, List.of());
    }
  }
}
