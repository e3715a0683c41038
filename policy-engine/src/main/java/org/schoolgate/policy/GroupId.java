package org.schoolgate.policy;

import java.util.Objects;

/** A user group from the policy, e.g. {@code ks2}, {@code staff}. */
public record GroupId(String value) {
  public GroupId {
    Objects.requireNonNull(value, "value");
    if (value.isBlank()) {
      throw new IllegalArgumentException("group id is blank (expected: a name such as 'ks2')");
    }
  }

  @Override
  public String toString() {
    return value;
  }
}
