package org.schoolgate.policy;

import java.util.Objects;

/** A policy category, e.g. {@code gambling}, {@code pornography}. */
public record CategoryId(String value) {
  public CategoryId {
    Objects.requireNonNull(value, "value");
    if (value.isBlank()) {
      throw new IllegalArgumentException("category id is blank (expected: a name such as 'gambling')");
    }
  }

  @Override
  public String toString() {
    return value;
  }
}
