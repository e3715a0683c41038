package org.schoolgate.policy;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The categories a request matched, in policy declaration order. Instances are built once when a
 * policy is compiled and shared by every decision that matched the same set, so deciding never
 * allocates one.
 */
public final class CategorySet {
  /** The set of no categories. */
  public static final CategorySet EMPTY = new CategorySet(List.of());

  private final List<CategoryId> categories;
  private final String joined;

  public CategorySet(List<CategoryId> categories) {
    this.categories = List.copyOf(categories);
    this.joined = this.categories.stream().map(CategoryId::value).collect(Collectors.joining(","));
  }

  public List<CategoryId> categories() {
    return categories;
  }

  public boolean isEmpty() {
    return categories.isEmpty();
  }

  public boolean contains(CategoryId id) {
    return categories.contains(id);
  }

  /** Comma-separated names, e.g. {@code gambling,games}; empty string when empty. */
  public String joined() {
    return joined;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CategorySet other && other.categories.equals(categories);
  }

  @Override
  public int hashCode() {
    return categories.hashCode();
  }

  @Override
  public String toString() {
    return "[" + joined + "]";
  }
}
