package org.schoolgate.policy.compile;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.schoolgate.policy.PolicyError;
import org.schoolgate.policy.model.AlertsConfig;
import org.schoolgate.policy.search.AlertPolicy;
import org.schoolgate.policy.search.KeywordList;
import org.schoolgate.policy.search.Theme;
import org.schoolgate.policy.search.ThemeMatcher;
import org.schoolgate.policy.search.ThemeSetting;

/** Compiles the {@code alerts:} section: the starter lists plus the school's, for enabled themes. */
final class AlertPolicies {
  private AlertPolicies() {}

  static AlertPolicy compile(AlertsConfig config, Path policyFile, List<PolicyError> errors) {
    Map<Theme, ThemeSetting> settings = new EnumMap<>(Theme.class);
    Map<Theme, List<String>> lists = new EnumMap<>(Theme.class);
    boolean starterOnly = true;
    for (Map.Entry<Theme, AlertsConfig.ThemeConfig> e : config.themes().entrySet()) {
      Theme theme = e.getKey();
      AlertsConfig.ThemeConfig t = e.getValue();
      settings.put(theme, new ThemeSetting(t.severity(), t.enabled()));
      if (!t.enabled()) {
        starterOnly = false;
        continue;
      }
      List<String> entries = new ArrayList<>(KeywordList.starter(theme));
      for (Path file : t.lists()) {
        starterOnly = false;
        try {
          entries.addAll(KeywordList.read(file));
        } catch (IOException | RuntimeException ex) {
          errors.add(new PolicyError(policyFile, 0, "alerts.themes." + theme.configName() + ".lists",
              "cannot read " + file + ": " + ex + " (expected: a readable UTF-8 keyword file)"));
        }
      }
      lists.put(theme, entries);
    }
    ThemeMatcher matcher = starterOnly ? AlertPolicy.starterMatcher() : ThemeMatcher.compile(lists);
    return new AlertPolicy(config.repeatThreshold(), config.repeatThresholds(), config.repeatWindow(),
        config.burstThreshold(), config.burstWindow(), config.circumventionWindow(), settings, matcher,
        config.downloads());
  }
}
