package org.schoolgate.policy.model;

/** The on-disk layout of an imported list. */
public enum ListFormat {
  /** squidGuard/UT1: {@code <path>/<category>/domains[.gz]} and {@code urls[.gz]}. */
  SQUIDGUARD("squidguard");

  private final String configName;

  ListFormat(String configName) {
    this.configName = configName;
  }

  /** The name used in policy files. */
  public String configName() {
    return configName;
  }

  /** Parses a policy-file name or returns null. */
  public static ListFormat fromConfigName(String name) {
    for (ListFormat f : values()) {
      if (f.configName.equals(name)) {
        return f;
      }
    }
    return null;
  }
}
