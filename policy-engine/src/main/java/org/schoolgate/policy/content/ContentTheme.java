package org.schoolgate.policy.content;

import java.util.List;
import java.util.Locale;
import org.schoolgate.policy.search.Severity;

/**
 * A safeguarding theme pages are scored on: the search-term themes plus pornography, hate
 * speech and mis/disinformation markers. The order is the index into score arrays.
 */
public enum ContentTheme {
  SELF_HARM("self-harm", Severity.CRITICAL),
  EXTREMISM("extremism", Severity.CRITICAL),
  GROOMING("grooming", Severity.CRITICAL),
  BULLYING("bullying", Severity.WARNING),
  DRUGS("drugs", Severity.WARNING),
  WEAPONS("weapons", Severity.WARNING),
  PORNOGRAPHY("pornography", Severity.WARNING),
  HATE_SPEECH("hate-speech", Severity.WARNING),
  MISINFORMATION("misinformation", Severity.INFO);

  /** Every theme, in index order (shared: do not modify). */
  static final ContentTheme[] ALL = values();
  /** How many themes there are. */
  public static final int COUNT = ALL.length;

  private final String configName;
  private final Severity severity;

  ContentTheme(String configName, Severity severity) {
    this.configName = configName;
    this.severity = severity;
  }

  /** The name in the policy file, list file names and alert kinds, e.g. {@code hate-speech}. */
  public String configName() {
    return configName;
  }

  /** How urgent an alert of this theme is for the DSL. */
  public Severity severity() {
    return severity;
  }

  /** The theme named {@code text} (any case), or null. */
  public static ContentTheme fromConfigName(String text) {
    String t = text.strip().toLowerCase(Locale.ROOT);
    for (ContentTheme theme : ALL) {
      if (theme.configName.equals(t)) {
        return theme;
      }
    }
    return null;
  }

  /** The config names of all themes, in order. */
  public static List<String> configNames() {
    return java.util.Arrays.stream(ALL).map(ContentTheme::configName).toList();
  }
}
