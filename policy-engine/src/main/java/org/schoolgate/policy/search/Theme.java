package org.schoolgate.policy.search;

import java.util.Locale;

/** A safeguarding theme with its own keyword list and alert kind ({@code search-<theme>}). */
public enum Theme {
  /** Suicide and self-harm. */
  SELF_HARM("self-harm", Severity.CRITICAL),
  /** Extremism and radicalisation. */
  EXTREMISM("extremism", Severity.CRITICAL),
  /** Grooming and sexual exploitation. */
  GROOMING("grooming", Severity.CRITICAL),
  /** Bullying, as target or bully. */
  BULLYING("bullying", Severity.WARNING),
  /** Getting or using drugs. */
  DRUGS("drugs", Severity.WARNING),
  /** Getting, making or using weapons. */
  WEAPONS("weapons", Severity.WARNING);

  private final String configName;
  private final Severity defaultSeverity;

  Theme(String configName, Severity defaultSeverity) {
    this.configName = configName;
    this.defaultSeverity = defaultSeverity;
  }

  /** The name in the policy file and in alert kinds, e.g. {@code self-harm}. */
  public String configName() {
    return configName;
  }

  /** The severity when the policy does not set one. */
  public Severity defaultSeverity() {
    return defaultSeverity;
  }

  /** The starter list resource, e.g. {@code keywords-self-harm.txt} beside this class. */
  String resource() {
    return "keywords-" + configName + ".txt";
  }

  /** The theme named {@code text} (any case), or null. */
  public static Theme fromConfigName(String text) {
    String t = text.strip().toLowerCase(Locale.ROOT);
    for (Theme theme : values()) {
      if (theme.configName.equals(t)) {
        return theme;
      }
    }
    return null;
  }
}
