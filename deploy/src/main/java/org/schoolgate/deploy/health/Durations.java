package org.schoolgate.deploy.health;

import java.time.Duration;

/** Durations as people read them in health reasons: {@code 42s}, {@code 17m}, {@code 3h 5m}, {@code 2d 4h}. */
final class Durations {
  private Durations() {}

  static String text(Duration d) {
    long s = Math.max(0, d.toSeconds());
    if (s < 60) {
      return s + "s";
    }
    if (s < 3600) {
      return s / 60 + "m";
    }
    if (s < 86_400) {
      return s / 3600 + "h " + s % 3600 / 60 + "m";
    }
    return s / 86_400 + "d " + s % 86_400 / 3600 + "h";
  }
}
