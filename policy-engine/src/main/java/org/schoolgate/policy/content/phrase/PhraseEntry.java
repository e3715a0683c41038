package org.schoolgate.policy.content.phrase;

import java.util.Objects;

/**
 * One line of a phrase list.
 *
 * @param text the phrase as written
 * @param weight what a match adds to its theme's score (negative for context phrases that
 *     lower it); 0 for an exception
 * @param exception true for {@code !phrase}: cancels matches of its theme that lie inside it
 * @param source the file (or resource) and line, for messages and the explain view
 */
public record PhraseEntry(String text, int weight, boolean exception, String source) {
  /** Weights are between -1000 and 1000. */
  public static final int MAX_WEIGHT = 1000;

  public PhraseEntry {
    Objects.requireNonNull(text, "text");
    Objects.requireNonNull(source, "source");
    if (text.isBlank()) {
      throw new IllegalArgumentException(source + ": the phrase is empty (expected: words, e.g. kill myself = 40)");
    }
    if (Math.abs(weight) > MAX_WEIGHT) {
      throw new IllegalArgumentException(source + ": weight " + weight + " is out of range (expected: -"
          + MAX_WEIGHT + " to " + MAX_WEIGHT + ")");
    }
    if (exception && weight != 0) {
      throw new IllegalArgumentException(source + ": an exception (!" + text + ") has no weight"
          + " (expected: !phrase alone)");
    }
  }
}
