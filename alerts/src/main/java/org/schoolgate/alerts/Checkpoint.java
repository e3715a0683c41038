package org.schoolgate.alerts;

import java.time.Instant;
import java.util.Objects;

/**
 * How far the alert engine got: every access event up to this one has its alerts safely in the
 * outbox (raised, or none needed). The event is named by its time and, as a tie-breaker, its
 * place in the run of consecutive events with exactly that time ({@code count}, from 1); a count
 * of 0 means "every event with a time up to {@code time}" (a fresh start, with nothing handled
 * yet by the rules).
 *
 * @param time the event's time (as in the access log)
 * @param count the event's place among consecutive events with that exact time, or 0
 */
public record Checkpoint(Instant time, int count) {
  public Checkpoint {
    Objects.requireNonNull(time, "time");
    if (count < 0) {
      throw new IllegalArgumentException("checkpoint count " + count + " (expected: >= 0)");
    }
  }

  /** Every event with a time up to {@code time}: where a fresh install starts. */
  public static Checkpoint upTo(Instant time) {
    return new Checkpoint(time, 0);
  }

  /** The checkpoint after an event at {@code next} that follows this one (null: the first). */
  static Checkpoint after(Checkpoint last, Instant next) {
    if (last != null && last.count > 0 && last.time.equals(next)) {
      return new Checkpoint(next, last.count + 1);
    }
    return new Checkpoint(next, 1);
  }

  /** The file form: {@code <instant> <count>}. */
  String format() {
    return time + " " + count;
  }

  /** Reads {@link #format()}'s form; throws IllegalArgumentException saying what is wrong. */
  static Checkpoint parse(String text) {
    String[] parts = text.strip().split(" ");
    if (parts.length != 2) {
      throw new IllegalArgumentException("expected '<ISO instant> <count>', found '" + text.strip() + "'");
    }
    try {
      return new Checkpoint(Instant.parse(parts[0]), Integer.parseInt(parts[1]));
    } catch (java.time.format.DateTimeParseException | NumberFormatException e) {
      throw new IllegalArgumentException("expected '<ISO instant> <count>', found '" + text.strip() + "'", e);
    }
  }
}
