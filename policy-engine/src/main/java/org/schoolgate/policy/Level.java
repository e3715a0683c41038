package org.schoolgate.policy;

/**
 * The five levels of a school's acceptable use matrix, from the least to the most restrictive.
 * The declaration order is the restrictiveness order: {@link #compareTo} tells which of two
 * levels is stricter.
 */
public enum Level {
  /** Always allowed. */
  ACCEPTABLE("acceptable"),
  /** Allowed only inside the named schedules (lunch, after school); unacceptable outside them. */
  ACCEPTABLE_AT_CERTAIN_TIMES("acceptable-at-certain-times"),
  /** Allowed only for the nominated users and/or groups; unacceptable for everyone else. */
  ACCEPTABLE_FOR_NOMINATED_USERS("acceptable-for-nominated-users"),
  /** Blocked. */
  UNACCEPTABLE("unacceptable"),
  /** Blocked, and nothing (allow list, unblock, bypass) can ever lift it. */
  ILLEGAL("illegal");

  private final String configName;

  Level(String configName) {
    this.configName = configName;
  }

  /** The name used in policy files, the access log and the API, e.g. {@code unacceptable}. */
  public String configName() {
    return configName;
  }

  /** The stricter of this level and {@code other}. */
  public Level stricter(Level other) {
    return other.ordinal() > ordinal() ? other : this;
  }

  /** Parses a policy-file name ({@code acceptable}, {@code at-times}, ...) or returns null. */
  public static Level fromConfigName(String name) {
    if (name == null) {
      return null;
    }
    switch (name.trim().toLowerCase(java.util.Locale.ROOT)) {
      case "acceptable": return ACCEPTABLE;
      case "acceptable-at-certain-times": case "at-times": return ACCEPTABLE_AT_CERTAIN_TIMES;
      case "acceptable-for-nominated-users": case "nominated": return ACCEPTABLE_FOR_NOMINATED_USERS;
      case "unacceptable": return UNACCEPTABLE;
      case "illegal": case "unacceptable-and-illegal": return ILLEGAL;
      default: return null;
    }
  }
}
