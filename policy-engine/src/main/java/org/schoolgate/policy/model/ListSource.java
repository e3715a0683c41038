package org.schoolgate.policy.model;

import java.nio.file.Path;
import java.util.Objects;

/**
 * An imported category list such as UT1: {@code <path>/<category>/domains[.gz]} and
 * {@code urls[.gz]} (squidGuard layout).
 *
 * @param name the name categories use in {@code sources: [name/category]}
 * @param format the layout of the directory
 * @param path the directory, resolved against the policy file's directory
 * @param required when false a missing directory is a warning and its categories are empty
 */
public record ListSource(String name, ListFormat format, Path path, boolean required) {
  public ListSource {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(format, "format");
    Objects.requireNonNull(path, "path");
    if (!name.matches("[A-Za-z0-9_.-]+")) {
      throw new IllegalArgumentException("list name '" + name
          + "' has characters other than letters, digits, '_', '-', '.' (expected: e.g. ut1)");
    }
  }
}
