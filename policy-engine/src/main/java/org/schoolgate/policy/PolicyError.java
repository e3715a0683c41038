package org.schoolgate.policy;

import java.nio.file.Path;

/**
 * One problem in a policy or list file, with where it is and how to fix it.
 *
 * @param file the file
 * @param line 1-based line, or 0 when the problem is not on one line
 * @param field the dotted path of the field, e.g. {@code groups.ks2.subnets[1]}, or "" for none
 * @param message what is wrong and what was expected
 */
public record PolicyError(Path file, int line, String field, String message) {
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder().append(file);
    if (line > 0) {
      sb.append(':').append(line);
    }
    sb.append(": ");
    if (!field.isEmpty()) {
      sb.append(field).append(": ");
    }
    return sb.append(message).toString();
  }
}
