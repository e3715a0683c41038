package org.schoolgate.reports;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * A count as a viewer may see it. For viewers who do not see named people (governors,
 * technicians), a count from 1 to 4 could point at one pupil in a small group, so it is
 * suppressed: shown as the text {@value #SUPPRESSED} instead of the number (JSON: a string where
 * other counts are numbers). Zero and counts of 5 or more are shown as they are.
 */
public record Count(long value, boolean suppressed) {
  /** Counts below this (and above zero) are suppressed for aggregate viewers. */
  public static final int THRESHOLD = 5;
  /** What a suppressed count reads. */
  public static final String SUPPRESSED = "fewer than 5";

  /** {@code n} as {@code viewer} may see it. */
  public static Count of(long n, Viewer viewer) {
    return new Count(n, !viewer.seesNames() && n > 0 && n < THRESHOLD);
  }

  /** The number, or {@value #SUPPRESSED}. */
  @JsonValue
  public Object json() {
    return suppressed ? SUPPRESSED : value;
  }

  @Override
  public String toString() {
    return suppressed ? SUPPRESSED : Long.toString(value);
  }
}
