package org.schoolgate.store;

import java.time.Instant;
import java.util.Locale;
import java.util.Objects;

/**
 * One line of an incident's timeline, with who and when.
 *
 * @param type what happened
 * @param alert the alert of a {@link Type#HIT}, else null
 * @param state the new state of a {@link Type#STATE} change, else null
 * @param owner the new owner of an {@link Type#ASSIGNED} entry, else null
 * @param action the action of an {@link Type#ACTION}, else null
 * @param text the note, the action's or state change's words (e.g. the outcome), or null
 */
public record TimelineEntry(long seq, Instant at, Type type, String actor, AlertId alert, IncidentState state,
    String owner, IncidentAction action, String text) {
  public TimelineEntry {
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(actor, "actor");
  }

  /** The kinds of timeline entries. */
  public enum Type {
    HIT, STATE, ASSIGNED, NOTE, ACTION;

    /** {@code hit}, {@code state}, {@code assigned}, {@code note}, {@code action}. */
    public String apiName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }
}
