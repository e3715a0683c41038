package org.schoolgate.admin.console;

import org.schoolgate.policy.Level;

/**
 * The five levels in words and colour classes: the matrix grid, "why is this blocked?" and the
 * reports all show a level the same way, never by colour alone.
 */
public final class Levels {
  private Levels() {}

  public static String words(Level level) {
    return switch (level) {
      case ACCEPTABLE -> "Acceptable";
      case ACCEPTABLE_AT_CERTAIN_TIMES -> "Acceptable at certain times";
      case ACCEPTABLE_FOR_NOMINATED_USERS -> "Acceptable for nominated users";
      case UNACCEPTABLE -> "Unacceptable";
      case ILLEGAL -> "Unacceptable and illegal";
    };
  }

  public static String cssClass(Level level) {
    return "sg-level sg-level--" + switch (level) {
      case ACCEPTABLE -> "acceptable";
      case ACCEPTABLE_AT_CERTAIN_TIMES -> "at-times";
      case ACCEPTABLE_FOR_NOMINATED_USERS -> "nominated";
      case UNACCEPTABLE -> "unacceptable";
      case ILLEGAL -> "illegal";
    };
  }
}
