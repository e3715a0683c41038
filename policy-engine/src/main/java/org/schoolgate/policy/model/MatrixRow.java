package org.schoolgate.policy.model;

import java.util.Map;
import java.util.Objects;
import org.schoolgate.policy.CategoryId;
import org.schoolgate.policy.GroupId;
import org.schoolgate.policy.Level;

/**
 * One row of the acceptable-use matrix: a category's level per group.
 *
 * @param category the category
 * @param defaultCell the cell for groups not named in {@code cells}, or null when every group is named
 * @param cells cells per named group
 */
public record MatrixRow(CategoryId category, Cell defaultCell, Map<GroupId, Cell> cells) {
  public MatrixRow {
    Objects.requireNonNull(category, "category");
    cells = Map.copyOf(cells);
    boolean illegal = (defaultCell != null && defaultCell.level() == Level.ILLEGAL)
        || cells.values().stream().anyMatch(c -> c.level() == Level.ILLEGAL);
    if (illegal && (defaultCell == null || defaultCell.level() != Level.ILLEGAL || !cells.isEmpty())) {
      throw new IllegalArgumentException("'" + category + "' is illegal, so no group may differ"
          + " (expected: only { default: illegal })");
    }
  }

  /** The cell for {@code group}: its own, or the default; null when neither exists. */
  public Cell cellFor(GroupId group) {
    Cell c = cells.get(group);
    return c != null ? c : defaultCell;
  }

  /** True when the row is illegal for everyone. */
  public boolean illegal() {
    return defaultCell != null && defaultCell.level() == Level.ILLEGAL;
  }
}
