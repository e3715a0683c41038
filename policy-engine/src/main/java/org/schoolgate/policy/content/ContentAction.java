package org.schoolgate.policy.content;

import java.util.Locale;

/**
 * What happens when a page's score for a theme passes its threshold, from the weakest to the
 * strongest (the declaration order: {@link #compareTo} says which is stronger).
 */
public enum ContentAction {
  /** Not analysed for this theme. */
  OFF,
  /** Written to the access log (theme, score, top phrases). */
  LOG,
  /** Logged and raised as an alert for the DSL with the top phrases and the URL. */
  ALERT,
  /** Alerted, and the page replaced by the block page (or the stream cut). */
  BLOCK;

  /** {@code off}, {@code log}, {@code alert} or {@code block}. */
  public String configName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The action named {@code text} (any case), or null. */
  public static ContentAction fromConfigName(String text) {
    for (ContentAction a : values()) {
      if (a.configName().equals(text.strip().toLowerCase(Locale.ROOT))) {
        return a;
      }
    }
    return null;
  }
}
