package org.schoolgate.store;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * Where an incident is: {@code new} (nobody has acknowledged it), {@code acknowledged} (someone
 * is on it), {@code escalated} (sent on to the next contact), {@code closed} (with an outcome; final).
 */
public enum IncidentState {
  NEW, ACKNOWLEDGED, ESCALATED, CLOSED;

  /** {@code new}, {@code acknowledged}, {@code escalated}, {@code closed}: the API and database spelling. */
  public String apiName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Optional<IncidentState> parse(String name) {
    return Arrays.stream(values()).filter(s -> s.apiName().equals(name)).findFirst();
  }
}
