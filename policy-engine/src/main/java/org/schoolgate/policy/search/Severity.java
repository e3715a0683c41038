package org.schoolgate.policy.search;

import java.util.Locale;

/** How urgent a theme's alerts are ({@code severity:} in {@code alerts.themes}). */
public enum Severity {
  INFO, WARNING, CRITICAL;

  /** {@code info}, {@code warning} or {@code critical}. */
  public String configName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The severity named {@code text} (any case), or null. */
  public static Severity fromConfigName(String text) {
    for (Severity s : values()) {
      if (s.configName().equals(text.strip().toLowerCase(Locale.ROOT))) {
        return s;
      }
    }
    return null;
  }
}
