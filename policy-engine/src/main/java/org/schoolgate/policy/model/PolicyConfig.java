package org.schoolgate.policy.model;

import java.nio.file.Path;
import java.time.ZoneId;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.schoolgate.policy.Level;

/**
 * A whole policy file, parsed and checked ({@link PolicyReader} builds it with file:line errors;
 * this constructor re-checks the cross references so a config built in code is also valid).
 *
 * @param file the policy file
 * @param timezone the zone schedules are evaluated in
 * @param clients which clients are served
 * @param lists imported lists
 * @param schedules weekly windows
 * @param groups groups in declaration order (at least one)
 * @param categories categories in declaration order
 * @param matrix one row per matrix category
 * @param defaultLevel level when no category matches: acceptable or unacceptable
 * @param tunnels CONNECT ports, IP-literal allow list and tunnel checks
 * @param safeSearch per group: safe search engines and YouTube restriction
 * @param alerts alert rule thresholds, search sites and safeguarding themes ({@code alerts:})
 * @param interception which tunnels are decrypted with the school's CA ({@link InterceptionConfig#NONE}: none)
 * @param destinations which internal addresses each group may reach ({@code destinations:})
 * @param content real-time content analysis per group and theme ({@link ContentConfig#NONE}: none)
 */
public record PolicyConfig(
    Path file, ZoneId timezone, ClientsConfig clients, List<ListSource> lists, List<Schedule> schedules,
    List<GroupConfig> groups, List<CategoryConfig> categories, List<MatrixRow> matrix, Level defaultLevel,
    TunnelConfig tunnels, SafeSearchConfig safeSearch, AlertsConfig alerts,
    InterceptionConfig interception, DestinationsConfig destinations, ContentConfig content) {

  /** At most this many schedules (they are kept as bits of a long). */
  public static final int MAX_SCHEDULES = 64;

  public PolicyConfig {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(timezone, "timezone");
    Objects.requireNonNull(clients, "clients");
    Objects.requireNonNull(defaultLevel, "defaultLevel");
    Objects.requireNonNull(tunnels, "tunnels");
    Objects.requireNonNull(safeSearch, "safeSearch");
    Objects.requireNonNull(alerts, "alerts");
    Objects.requireNonNull(interception, "interception (expected: InterceptionConfig.NONE when absent)");
    Objects.requireNonNull(destinations, "destinations (expected: DestinationsConfig.DEFAULTS when absent)");
    Objects.requireNonNull(content, "content (expected: ContentConfig.NONE when absent)");
    lists = List.copyOf(lists);
    schedules = List.copyOf(schedules);
    groups = List.copyOf(groups);
    categories = List.copyOf(categories);
    matrix = List.copyOf(matrix);
    if (groups.isEmpty()) {
      throw new IllegalArgumentException("the policy has no groups (expected: at least one under 'groups')");
    }
    if (schedules.size() > MAX_SCHEDULES) {
      throw new IllegalArgumentException("the policy has " + schedules.size()
          + " schedules (expected: at most " + MAX_SCHEDULES + ")");
    }
    if (defaultLevel != Level.ACCEPTABLE && defaultLevel != Level.UNACCEPTABLE) {
      throw new IllegalArgumentException("default is " + defaultLevel.configName()
          + " (expected: acceptable or unacceptable)");
    }
    unique("group", groups.stream().map(g -> g.id().value()).toList());
    unique("category", categories.stream().map(c -> c.id().value()).toList());
    unique("schedule", schedules.stream().map(Schedule::name).toList());
    unique("list", lists.stream().map(ListSource::name).toList());
    Set<String> matrixCategories = new HashSet<>();
    for (MatrixRow row : matrix) {
      CategoryConfig c = categories.stream().filter(x -> x.id().equals(row.category())).findFirst()
          .orElseThrow(() -> new IllegalArgumentException("matrix row '" + row.category()
              + "' is not a category (expected: one of the names under 'categories')"));
      if (c.kind() != CategoryKind.MATRIX) {
        throw new IllegalArgumentException("matrix row '" + row.category() + "' is a " + c.kind().configName()
            + " (expected: no matrix row for block/allow lists)");
      }
      matrixCategories.add(row.category().value());
      for (GroupConfig g : groups) {
        if (row.cellFor(g.id()) == null) {
          throw new IllegalArgumentException("matrix row '" + row.category() + "' has no cell for group '"
              + g.id() + "' (expected: a 'default' cell or one per group)");
        }
      }
    }
    for (TunnelConfig.CheckLevels levels : tunnels.checks().values()) {
      for (org.schoolgate.policy.GroupId g : levels.groups().keySet()) {
        if (groups.stream().noneMatch(x -> x.id().equals(g))) {
          throw new IllegalArgumentException("tunnels: group '" + g
              + "' is not a group (expected: one of the names under 'groups', or 'default')");
        }
      }
    }
    java.util.Set<org.schoolgate.policy.GroupId> safeGroups = new java.util.LinkedHashSet<>(safeSearch.search().keySet());
    safeGroups.addAll(safeSearch.youtube().keySet());
    for (org.schoolgate.policy.GroupId g : safeGroups) {
      if (groups.stream().noneMatch(x -> x.id().equals(g))) {
        throw new IllegalArgumentException("safesearch: group '" + g
            + "' is not a group (expected: one of the names under 'groups', or 'default')");
      }
    }
    checkInterception(interception, groups, categories);
    destinations.checkGroups(groups);
    checkContent(content, groups, categories);
    unique("matrix row", matrix.stream().map(r -> r.category().value()).toList());
    for (CategoryConfig c : categories) {
      if (c.kind() == CategoryKind.MATRIX && !matrixCategories.contains(c.id().value())) {
        throw new IllegalArgumentException("category '" + c.id() + "' has no matrix row"
            + " (expected: e.g. " + c.id() + ": { default: unacceptable } under 'matrix')");
      }
    }
  }

  /** A policy without {@code content:} ({@link ContentConfig#NONE}). */
  public PolicyConfig(Path file, ZoneId timezone, ClientsConfig clients, List<ListSource> lists,
      List<Schedule> schedules, List<GroupConfig> groups, List<CategoryConfig> categories,
      List<MatrixRow> matrix, Level defaultLevel, TunnelConfig tunnels, SafeSearchConfig safeSearch,
      AlertsConfig alerts, InterceptionConfig interception, DestinationsConfig destinations) {
    this(file, timezone, clients, lists, schedules, groups, categories, matrix, defaultLevel,
        tunnels, safeSearch, alerts, interception, destinations, ContentConfig.NONE);
  }

  /** A policy without {@code destinations:} ({@link DestinationsConfig#DEFAULTS}) or {@code content:}. */
  public PolicyConfig(Path file, ZoneId timezone, ClientsConfig clients, List<ListSource> lists,
      List<Schedule> schedules, List<GroupConfig> groups, List<CategoryConfig> categories,
      List<MatrixRow> matrix, Level defaultLevel, TunnelConfig tunnels, SafeSearchConfig safeSearch,
      AlertsConfig alerts, InterceptionConfig interception) {
    this(file, timezone, clients, lists, schedules, groups, categories, matrix, defaultLevel,
        tunnels, safeSearch, alerts, interception, DestinationsConfig.DEFAULTS);
  }

  /** A policy with the default {@code tunnels:} ({@link TunnelConfig#DEFAULTS}). */
  public PolicyConfig(Path file, ZoneId timezone, ClientsConfig clients, List<ListSource> lists,
      List<Schedule> schedules, List<GroupConfig> groups, List<CategoryConfig> categories,
      List<MatrixRow> matrix, Level defaultLevel) {
    this(file, timezone, clients, lists, schedules, groups, categories, matrix, defaultLevel,
        TunnelConfig.DEFAULTS);
  }

  /** A policy with the default {@code safesearch:} ({@link SafeSearchConfig#DEFAULTS}). */
  public PolicyConfig(Path file, ZoneId timezone, ClientsConfig clients, List<ListSource> lists,
      List<Schedule> schedules, List<GroupConfig> groups, List<CategoryConfig> categories,
      List<MatrixRow> matrix, Level defaultLevel, TunnelConfig tunnels) {
    this(file, timezone, clients, lists, schedules, groups, categories, matrix, defaultLevel,
        tunnels, SafeSearchConfig.DEFAULTS);
  }

  /** A policy with the default {@code alerts:} and without {@code interception:}. */
  public PolicyConfig(Path file, ZoneId timezone, ClientsConfig clients, List<ListSource> lists,
      List<Schedule> schedules, List<GroupConfig> groups, List<CategoryConfig> categories,
      List<MatrixRow> matrix, Level defaultLevel, TunnelConfig tunnels, SafeSearchConfig safeSearch) {
    this(file, timezone, clients, lists, schedules, groups, categories, matrix, defaultLevel,
        tunnels, safeSearch, AlertsConfig.DEFAULTS, InterceptionConfig.NONE);
  }

  /** A policy without {@code interception:} ({@link InterceptionConfig#NONE}). */
  public PolicyConfig(Path file, ZoneId timezone, ClientsConfig clients, List<ListSource> lists,
      List<Schedule> schedules, List<GroupConfig> groups, List<CategoryConfig> categories,
      List<MatrixRow> matrix, Level defaultLevel, TunnelConfig tunnels, SafeSearchConfig safeSearch,
      AlertsConfig alerts) {
    this(file, timezone, clients, lists, schedules, groups, categories, matrix, defaultLevel,
        tunnels, safeSearch, alerts, InterceptionConfig.NONE);
  }

  /** A policy with the default {@code alerts:} ({@link AlertsConfig#DEFAULTS}). */
  public PolicyConfig(Path file, ZoneId timezone, ClientsConfig clients, List<ListSource> lists,
      List<Schedule> schedules, List<GroupConfig> groups, List<CategoryConfig> categories,
      List<MatrixRow> matrix, Level defaultLevel, TunnelConfig tunnels, SafeSearchConfig safeSearch,
      InterceptionConfig interception) {
    this(file, timezone, clients, lists, schedules, groups, categories, matrix, defaultLevel,
        tunnels, safeSearch, AlertsConfig.DEFAULTS, interception);
  }

  private static void checkInterception(InterceptionConfig interception, List<GroupConfig> groups,
      List<CategoryConfig> categories) {
    for (org.schoolgate.policy.GroupId g : interception.groups().keySet()) {
      if (groups.stream().noneMatch(x -> x.id().equals(g))) {
        throw new IllegalArgumentException("interception.groups: group '" + g
            + "' is not a group (expected: one of the names under 'groups', or 'default')");
      }
    }
    List<org.schoolgate.policy.CategoryId> named = new java.util.ArrayList<>(interception.categories());
    named.addAll(interception.never());
    for (org.schoolgate.policy.CategoryId c : named) {
      if (categories.stream().noneMatch(x -> x.id().equals(c))) {
        throw new IllegalArgumentException("interception: category '" + c
            + "' is not a category (expected: one of the names under 'categories')");
      }
    }
  }

  private static void checkContent(ContentConfig content, List<GroupConfig> groups, List<CategoryConfig> categories) {
    for (org.schoolgate.policy.GroupId g : content.groups().keySet()) {
      if (groups.stream().noneMatch(x -> x.id().equals(g))) {
        throw new IllegalArgumentException("content.groups: group '" + g
            + "' is not a group (expected: one of the names under 'groups', or 'default')");
      }
    }
    for (org.schoolgate.policy.CategoryId c : content.aiCategories()) {
      if (categories.stream().noneMatch(x -> x.id().equals(c))) {
        throw new IllegalArgumentException("content.ai-chat: category '" + c
            + "' is not a category (expected: one of the names under 'categories')");
      }
    }
  }

  private static void unique(String what, List<String> names) {
    Set<String> seen = new HashSet<>();
    for (String n : names) {
      if (!seen.add(n)) {
        throw new IllegalArgumentException(what + " '" + n + "' is declared twice (expected: unique names)");
      }
    }
  }
}
