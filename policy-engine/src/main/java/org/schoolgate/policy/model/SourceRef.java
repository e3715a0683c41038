package org.schoolgate.policy.model;

import java.util.Objects;

/**
 * A reference {@code list/category} from a category's {@code sources}, e.g. {@code ut1/gambling}.
 *
 * @param list the list name
 * @param category the category directory inside the list
 */
public record SourceRef(String list, String category) {
  public SourceRef {
    Objects.requireNonNull(list, "list");
    Objects.requireNonNull(category, "category");
    if (list.isEmpty() || category.isEmpty() || category.contains("/") || category.equals("..")) {
      throw new IllegalArgumentException("'" + list + "/" + category
          + "' is not a list source (expected: list/category, e.g. ut1/gambling)");
    }
  }

  /** Parses {@code list/category}. */
  public static SourceRef parse(String text) {
    int slash = text.indexOf('/');
    if (slash <= 0 || slash == text.length() - 1) {
      throw new IllegalArgumentException(
          "'" + text + "' is not a list source (expected: list/category, e.g. ut1/gambling)");
    }
    return new SourceRef(text.substring(0, slash), text.substring(slash + 1));
  }

  @Override
  public String toString() {
    return list + "/" + category;
  }
}
