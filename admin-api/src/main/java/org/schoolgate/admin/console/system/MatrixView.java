package org.schoolgate.admin.console.system;

import java.time.format.TextStyle;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.schoolgate.admin.console.Levels;
import org.schoolgate.policy.GroupId;
import org.schoolgate.policy.PolicySnapshot;
import org.schoolgate.policy.compile.PolicyWithUnblocks;
import org.schoolgate.policy.model.CategoryConfig;
import org.schoolgate.policy.model.CategoryKind;
import org.schoolgate.policy.model.Cell;
import org.schoolgate.policy.model.GroupConfig;
import org.schoolgate.policy.model.MatrixRow;
import org.schoolgate.policy.model.PolicyConfig;
import org.schoolgate.policy.model.Schedule;

/**
 * The acceptable-use matrix of the policy in force, as the grid page and {@code GET
 * /api/v1/policy/matrix} show it: one row per matrix category, one cell per group with the level
 * (its config name, its words and its colour class), the schedules in words and the nominees.
 */
public record MatrixView(List<String> groups, List<Row> rows, List<ListCategory> lists, String defaultLevel,
    String defaultLevelWords, String defaultLevelCss, String source) {

  /** A category's row. */
  public record Row(String category, String description, boolean sensitive, List<CellView> cells) {}

  /**
   * A cell: {@code level} as in the policy file, {@code words} and {@code css} for people, the
   * schedules ("lunch: Mon–Fri 12:30–13:15") and the nominees, empty when they do not apply.
   */
  public record CellView(String group, String level, String words, String css, List<String> schedules,
      List<String> nominees) {}

  /** A block- or allow-list category (outside the matrix: it decides for every group). */
  public record ListCategory(String category, String kind, String description) {}

  public static MatrixView of(PolicySnapshot snapshot) {
    PolicyConfig config = ((PolicyWithUnblocks) snapshot).compiled().config();
    Map<String, Schedule> schedules = config.schedules().stream()
        .collect(Collectors.toMap(Schedule::name, Function.identity()));
    Map<String, CategoryConfig> categories = config.categories().stream()
        .collect(Collectors.toMap(c -> c.id().value(), Function.identity()));
    List<String> groups = config.groups().stream().map(g -> g.id().value()).toList();
    List<Row> rows = new ArrayList<>();
    for (MatrixRow row : config.matrix()) {
      CategoryConfig c = categories.get(row.category().value());
      List<CellView> cells = new ArrayList<>();
      for (GroupConfig g : config.groups()) {
        Cell cell = row.cellFor(g.id());
        cells.add(cell == null ? new CellView(g.id().value(), config.defaultLevel().configName(),
            Levels.words(config.defaultLevel()) + " (default)", Levels.cssClass(config.defaultLevel()), List.of(),
            List.of()) : cell(g.id(), cell, schedules));
      }
      rows.add(new Row(row.category().value(), c == null || c.description() == null ? "" : c.description(),
          c != null && c.sensitive(), cells));
    }
    List<ListCategory> lists = config.categories().stream().filter(c -> c.kind() != CategoryKind.MATRIX)
        .map(c -> new ListCategory(c.id().value(), c.kind() == CategoryKind.BLOCK_LIST ? "Always blocked (school block list)"
            : "Always allowed (school allow list)", c.description() == null ? "" : c.description()))
        .toList();
    return new MatrixView(groups, rows, lists, config.defaultLevel().configName(),
        Levels.words(config.defaultLevel()), Levels.cssClass(config.defaultLevel()), String.valueOf(config.file()));
  }

  private static CellView cell(GroupId group, Cell cell, Map<String, Schedule> schedules) {
    List<String> times = cell.schedules().stream().map(name -> describe(name, schedules.get(name))).toList();
    List<String> nominees = new ArrayList<>();
    cell.nominatedUsers().stream().sorted().forEach(nominees::add);
    cell.nominatedGroups().stream().map(g -> "group " + g.value()).sorted().forEach(nominees::add);
    return new CellView(group.value(), cell.level().configName(), Levels.words(cell.level()),
        Levels.cssClass(cell.level()), times, nominees);
  }

  static String describe(String name, Schedule s) {
    if (s == null) {
      return name;
    }
    String days = s.days().stream().sorted().map(d -> d.getDisplayName(TextStyle.SHORT, Locale.UK))
        .collect(Collectors.joining(" "));
    return name + ": " + days + " " + s.from() + "–" + s.to();
  }
}
