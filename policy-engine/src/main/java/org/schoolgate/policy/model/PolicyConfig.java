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
 * @param identification how people are identified per network, and directory groups → groups
 *     ({@link IdentificationConfig#NONE}: the section is absent)
 * @param content real-time content analysis per group and theme ({@link ContentConfig#NONE}: none)
 * @param downloads file kinds each group may not download ({@link DownloadsConfig#NONE}: none)
 */
public record PolicyConfig(
    Path file, ZoneId timezone, ClientsConfig clients, List<ListSource> lists, List<Schedule> schedules,
    List<GroupConfig> groups, List<CategoryConfig> categories, List<MatrixRow> matrix, Level defaultLevel,
    TunnelConfig tunnels, SafeSearchConfig safeSearch, AlertsConfig alerts,
    InterceptionConfig interception, DestinationsConfig destinations, IdentificationConfig identification,
    ContentConfig content, DownloadsConfig downloads) {

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
    Objects.requireNonNull(identification, "identification (expected: IdentificationConfig.NONE when absent)");
    Objects.requireNonNull(content, "content (expected: ContentConfig.NONE when absent)");
    Objects.requireNonNull(downloads, "downloads (expected: DownloadsConfig.NONE when absent)");
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
    checkIdentification(identification, clients, groups, matrix, tunnels, safeSearch);
    checkContent(content, groups, categories);
    for (org.schoolgate.policy.GroupId g : downloads.groups().keySet()) {
      if (groups.stream().noneMatch(x -> x.id().equals(g))) {
        throw new IllegalArgumentException("downloads.groups: group '" + g
            + "' is not a group (expected: one of the names under 'groups', or 'default')");
      }
    }
    unique("matrix row", matrix.stream().map(r -> r.category().value()).toList());
    for (CategoryConfig c : categories) {
      if (c.kind() == CategoryKind.MATRIX && !matrixCategories.contains(c.id().value())) {
        throw new IllegalArgumentException("category '" + c.id() + "' has no matrix row"
            + " (expected: e.g. " + c.id() + ": { default: unacceptable } under 'matrix')");
      }
    }
  }

  /** A policy without {@code downloads:} ({@link DownloadsConfig#NONE}). */
  public PolicyConfig(Path file, ZoneId timezone, ClientsConfig clients, List<ListSource> lists,
      List<Schedule> schedules, List<GroupConfig> groups, List<CategoryConfig> categories,
      List<MatrixRow> matrix, Level defaultLevel, TunnelConfig tunnels, SafeSearchConfig safeSearch,
      AlertsConfig alerts, InterceptionConfig interception, DestinationsConfig destinations,
      IdentificationConfig identification, ContentConfig content) {
    this(file, timezone, clients, lists, schedules, groups, categories, matrix, defaultLevel,
        tunnels, safeSearch, alerts, interception, destinations, identification, content, DownloadsConfig.NONE);
  }

  /** A policy without {@code identification:} ({@link IdentificationConfig#NONE}). */
  public PolicyConfig(Path file, ZoneId timezone, ClientsConfig clients, List<ListSource> lists,
      List<Schedule> schedules, List<GroupConfig> groups, List<CategoryConfig> categories,
      List<MatrixRow> matrix, Level defaultLevel, TunnelConfig tunnels, SafeSearchConfig safeSearch,
      AlertsConfig alerts, InterceptionConfig interception, DestinationsConfig destinations,
      ContentConfig content) {
    this(file, timezone, clients, lists, schedules, groups, categories, matrix, defaultLevel,
        tunnels, safeSearch, alerts, interception, destinations, IdentificationConfig.NONE, content);
  }

  /** A policy without {@code destinations:}, {@code identification:} or {@code content:}. */
  public PolicyConfig(Path file, ZoneId timezone, ClientsConfig clients, List<ListSource> lists,
      List<Schedule> schedules, List<GroupConfig> groups, List<CategoryConfig> categories,
      List<MatrixRow> matrix, Level defaultLevel, TunnelConfig tunnels, SafeSearchConfig safeSearch,
      AlertsConfig alerts, InterceptionConfig interception) {
    this(file, timezone, clients, lists, schedules, groups, categories, matrix, defaultLevel,
        tunnels, safeSearch, alerts, interception, DestinationsConfig.DEFAULTS, IdentificationConfig.NONE,
        ContentConfig.NONE);
  }

  /** A policy without {@code identification:} or {@code content:}. */
  public PolicyConfig(Path file, ZoneId timezone, ClientsConfig clients, List<ListSource> lists,
      List<Schedule> schedules, List<GroupConfig> groups, List<CategoryConfig> categories,
      List<MatrixRow> matrix, Level defaultLevel, TunnelConfig tunnels, SafeSearchConfig safeSearch,
      AlertsConfig alerts, InterceptionConfig interception, DestinationsConfig destinations) {
    this(file, timezone, clients, lists, schedules, groups, categories, matrix, defaultLevel,
        tunnels, safeSearch, alerts, interception, destinations, IdentificationConfig.NONE, ContentConfig.NONE);
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

  /**
   * Mapped and unmapped groups are declared groups, and each network's {@code unmapped-group} is
   * no more permissive than any group its subnets give (see {@link Permissiveness}).
   */
  private static void checkIdentification(IdentificationConfig identification, ClientsConfig clients,
      List<GroupConfig> groups, List<MatrixRow> matrix, TunnelConfig tunnels, SafeSearchConfig safeSearch) {
    Set<org.schoolgate.policy.GroupId> declared = new HashSet<>();
    groups.forEach(g -> declared.add(g.id()));
    for (GroupMapping m : identification.directoryGroups()) {
      if (!declared.contains(m.group())) {
        throw new IllegalArgumentException("identification.directory-groups: group '" + m.group()
            + "' is not a group (expected: one of the names under 'groups')");
      }
    }
    org.schoolgate.policy.GroupId unknown = clients.unknownGroup() != null ? clients.unknownGroup()
        : Permissiveness.mostRestrictiveGroup(groups, matrix);
    List<NetworkConfig> all = new java.util.ArrayList<>(identification.networks());
    all.add(identification.defaults());
    for (NetworkConfig n : all) {
      String problem = unmappedProblem(n, groups, declared, unknown, matrix, tunnels, safeSearch);
      if (problem != null) {
        throw new IllegalArgumentException("identification.networks." + n.name() + ".unmapped-group: " + problem);
      }
    }
  }

  /**
   * What is wrong with network {@code n}'s {@code unmapped-group}, or null: not a group, or more
   * permissive than a group its subnets give (the defaults: than any group a client can get).
   */
  static String unmappedProblem(NetworkConfig n, List<GroupConfig> groups, Set<org.schoolgate.policy.GroupId> declared,
      org.schoolgate.policy.GroupId unknown, List<MatrixRow> matrix, TunnelConfig tunnels, SafeSearchConfig safeSearch) {
    org.schoolgate.policy.GroupId u = n.unmappedGroup();
    if (u == null) {
      return null;
    }
    if (!declared.contains(u)) {
      return "group '" + u + "' is not a group (expected: one of the names under 'groups')";
    }
    Set<org.schoolgate.policy.GroupId> bySubnet = new java.util.LinkedHashSet<>();
    if (n.subnets().isEmpty()) {
      groups.forEach(g -> bySubnet.add(g.id()));
    } else {
      bySubnet.addAll(Permissiveness.subnetGroups(n.subnets(), groups, unknown));
    }
    for (org.schoolgate.policy.GroupId g : bySubnet) {
      String why = Permissiveness.whyMorePermissive(u, g, matrix, tunnels, safeSearch);
      if (why != null) {
        return "'" + u + "' is more permissive than '" + g + "', which clients on this network get by subnet: " + why
            + " (expected: a group no more permissive than " + String.join(", ", bySubnet.stream().map(Object::toString).toList())
            + "; a signed-in person in no mapped group never gets more than their subnet would)";
      }
    }
    return null;
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
