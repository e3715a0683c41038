package org.schoolgate.alerts.incident;

import java.util.Objects;

/**
 * A digest email's content, ready for a mail sender.
 *
 * @param subject one line
 * @param body plain text, lines ending in {@code \n}
 */
public record DigestMessage(String subject, String body) {
  public DigestMessage {
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(body, "body");
    if (subject.isBlank() || subject.contains("\n")) {
      throw new IllegalArgumentException("digest subject '" + subject + "' is not valid (expected: one non-blank line)");
    }
  }
}
