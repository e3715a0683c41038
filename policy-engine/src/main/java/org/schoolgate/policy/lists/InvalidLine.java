package org.schoolgate.policy.lists;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A line of a list file that is not an entry, kept so tools can show it
 * ({@code schoolgate check} prints {@code file:line: problem: text}).
 *
 * @param file the list file
 * @param line the line number, from 1
 * @param text the line as read, without surrounding whitespace (cut to {@value #MAX_TEXT}
 *     characters, with "..." when longer)
 * @param problem why it is not an entry, e.g. {@code host 'bad^.com' contains '^' (expected: ...)}
 */
public record InvalidLine(Path file, int line, String text, String problem) {
  /** The longest {@code text} kept. */
  public static final int MAX_TEXT = 200;

  public InvalidLine {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(text, "text");
    Objects.requireNonNull(problem, "problem");
    if (line < 1) {
      throw new IllegalArgumentException("InvalidLine: line " + line + " (expected: 1 or more)");
    }
    if (text.length() > MAX_TEXT) {
      text = text.substring(0, MAX_TEXT - 3) + "...";
    }
  }

  /** {@code file:line: problem: text}. */
  @Override
  public String toString() {
    return file + ":" + line + ": " + problem + ": " + text;
  }
}
