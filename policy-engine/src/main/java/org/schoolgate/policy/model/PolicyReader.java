package org.schoolgate.policy.model;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.schoolgate.policy.CategoryId;
import org.schoolgate.policy.GroupId;
import org.schoolgate.policy.Level;
import org.schoolgate.policy.PolicyError;
import org.schoolgate.policy.PolicyException;
import org.schoolgate.policy.lists.Entries;
import org.schoolgate.policy.model.YamlNodes.Entry;
import org.schoolgate.policy.model.YamlNodes.Scalar;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;

/**
 * Reads a policy file (see {@code docs/policy-reference.md}) into a {@link PolicyConfig}. Every
 * problem is collected with file, line and field, e.g.
 * {@code policy.yaml:14: schedules.lunch: ends 12:00 before it starts 12:30 (expected: 'to' after 'from')},
 * and thrown together as one {@link PolicyException}. Unknown keys are errors. Paths are resolved
 * against the policy file's directory and checked to exist; list directories marked
 * {@code required: false} that are missing are warnings.
 *
 * <pre>{@code
 * PolicyReader.Result r = PolicyReader.read(Path.of("/etc/schoolgate/policy.yaml"));
 * r.warnings().forEach(w -> log.warn("{}", w));
 * PolicyConfig config = r.config();
 * }</pre>
 */
public final class PolicyReader {
  private static final List<String> TOP = List.of(
      "timezone", "clients", "lists", "schedules", "groups", "categories", "matrix", "default", "tunnels",
      "safesearch", AlertsReader.KEY, "interception", DestinationsReader.KEY, IdentificationReader.KEY,
      ContentReader.KEY, DownloadsReader.KEY);
  private static final List<String> INTERCEPTION_KEYS = List.of("groups", "categories", "never");
  private static final List<String> SAFESEARCH_KEYS = List.of("search", "youtube");
  private static final List<String> TUNNEL_KEYS = List.of(
      "allowed-ports", "ip-allow", "ip-literal", "sni-mismatch", "missing-sni", "not-tls", "ech");
  private static final List<String> CLIENT_KEYS = List.of("allow", "unknown-group");
  private static final List<String> LIST_KEYS =
      List.of("name", "format", "path", "required", "url", "sha256", "ca-file", "expressions", "category");
  private static final List<String> SCHEDULE_KEYS = List.of("days", "from", "to");
  private static final List<String> GROUP_KEYS = List.of("subnets", "users", "description");
  private static final List<String> CATEGORY_KEYS =
      List.of("kind", "sources", "domains", "urls", "files", "description", "sensitive");
  private static final List<String> CELL_KEYS = List.of("at-times", "nominated");
  private static final List<String> NOMINATED_KEYS = List.of("users", "groups", "directory-groups");
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("H:mm[:ss]");
  private static final java.util.regex.Pattern NAME = java.util.regex.Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]*");

  /** The parsed policy and any warnings (missing optional lists). */
  public record Result(PolicyConfig config, List<PolicyError> warnings) {}

  private final Path file;
  private final Path dir;
  private final YamlNodes y;
  private final Map<String, ListSource> lists = new LinkedHashMap<>();
  private final Set<String> missingLists = new LinkedHashSet<>();
  private final Map<String, Schedule> schedules = new LinkedHashMap<>();
  private final Map<String, GroupConfig> groups = new LinkedHashMap<>();
  private final Map<String, CategoryConfig> categories = new LinkedHashMap<>();

  private final boolean listsOnly;

  private PolicyReader(Path file, boolean listsOnly) {
    this.file = file;
    this.listsOnly = listsOnly;
    Path parent = file.toAbsolutePath().getParent();
    this.dir = parent == null ? Path.of(".") : parent;
    this.y = new YamlNodes(file);
  }

  /** Reads and checks {@code file}; throws with every error found. */
  public static Result read(Path file) throws PolicyException {
    return new PolicyReader(file, false).run();
  }

  /**
   * Reads only the {@code lists} section of {@code file}, without requiring the list directories
   * to exist (for {@code schoolgate lists update}, which creates them); throws with its errors.
   */
  public static List<ListSource> readLists(Path file) throws PolicyException {
    PolicyReader reader = new PolicyReader(file, true);
    Map<String, Entry> top = reader.y.mapping(reader.root(), "", TOP);
    reader.readLists(top.get("lists"));
    if (!reader.y.errors().isEmpty()) {
      throw new PolicyException(List.copyOf(reader.y.errors()));
    }
    return List.copyOf(reader.lists.values());
  }

  private Node root() throws PolicyException {
    Node root;
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      LoaderOptions options = new LoaderOptions();
      options.setAllowDuplicateKeys(true);
      root = new Yaml(options).compose(reader);
    } catch (MarkedYAMLException e) {
      int line = e.getProblemMark() == null ? 0 : e.getProblemMark().getLine() + 1;
      throw new PolicyException(List.of(new PolicyError(file, line, "",
          "is not valid YAML: " + e.getProblem() + " (expected: the format in docs/policy-reference.md)")));
    } catch (YAMLException e) {
      throw new PolicyException(List.of(new PolicyError(file, 0, "", "is not valid YAML: " + e.getMessage())));
    } catch (IOException e) {
      throw new PolicyException(List.of(new PolicyError(file, 0, "",
          "cannot be read: " + e + " (expected: a readable policy file)")));
    }
    if (YamlNodes.isNull(root)) {
      throw new PolicyException(List.of(new PolicyError(file, 0, "",
          "is empty (expected: a policy with at least 'groups' and 'matrix')")));
    }
    if (!(root instanceof MappingNode)) {
      throw new PolicyException(List.of(new PolicyError(file, YamlNodes.line(root), "",
          "is a " + YamlNodes.kind(root) + " (expected: a mapping with timezone, groups, categories, matrix, ...)")));
    }
    return root;
  }

  private Result run() throws PolicyException {
    Node root = root();
    Map<String, Entry> top = y.mapping(root, "", TOP);
    ZoneId zone = timezone(top.get("timezone"));
    readLists(top.get("lists"));
    readSchedules(top.get("schedules"));
    readGroups(top.get("groups"), root);
    readCategories(top.get("categories"));
    List<MatrixRow> matrix = readMatrix(top.get("matrix"));
    checkEveryCategoryHasARow(top.get("matrix"), root);
    ClientsConfig clients = readClients(top.get("clients"));
    Level defaultLevel = readDefault(top.get("default"));
    TunnelConfig tunnels = readTunnels(top.get("tunnels"));
    SafeSearchConfig safeSearch = readSafeSearch(top.get("safesearch"));
    AlertsConfig alerts = new AlertsReader(y, dir, categories.keySet()).read(top.get(AlertsReader.KEY));
    InterceptionConfig interception = readInterception(top.get("interception"));
    DestinationsConfig destinations = new DestinationsReader(y, groups.keySet())
        .read(top.get(DestinationsReader.KEY));
    IdentificationConfig identification = new IdentificationReader(y, groups.keySet())
        .read(top.get(IdentificationReader.KEY), clients, List.copyOf(groups.values()), matrix, tunnels, safeSearch);
    ContentConfig content = new ContentReader(y, dir, groups.keySet(), categories.keySet())
        .read(top.get(ContentReader.KEY));
    DownloadsConfig downloads = new DownloadsReader(y, groups.keySet()).read(top.get(DownloadsReader.KEY));
    if (y.errors().isEmpty()) {
      try {
        PolicyConfig config = new PolicyConfig(file, zone, clients, List.copyOf(lists.values()),
            List.copyOf(schedules.values()), List.copyOf(groups.values()), List.copyOf(categories.values()),
            matrix, defaultLevel, tunnels, safeSearch, alerts, interception, destinations, identification,
            content, downloads);
        return new Result(config, List.copyOf(y.warnings()));
      } catch (IllegalArgumentException e) {
        y.error(null, "", e.getMessage());
      }
    }
    List<PolicyError> sorted = new ArrayList<>(y.errors());
    sorted.sort(Comparator.comparingInt(PolicyError::line));
    throw new PolicyException(sorted);
  }

  private ZoneId timezone(Entry e) {
    if (e == null) {
      return ZoneOffset.UTC;
    }
    String text = y.scalar(e.value(), "timezone");
    if (text == null) {
      return ZoneOffset.UTC;
    }
    try {
      return ZoneId.of(text.strip());
    } catch (DateTimeException ex) {
      y.error(e.value(), "timezone", "unknown time zone '" + text
          + "' (expected: an IANA zone such as Europe/London)");
      return ZoneOffset.UTC;
    }
  }

  private void readLists(Entry e) {
    if (e == null) {
      return;
    }
    List<org.yaml.snakeyaml.nodes.Node> items = y.sequence(e.value(), "lists");
    for (int i = 0; i < items.size(); i++) {
      String field = "lists[" + i + "]";
      Node item = items.get(i);
      Map<String, Entry> m = y.mapping(item, field, LIST_KEYS);
      String name = y.required(m, "name", item, field);
      String formatText = m.containsKey("format")
          ? y.scalar(m.get("format").value(), field + ".format") : ListFormat.SQUIDGUARD.configName();
      String pathText = y.required(m, "path", item, field);
      boolean requiredList = y.flag(m, "required", field, true);
      String urlText = m.containsKey("url") ? y.scalar(m.get("url").value(), field + ".url") : null;
      String shaText = m.containsKey("sha256") ? y.scalar(m.get("sha256").value(), field + ".sha256") : null;
      String caText = m.containsKey("ca-file") ? y.scalar(m.get("ca-file").value(), field + ".ca-file") : null;
      String categoryText = m.containsKey("category") ? y.scalar(m.get("category").value(), field + ".category") : null;
      boolean expressions = y.flag(m, "expressions", field, true);
      if (name == null || formatText == null || pathText == null) {
        continue;
      }
      String listField = "lists." + name;
      ListFormat format = ListFormat.fromConfigName(formatText);
      if (format == null) {
        y.error(m.get("format").value(), listField + ".format", "unknown format '" + formatText
            + "' (expected: squidguard, hosts or plain)");
        continue;
      }
      if (lists.containsKey(name)) {
        y.error(m.get("name").value(), listField, "is declared twice (expected: unique list names)");
        continue;
      }
      Path path = dir.resolve(pathText);
      try {
        lists.put(name, new ListSource(name, format, path, requiredList,
            urlText == null ? null : java.net.URI.create(urlText.strip()), shaText == null ? null : shaText.strip(),
            caText == null ? null : dir.resolve(caText.strip()), expressions,
            categoryText == null ? null : categoryText.strip()));
      } catch (IllegalArgumentException ex) {
        Node at = m.containsKey("url") ? m.get("url").value()
            : m.containsKey("category") ? m.get("category").value() : m.get("name").value();
        y.error(at, listField, ex.getMessage());
        continue;
      }
      if (!listsOnly && !Files.isDirectory(path)) {
        if (requiredList) {
          y.error(m.get("path").value(), listField + ".path", "directory " + path
              + " does not exist (expected: a " + format.configName() + " list directory, or required: false"
              + (urlText == null ? ")" : "; 'schoolgate lists update' downloads it from the list's url)"));
        } else {
          y.warn(m.get("path").value(), listField + ".path", "directory " + path
              + " does not exist; its categories are empty (required: false)");
          missingLists.add(name);
        }
      }
    }
  }

  private void readSchedules(Entry e) {
    if (e == null) {
      return;
    }
    for (Map.Entry<String, Entry> s : y.mapping(e.value(), "schedules", null).entrySet()) {
      String field = "schedules." + s.getKey();
      if (!validName(s.getValue(), field, "schedule", s.getKey())) {
        continue;
      }
      Node node = s.getValue().value();
      Map<String, Entry> m = y.mapping(node, field, SCHEDULE_KEYS);
      Set<DayOfWeek> days = EnumSet.noneOf(DayOfWeek.class);
      if (!m.containsKey("days")) {
        y.error(node, field, "has no days (expected: e.g. days: [MON, TUE, WED, THU, FRI])");
      } else {
        for (Scalar d : y.scalars(m.get("days").value(), field + ".days")) {
          Set<DayOfWeek> parsed = days(d.text());
          if (parsed == null) {
            y.error(d.node(), d.field(), "unknown day '" + d.text()
                + "' (expected: MON, TUE, WED, THU, FRI, SAT, SUN, weekdays or weekend)");
          } else {
            days.addAll(parsed);
          }
        }
      }
      LocalTime from = time(m, "from", node, field);
      LocalTime to = time(m, "to", node, field);
      if (from == null || to == null || days.isEmpty() || !m.containsKey("days")) {
        continue;
      }
      try {
        schedules.put(s.getKey(), new Schedule(s.getKey(), days, from, to));
      } catch (IllegalArgumentException ex) {
        y.error(s.getValue().key(), field, ex.getMessage());
      }
    }
  }

  private LocalTime time(Map<String, Entry> m, String key, Node owner, String field) {
    String text = y.required(m, key, owner, field);
    if (text == null) {
      return null;
    }
    try {
      return LocalTime.parse(text.strip(), TIME);
    } catch (DateTimeParseException ex) {
      y.error(m.get(key).value(), field + "." + key, "'" + text + "' is not a time (expected: HH:MM, e.g. \"12:30\")");
      return null;
    }
  }

  private static Set<DayOfWeek> days(String text) {
    String t = text.strip().toUpperCase(Locale.ROOT);
    switch (t) {
      case "WEEKDAYS":
        return EnumSet.range(DayOfWeek.MONDAY, DayOfWeek.FRIDAY);
      case "WEEKEND":
        return EnumSet.of(DayOfWeek.SATURDAY, DayOfWeek.SUNDAY);
      default:
        for (DayOfWeek d : DayOfWeek.values()) {
          if (d.name().equals(t) || d.name().substring(0, 3).equals(t)) {
            return EnumSet.of(d);
          }
        }
        return null;
    }
  }

  private void readGroups(Entry e, Node root) {
    if (e == null || YamlNodes.isNull(e.value())) {
      y.error(e == null ? root : e.key(), "groups", "no groups are defined (expected: at least one, e.g. ks2: { subnets: [10.10.0.0/16] })");
      return;
    }
    Map<String, String> userGroup = new HashMap<>();
    for (Map.Entry<String, Entry> g : y.mapping(e.value(), "groups", null).entrySet()) {
      String field = "groups." + g.getKey();
      if (!validName(g.getValue(), field, "group", g.getKey())) {
        continue;
      }
      if (g.getKey().equals("default")) {
        y.error(g.getValue().key(), field, "'default' is the matrix's column for groups not named"
            + " (expected: another group name)");
        continue;
      }
      Map<String, Entry> m = y.mapping(g.getValue().value(), field, GROUP_KEYS);
      List<Subnet> subnets = new ArrayList<>();
      if (m.containsKey("subnets")) {
        for (Scalar s : y.scalars(m.get("subnets").value(), field + ".subnets")) {
          Subnet subnet = subnet(s);
          if (subnet != null) {
            subnets.add(subnet);
          }
        }
      }
      List<String> users = new ArrayList<>();
      if (m.containsKey("users")) {
        for (Scalar s : y.scalars(m.get("users").value(), field + ".users")) {
          String user = s.text().strip().toLowerCase(Locale.ROOT);
          String other = userGroup.putIfAbsent(user, g.getKey());
          if (other != null) {
            y.error(s.node(), s.field(), "user '" + user + "' is already in group '" + other
                + "' (expected: each user in one group)");
          } else {
            users.add(user);
          }
        }
      }
      String description = m.containsKey("description")
          ? y.scalar(m.get("description").value(), field + ".description") : "";
      try {
        groups.put(g.getKey(), new GroupConfig(new GroupId(g.getKey()), subnets, users, description));
      } catch (IllegalArgumentException ex) {
        y.error(g.getValue().key(), field, ex.getMessage());
      }
    }
  }

  private Subnet subnet(Scalar s) {
    try {
      return Subnet.parse(s.text());
    } catch (IllegalArgumentException ex) {
      y.error(s.node(), s.field(), ex.getMessage());
      return null;
    }
  }

  private void readCategories(Entry e) {
    if (e == null) {
      return;
    }
    for (Map.Entry<String, Entry> c : y.mapping(e.value(), "categories", null).entrySet()) {
      String field = "categories." + c.getKey();
      if (!validName(c.getValue(), field, "category", c.getKey())) {
        continue;
      }
      Map<String, Entry> m = y.mapping(c.getValue().value(), field, CATEGORY_KEYS);
      CategoryKind kind = CategoryKind.MATRIX;
      if (m.containsKey("kind")) {
        String k = y.scalar(m.get("kind").value(), field + ".kind");
        kind = k == null ? null : CategoryKind.fromConfigName(k);
        if (kind == null && k != null) {
          y.error(m.get("kind").value(), field + ".kind", "unknown kind '" + k
              + "' (expected: block-list or allow-list; leave it out for a matrix category)");
        }
      }
      List<SourceRef> sources = new ArrayList<>();
      if (m.containsKey("sources")) {
        for (Scalar s : y.scalars(m.get("sources").value(), field + ".sources")) {
          SourceRef ref = source(s);
          if (ref != null) {
            sources.add(ref);
          }
        }
      }
      List<String> domains = new ArrayList<>();
      if (m.containsKey("domains")) {
        for (Scalar s : y.scalars(m.get("domains").value(), field + ".domains")) {
          String d = Entries.domain(s.text());
          if (d == null) {
            y.error(s.node(), s.field(), "'" + s.text() + "' is not a domain (expected: e.g. example.com)");
          } else {
            domains.add(d);
          }
        }
      }
      List<String> urls = new ArrayList<>();
      if (m.containsKey("urls")) {
        for (Scalar s : y.scalars(m.get("urls").value(), field + ".urls")) {
          if (Entries.url(s.text()) == null) {
            y.error(s.node(), s.field(), "'" + s.text() + "' is not a URL entry (expected: host/path, e.g. example.com/games/)");
          } else {
            urls.add(s.text().strip());
          }
        }
      }
      List<Path> files = new ArrayList<>();
      if (m.containsKey("files")) {
        for (Scalar s : y.scalars(m.get("files").value(), field + ".files")) {
          Path p = dir.resolve(s.text().strip());
          if (!Files.isRegularFile(p)) {
            y.error(s.node(), s.field(), "file " + p + " does not exist (expected: a domain-per-line file)");
          } else {
            files.add(p);
          }
        }
      }
      String description = m.containsKey("description")
          ? y.scalar(m.get("description").value(), field + ".description") : "";
      boolean sensitive = y.flag(m, "sensitive", field, false);
      if (kind == null) {
        continue;
      }
      try {
        categories.put(c.getKey(), new CategoryConfig(new CategoryId(c.getKey()), kind, sources, domains,
            urls, files, description, sensitive));
      } catch (IllegalArgumentException ex) {
        y.error(c.getValue().key(), field, ex.getMessage());
      }
    }
  }

  private SourceRef source(Scalar s) {
    SourceRef ref;
    try {
      ref = SourceRef.parse(s.text().strip());
    } catch (IllegalArgumentException ex) {
      y.error(s.node(), s.field(), ex.getMessage());
      return null;
    }
    ListSource list = lists.get(ref.list());
    if (list == null) {
      y.error(s.node(), s.field(), "unknown list '" + ref.list() + "'"
          + YamlNodes.suggestion(ref.list(), lists.keySet()) + " (expected one of: "
          + (lists.isEmpty() ? "none are declared under 'lists'" : String.join(", ", lists.keySet())) + ")");
      return null;
    }
    if (missingLists.contains(ref.list())) {
      return ref;
    }
    Path catDir = list.path().resolve(ref.category());
    if (list.format().files(list.path(), ref.category()).isEmpty()) {
      String message = "list '" + ref.list() + "' has no category '" + ref.category() + "': "
          + (list.format() == ListFormat.SQUIDGUARD ? "no domains, urls or expressions in " + catDir
              : "no file " + catDir + "[.gz]");
      if (list.required()) {
        y.error(s.node(), s.field(), message + " (expected: a category directory of " + list.path() + ")");
        return null;
      }
      y.warn(s.node(), s.field(), message + "; it adds nothing (required: false)");
    }
    return ref;
  }

  private List<MatrixRow> readMatrix(Entry e) {
    List<MatrixRow> rows = new ArrayList<>();
    if (e == null) {
      return rows;
    }
    List<String> groupKeys = new ArrayList<>();
    groupKeys.add("default");
    groupKeys.addAll(groups.keySet());
    for (Map.Entry<String, Entry> r : y.mapping(e.value(), "matrix", null).entrySet()) {
      String category = r.getKey();
      String field = "matrix." + category;
      CategoryConfig config = categories.get(category);
      if (config == null) {
        y.error(r.getValue().key(), field, "unknown category '" + category + "'"
            + YamlNodes.suggestion(category, categories.keySet()) + " (expected one of the names under 'categories': "
            + String.join(", ", categories.keySet()) + ")");
        continue;
      }
      if (config.kind() != CategoryKind.MATRIX) {
        y.error(r.getValue().key(), field, "'" + category + "' is a " + config.kind().configName()
            + ", which needs no matrix row (expected: remove the row; a "
            + config.kind().configName() + " applies to every group)");
        continue;
      }
      Map<String, Entry> m = y.mapping(r.getValue().value(), field, groupKeys);
      Cell defaultCell = null;
      Map<GroupId, Cell> cells = new LinkedHashMap<>();
      boolean ok = true;
      for (Map.Entry<String, Entry> c : m.entrySet()) {
        Cell cell = cell(c.getValue().value(), field + "." + c.getKey());
        if (cell == null) {
          ok = false;
        } else if (c.getKey().equals("default")) {
          defaultCell = cell;
        } else {
          cells.put(new GroupId(c.getKey()), cell);
        }
      }
      if (!ok) {
        continue;
      }
      boolean illegalDefault = defaultCell != null && defaultCell.level() == Level.ILLEGAL;
      for (Map.Entry<GroupId, Cell> c : cells.entrySet()) {
        if (illegalDefault || c.getValue().level() == Level.ILLEGAL) {
          y.error(m.get(c.getKey().value()).key(), field + "." + c.getKey(), "'" + category
              + "' is illegal for everyone, so no group may differ (expected: only { default: illegal })");
          ok = false;
        }
      }
      if (defaultCell == null) {
        List<String> missing = groups.keySet().stream().filter(g -> !cells.containsKey(new GroupId(g))).toList();
        if (!missing.isEmpty()) {
          y.error(r.getValue().key(), field, "has no cell for " + String.join(", ", missing)
              + " (expected: a 'default' cell or one per group)");
          ok = false;
        }
      }
      if (ok) {
        try {
          rows.add(new MatrixRow(new CategoryId(category), defaultCell, cells));
        } catch (IllegalArgumentException ex) {
          y.error(r.getValue().key(), field, ex.getMessage());
        }
      }
    }
    return rows;
  }

  /** Every matrix category needs a row; rows that had errors count as present (already reported). */
  private void checkEveryCategoryHasARow(Entry matrix, Node root) {
    Set<String> named = new java.util.HashSet<>();
    if (matrix != null && matrix.value() instanceof MappingNode m) {
      m.getValue().forEach(t -> named.add(scalarText(t.getKeyNode())));
    }
    for (CategoryConfig c : categories.values()) {
      if (c.kind() == CategoryKind.MATRIX && !named.contains(c.id().value())) {
        y.error(matrix == null ? root : matrix.key(), "matrix", "category '" + c.id() + "' has no row (expected: e.g. "
            + c.id() + ": { default: unacceptable })");
      }
    }
  }

  private static String scalarText(Node n) {
    return n instanceof org.yaml.snakeyaml.nodes.ScalarNode s ? s.getValue() : null;
  }

  private Cell cell(Node node, String field) {
    if (node instanceof org.yaml.snakeyaml.nodes.ScalarNode) {
      String text = y.scalar(node, field);
      if (text == null) {
        return null;
      }
      Level level = Level.fromConfigName(text);
      if (level == null) {
        y.error(node, field, "unknown level '" + text + "' (expected: acceptable, unacceptable, illegal,"
            + " { at-times: [schedule, ...] } or { nominated: [user, ...] })");
        return null;
      }
      if (level == Level.ACCEPTABLE_AT_CERTAIN_TIMES) {
        y.error(node, field, "says when only through a schedule (expected: { at-times: [lunch, ...] })");
        return null;
      }
      if (level == Level.ACCEPTABLE_FOR_NOMINATED_USERS) {
        y.error(node, field, "says who only through names (expected: { nominated: [user, ...] }"
            + " or { nominated: { users: [...], groups: [...] } })");
        return null;
      }
      return Cell.of(level);
    }
    Map<String, Entry> m = y.mapping(node, field, CELL_KEYS);
    if (m.isEmpty()) {
      y.error(node, field, "is empty (expected: a level, { at-times: [...] } or { nominated: [...] })");
      return null;
    }
    int before = y.errors().size();
    List<String> times = new ArrayList<>();
    if (m.containsKey("at-times")) {
      for (Scalar s : y.scalars(m.get("at-times").value(), field + ".at-times")) {
        if (!schedules.containsKey(s.text())) {
          y.error(s.node(), s.field(), "unknown schedule '" + s.text() + "'"
              + YamlNodes.suggestion(s.text(), schedules.keySet()) + " (expected one of: "
              + (schedules.isEmpty() ? "none are declared under 'schedules'" : String.join(", ", schedules.keySet())) + ")");
        } else {
          times.add(s.text());
        }
      }
      if (times.isEmpty() && y.errors().size() == before) {
        y.error(m.get("at-times").value(), field + ".at-times", "names no schedule (expected: at-times: [lunch, ...])");
      }
    }
    Set<String> users = new LinkedHashSet<>();
    Set<GroupId> nominatedGroups = new LinkedHashSet<>();
    Set<String> directoryGroups = new LinkedHashSet<>();
    if (m.containsKey("nominated")) {
      Node n = m.get("nominated").value();
      String nField = field + ".nominated";
      if (n instanceof MappingNode) {
        Map<String, Entry> nm = y.mapping(n, nField, NOMINATED_KEYS);
        if (nm.containsKey("users")) {
          y.scalars(nm.get("users").value(), nField + ".users")
              .forEach(s -> users.add(s.text().strip().toLowerCase(Locale.ROOT)));
        }
        if (nm.containsKey("groups")) {
          for (Scalar s : y.scalars(nm.get("groups").value(), nField + ".groups")) {
            if (!groups.containsKey(s.text())) {
              y.error(s.node(), s.field(), "unknown group '" + s.text() + "'"
                  + YamlNodes.suggestion(s.text(), groups.keySet()) + " (expected one of: "
                  + String.join(", ", groups.keySet()) + ")");
            } else {
              nominatedGroups.add(new GroupId(s.text()));
            }
          }
        }
        if (nm.containsKey("directory-groups")) {
          for (Scalar s : y.scalars(nm.get("directory-groups").value(), nField + ".directory-groups")) {
            String problem = org.schoolgate.policy.DirectoryGroupName.problem(s.text());
            if (problem != null) {
              y.error(s.node(), s.field(), problem);
            } else {
              directoryGroups.add(s.text().strip());
            }
          }
        }
      } else {
        y.scalars(n, nField).forEach(s -> users.add(s.text().strip().toLowerCase(Locale.ROOT)));
      }
      if (users.isEmpty() && nominatedGroups.isEmpty() && directoryGroups.isEmpty() && y.errors().size() == before) {
        y.error(n, nField, "nominates nobody (expected: nominated: [user, ...] or"
            + " nominated: { users: [...], groups: [...], directory-groups: [...] })");
      }
    }
    if (y.errors().size() > before) {
      return null;
    }
    Level level = m.containsKey("nominated") ? Level.ACCEPTABLE_FOR_NOMINATED_USERS : Level.ACCEPTABLE_AT_CERTAIN_TIMES;
    try {
      return new Cell(level, times, users, nominatedGroups, directoryGroups);
    } catch (IllegalArgumentException ex) {
      y.error(node, field, ex.getMessage());
      return null;
    }
  }

  private ClientsConfig readClients(Entry e) {
    if (e == null) {
      return new ClientsConfig(List.of(), null);
    }
    Map<String, Entry> m = y.mapping(e.value(), "clients", CLIENT_KEYS);
    List<Subnet> allow = new ArrayList<>();
    if (m.containsKey("allow")) {
      for (Scalar s : y.scalars(m.get("allow").value(), "clients.allow")) {
        Subnet subnet = subnet(s);
        if (subnet != null) {
          allow.add(subnet);
        }
      }
    }
    GroupId unknown = null;
    if (m.containsKey("unknown-group")) {
      String g = y.scalar(m.get("unknown-group").value(), "clients.unknown-group");
      if (g != null && !groups.containsKey(g)) {
        y.error(m.get("unknown-group").value(), "clients.unknown-group", "unknown group '" + g + "'"
            + YamlNodes.suggestion(g, groups.keySet()) + " (expected one of: " + String.join(", ", groups.keySet()) + ")");
      } else if (g != null) {
        unknown = new GroupId(g);
      }
    }
    return new ClientsConfig(allow, unknown);
  }

  private Level readDefault(Entry e) {
    if (e == null) {
      return Level.ACCEPTABLE;
    }
    String text = y.scalar(e.value(), "default");
    Level level = text == null ? null : Level.fromConfigName(text);
    if (level != Level.ACCEPTABLE && level != Level.UNACCEPTABLE) {
      if (text != null) {
        y.error(e.value(), "default", "is '" + text + "' (expected: acceptable or unacceptable)");
      }
      return Level.ACCEPTABLE;
    }
    return level;
  }

  private TunnelConfig readTunnels(Entry e) {
    if (e == null || YamlNodes.isNull(e.value())) {
      return TunnelConfig.DEFAULTS;
    }
    int before = y.errors().size();
    Map<String, Entry> m = y.mapping(e.value(), "tunnels", TUNNEL_KEYS);
    List<TunnelConfig.PortRange> ports = new ArrayList<>(TunnelConfig.DEFAULTS.allowedPorts());
    if (m.containsKey("allowed-ports")) {
      ports.clear();
      for (Scalar s : y.scalars(m.get("allowed-ports").value(), "tunnels.allowed-ports")) {
        try {
          ports.add(TunnelConfig.PortRange.parse(s.text()));
        } catch (IllegalArgumentException ex) {
          y.error(s.node(), s.field(), ex.getMessage());
        }
      }
      if (ports.isEmpty() && y.errors().size() == before) {
        y.error(m.get("allowed-ports").value(), "tunnels.allowed-ports",
            "is empty (expected: at least one port, e.g. [443])");
      }
    }
    List<Subnet> ipAllow = new ArrayList<>();
    if (m.containsKey("ip-allow")) {
      for (Scalar s : y.scalars(m.get("ip-allow").value(), "tunnels.ip-allow")) {
        Subnet subnet = subnet(s);
        if (subnet != null) {
          ipAllow.add(subnet);
        }
      }
    }
    Map<org.schoolgate.policy.TunnelCheck, TunnelConfig.CheckLevels> checks =
        new java.util.EnumMap<>(org.schoolgate.policy.TunnelCheck.class);
    List<String> groupKeys = new ArrayList<>();
    groupKeys.add("default");
    groupKeys.addAll(groups.keySet());
    for (org.schoolgate.policy.TunnelCheck check : org.schoolgate.policy.TunnelCheck.values()) {
      Entry c = m.get(check.configName());
      if (!check.configurable() || c == null) {
        continue;
      }
      String field = "tunnels." + check.configName();
      org.schoolgate.policy.Action defaultAction = org.schoolgate.policy.Action.BLOCK;
      Map<GroupId, org.schoolgate.policy.Action> byGroup = new LinkedHashMap<>();
      if (c.value() instanceof org.yaml.snakeyaml.nodes.ScalarNode) {
        org.schoolgate.policy.Action a = tunnelAction(c.value(), field);
        defaultAction = a == null ? defaultAction : a;
      } else {
        for (Map.Entry<String, Entry> g : y.mapping(c.value(), field, groupKeys).entrySet()) {
          org.schoolgate.policy.Action a = tunnelAction(g.getValue().value(), field + "." + g.getKey());
          if (a == null) {
            continue;
          }
          if (g.getKey().equals("default")) {
            defaultAction = a;
          } else {
            byGroup.put(new GroupId(g.getKey()), a);
          }
        }
      }
      checks.put(check, new TunnelConfig.CheckLevels(defaultAction, byGroup));
    }
    if (y.errors().size() > before) {
      return TunnelConfig.DEFAULTS;
    }
    try {
      return new TunnelConfig(ports, ipAllow, checks);
    } catch (IllegalArgumentException ex) {
      y.error(e.key(), "tunnels", ex.getMessage());
      return TunnelConfig.DEFAULTS;
    }
  }

  private SafeSearchConfig readSafeSearch(Entry e) {
    if (e == null || YamlNodes.isNull(e.value())) {
      return SafeSearchConfig.DEFAULTS;
    }
    int before = y.errors().size();
    Map<String, Entry> m = y.mapping(e.value(), "safesearch", SAFESEARCH_KEYS);
    Map<GroupId, SafeSearchConfig.SearchMode> search = new LinkedHashMap<>();
    SafeSearchConfig.SearchMode searchDefault = perGroup(m.get("search"), "safesearch.search",
        SafeSearchConfig.SearchMode.ENFORCE, search, "enforce or off",
        SafeSearchConfig.SearchMode::fromConfigName);
    Map<GroupId, SafeSearchConfig.YouTubeMode> youtube = new LinkedHashMap<>();
    SafeSearchConfig.YouTubeMode youtubeDefault = perGroup(m.get("youtube"), "safesearch.youtube",
        SafeSearchConfig.YouTubeMode.STRICT, youtube, "strict, moderate or off",
        SafeSearchConfig.YouTubeMode::fromConfigName);
    if (y.errors().size() > before) {
      return SafeSearchConfig.DEFAULTS;
    }
    return new SafeSearchConfig(searchDefault, search, youtubeDefault, youtube);
  }

  private InterceptionConfig readInterception(Entry e) {
    if (e == null || YamlNodes.isNull(e.value())) {
      return InterceptionConfig.NONE;
    }
    int before = y.errors().size();
    Map<String, Entry> m = y.mapping(e.value(), "interception", INTERCEPTION_KEYS);
    Map<GroupId, InterceptionConfig.Mode> byGroup = new LinkedHashMap<>();
    InterceptionConfig.Mode groupDefault = perGroup(m.get("groups"), "interception.groups",
        InterceptionConfig.Mode.OFF, byGroup, "off, search, search-and-blocked, paths or all",
        InterceptionConfig.Mode::fromConfigName);
    List<org.schoolgate.policy.CategoryId> extra = interceptionCategories(m.get("categories"),
        "interception.categories");
    List<org.schoolgate.policy.CategoryId> never = interceptionCategories(m.get("never"),
        "interception.never");
    if (y.errors().size() > before) {
      return InterceptionConfig.NONE;
    }
    return new InterceptionConfig(groupDefault, byGroup, extra, never);
  }

  private List<org.schoolgate.policy.CategoryId> interceptionCategories(Entry e, String field) {
    List<org.schoolgate.policy.CategoryId> out = new ArrayList<>();
    if (e == null || YamlNodes.isNull(e.value())) {
      return out;
    }
    for (Scalar s : y.scalars(e.value(), field)) {
      String name = s.text().strip();
      if (!categories.containsKey(name)) {
        y.error(s.node(), field, "category '" + name
            + "' is not a category (expected: one of the names under 'categories')");
      } else {
        out.add(new org.schoolgate.policy.CategoryId(name));
      }
    }
    return out;
  }

  /**
   * Reads a bare value (every group) or {@code { default: ..., <group>: ... }} into
   * {@code byGroup}; returns the default ({@code fallback} when absent or wrong).
   */
  private <T> T perGroup(Entry e, String field, T fallback, Map<GroupId, T> byGroup,
      String expected, java.util.function.Function<String, T> parse) {
    if (e == null || YamlNodes.isNull(e.value())) {
      return fallback;
    }
    if (e.value() instanceof org.yaml.snakeyaml.nodes.ScalarNode) {
      T v = modeOf(e.value(), field, expected, parse);
      return v == null ? fallback : v;
    }
    List<String> groupKeys = new ArrayList<>();
    groupKeys.add("default");
    groupKeys.addAll(groups.keySet());
    T defaultValue = fallback;
    for (Map.Entry<String, Entry> g : y.mapping(e.value(), field, groupKeys).entrySet()) {
      T v = modeOf(g.getValue().value(), field + "." + g.getKey(), expected, parse);
      if (v == null) {
        continue;
      }
      if (g.getKey().equals("default")) {
        defaultValue = v;
      } else {
        byGroup.put(new GroupId(g.getKey()), v);
      }
    }
    return defaultValue;
  }

  private <T> T modeOf(Node node, String field, String expected,
      java.util.function.Function<String, T> parse) {
    String text = y.scalar(node, field);
    if (text == null) {
      return null;
    }
    T v = parse.apply(text);
    if (v == null) {
      y.error(node, field, "is '" + text + "' (expected: " + expected + ")");
    }
    return v;
  }

  private org.schoolgate.policy.Action tunnelAction(Node node, String field) {
    String text = y.scalar(node, field);
    if (text == null) {
      return null;
    }
    switch (text.strip().toLowerCase(Locale.ROOT)) {
      case "allow":
        return org.schoolgate.policy.Action.ALLOW;
      case "block":
        return org.schoolgate.policy.Action.BLOCK;
      default:
        y.error(node, field, "is '" + text + "' (expected: allow or block)");
        return null;
    }
  }

  private boolean validName(Entry e, String field, String what, String name) {
    if (NAME.matcher(name).matches()) {
      return true;
    }
    y.error(e.key(), field, what + " name '" + name + "' has characters other than letters, digits,"
        + " '-', '_' and '.' (expected: e.g. online-gaming)");
    return false;
  }
}
