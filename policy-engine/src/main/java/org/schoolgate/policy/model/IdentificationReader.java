package org.schoolgate.policy.model;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.schoolgate.policy.DirectoryGroupName;
import org.schoolgate.policy.GroupId;
import org.schoolgate.policy.model.YamlNodes.Entry;
import org.schoolgate.policy.model.YamlNodes.Scalar;
import org.yaml.snakeyaml.nodes.Node;

/**
 * Reads the {@code identification:} section into an {@link IdentificationConfig}, reporting
 * problems through {@link YamlNodes} with file:line:field. Package-private helper of
 * {@link PolicyReader}; runs after groups, matrix, tunnels and safesearch are read, so an
 * {@code unmapped-group} more permissive than its network's subnet groups is reported on its line.
 */
final class IdentificationReader {
  static final String KEY = "identification";
  private static final List<String> KEYS = List.of("networks", "directory-groups", "sign-in-hosts");
  private static final List<String> NETWORK_KEYS = List.of("subnets", "proxy-auth", "schemes", "logon-sessions",
      "radius", "sign-in-page", "bind-for", "device", "unmapped-group");
  private static final java.util.regex.Pattern DURATION = java.util.regex.Pattern.compile("(\\d{1,6})\\s*(s|m|h|d)");
  private static final List<String> MAPPING_KEYS = List.of("directory-group", "group");

  private final YamlNodes y;
  private final Set<String> groups;

  IdentificationReader(YamlNodes y, Set<String> groups) {
    this.y = y;
    this.groups = groups;
  }

  /** The parsed section; {@link IdentificationConfig#NONE} when it is absent or has errors. */
  IdentificationConfig read(Entry e, ClientsConfig clients, List<GroupConfig> groupConfigs, List<MatrixRow> matrix,
      TunnelConfig tunnels, SafeSearchConfig safeSearch) {
    if (e == null || YamlNodes.isNull(e.value())) {
      return IdentificationConfig.NONE;
    }
    int before = y.errors().size();
    Map<String, Entry> m = y.mapping(e.value(), KEY, KEYS);
    List<NetworkConfig> networks = new ArrayList<>();
    NetworkConfig defaults = NetworkConfig.DEFAULTS;
    Entry networksEntry = m.get("networks");
    if (networksEntry != null) {
      GroupId unknown = clients.unknownGroup() != null ? clients.unknownGroup()
          : Permissiveness.mostRestrictiveGroup(groupConfigs, matrix);
      Set<GroupId> declared = new HashSet<>();
      groupConfigs.forEach(g -> declared.add(g.id()));
      for (Map.Entry<String, Entry> n : y.mapping(networksEntry.value(), KEY + ".networks", null).entrySet()) {
        NetworkConfig network = network(n.getKey(), n.getValue());
        if (network == null) {
          continue;
        }
        String problem = PolicyConfig.unmappedProblem(network, groupConfigs, declared, unknown, matrix, tunnels,
            safeSearch);
        if (problem != null) {
          Entry u = y.mapping(n.getValue().value(), "", null).get("unmapped-group");
          y.error(u == null ? n.getValue().key() : u.value(), KEY + ".networks." + n.getKey() + ".unmapped-group",
              problem);
          continue;
        }
        if (network.name().equals("default")) {
          defaults = network;
        } else {
          networks.add(network);
        }
      }
    }
    List<GroupMapping> mappings = mappings(m.get("directory-groups"));
    List<String> signInHosts = signInHosts(m.get("sign-in-hosts"));
    if (y.errors().size() > before) {
      return IdentificationConfig.NONE;
    }
    try {
      return new IdentificationConfig(networks, defaults, mappings, signInHosts);
    } catch (IllegalArgumentException ex) {
      y.error(e.key(), KEY, ex.getMessage());
      return IdentificationConfig.NONE;
    }
  }

  private NetworkConfig network(String name, Entry e) {
    String field = KEY + ".networks." + name;
    int before = y.errors().size();
    Map<String, Entry> m = y.mapping(e.value(), field, NETWORK_KEYS);
    List<Subnet> subnets = new ArrayList<>();
    if (m.containsKey("subnets")) {
      for (Scalar s : y.scalars(m.get("subnets").value(), field + ".subnets")) {
        try {
          subnets.add(Subnet.parse(s.text()));
        } catch (IllegalArgumentException ex) {
          y.error(s.node(), s.field(), ex.getMessage());
        }
      }
    }
    boolean isDefault = name.equals("default");
    if (isDefault && m.containsKey("subnets")) {
      y.error(m.get("subnets").key(), field + ".subnets", "the default network has no subnets: it is every client"
          + " in no listed network (expected: another network name for these subnets)");
    } else if (!isDefault && subnets.isEmpty() && y.errors().size() == before) {
      y.error(e.key(), field, "has no subnets (expected: subnets: [10.30.0.0/16])");
    }
    NetworkConfig.ProxyAuth proxyAuth = choice(m, "proxy-auth", field, NetworkConfig.ProxyAuth.class,
        NetworkConfig.ProxyAuth.OFF, "off, optional or required");
    List<NetworkConfig.Scheme> schemes = new ArrayList<>();
    if (m.containsKey("schemes")) {
      for (Scalar s : y.scalars(m.get("schemes").value(), field + ".schemes")) {
        NetworkConfig.Scheme scheme = NetworkConfig.parse(NetworkConfig.Scheme.class, s.text());
        if (scheme == null) {
          y.error(s.node(), s.field(), "is '" + s.text() + "' (expected: negotiate or basic)");
        } else if (schemes.contains(scheme)) {
          y.error(s.node(), s.field(), "'" + s.text() + "' is given twice (expected: each scheme once)");
        } else {
          schemes.add(scheme);
        }
      }
      if (schemes.isEmpty() && y.errors().size() == before) {
        y.error(m.get("schemes").value(), field + ".schemes", "is empty (expected: [negotiate, basic], or leave it"
            + " out for both)");
      }
    } else if (proxyAuth != NetworkConfig.ProxyAuth.OFF) {
      schemes.add(NetworkConfig.Scheme.NEGOTIATE);
      schemes.add(NetworkConfig.Scheme.BASIC);
    }
    boolean sessions = trust(m, "logon-sessions", field);
    boolean radius = trust(m, "radius", field);
    NetworkConfig.SignInPage signIn = choice(m, "sign-in-page", field, NetworkConfig.SignInPage.class,
        NetworkConfig.SignInPage.OFF, "off, optional or required");
    java.time.Duration bindFor = bindFor(m.get("bind-for"), field + ".bind-for", signIn);
    NetworkConfig.DeviceClass device = choice(m, "device", field, NetworkConfig.DeviceClass.class,
        NetworkConfig.DeviceClass.SCHOOL, "school or personal");
    GroupId unmapped = null;
    if (m.containsKey("unmapped-group")) {
      Entry u = m.get("unmapped-group");
      String g = y.scalar(u.value(), field + ".unmapped-group");
      if (g != null && !groups.contains(g.strip())) {
        y.error(u.value(), field + ".unmapped-group", "unknown group '" + g + "'"
            + YamlNodes.suggestion(g, groups) + " (expected one of: " + String.join(", ", groups) + ")");
      } else if (g != null) {
        unmapped = new GroupId(g.strip());
      }
    }
    if (y.errors().size() > before) {
      return null;
    }
    try {
      return new NetworkConfig(name, subnets, proxyAuth, schemes, sessions, radius, signIn, device, unmapped,
          bindFor);
    } catch (IllegalArgumentException ex) {
      y.error(e.key(), field, ex.getMessage());
      return null;
    }
  }

  /**
   * {@code bind-for: 9h}: how long a sign-in on the sign-in page binds the device, in the policy's
   * duration grammar, from 5m to 7d; only where the sign-in page is on.
   */
  private java.time.Duration bindFor(Entry e, String field, NetworkConfig.SignInPage signIn) {
    if (e == null) {
      return NetworkConfig.DEFAULT_BIND_FOR;
    }
    String text = y.scalar(e.value(), field);
    if (text == null) {
      return NetworkConfig.DEFAULT_BIND_FOR;
    }
    if (signIn == NetworkConfig.SignInPage.OFF) {
      y.error(e.key(), field, "is set but this network's sign-in page is off (expected: sign-in-page: optional or"
          + " required, or no bind-for)");
      return NetworkConfig.DEFAULT_BIND_FOR;
    }
    java.util.regex.Matcher mm = DURATION.matcher(text.strip());
    java.time.Duration d = null;
    if (mm.matches()) {
      long n = Long.parseLong(mm.group(1));
      d = switch (mm.group(2)) {
        case "s" -> java.time.Duration.ofSeconds(n);
        case "m" -> java.time.Duration.ofMinutes(n);
        case "h" -> java.time.Duration.ofHours(n);
        default -> java.time.Duration.ofDays(n);
      };
    }
    if (d == null || d.compareTo(NetworkConfig.MIN_BIND_FOR) < 0 || d.compareTo(NetworkConfig.MAX_BIND_FOR) > 0) {
      y.error(e.value(), field, "is '" + text + "' (expected: a duration from 5m to 7d, such as 45m, 9h or 1d)");
      return NetworkConfig.DEFAULT_BIND_FOR;
    }
    return d;
  }

  private List<GroupMapping> mappings(Entry e) {
    List<GroupMapping> out = new ArrayList<>();
    if (e == null || YamlNodes.isNull(e.value())) {
      return out;
    }
    Set<String> seen = new HashSet<>();
    List<Node> items = y.sequence(e.value(), KEY + ".directory-groups");
    for (int i = 0; i < items.size(); i++) {
      String field = KEY + ".directory-groups[" + i + "]";
      Node item = items.get(i);
      Map<String, Entry> m = y.mapping(item, field, MAPPING_KEYS);
      String directoryGroup = y.required(m, "directory-group", item, field);
      String group = y.required(m, "group", item, field);
      if (directoryGroup == null || group == null) {
        continue;
      }
      String problem = DirectoryGroupName.problem(directoryGroup);
      if (problem != null) {
        y.error(m.get("directory-group").value(), field + ".directory-group", problem);
        continue;
      }
      if (!groups.contains(group.strip())) {
        y.error(m.get("group").value(), field + ".group", "unknown group '" + group + "'"
            + YamlNodes.suggestion(group, groups) + " (expected one of: " + String.join(", ", groups) + ")");
        continue;
      }
      if (!seen.add(DirectoryGroupName.normalise(directoryGroup))) {
        y.error(m.get("directory-group").value(), field + ".directory-group", "'" + directoryGroup
            + "' is mapped twice (expected: each directory group once; the first line wins)");
        continue;
      }
      out.add(new GroupMapping(directoryGroup.strip(), new GroupId(group.strip())));
    }
    return out;
  }

  /**
   * {@code sign-in-hosts: [login.microsoftonline.com, accounts.google.com]}: host names, each
   * normalised by the one URL parser; an IP address, a wildcard or a URL is reported.
   */
  private List<String> signInHosts(Entry e) {
    List<String> out = new ArrayList<>();
    if (e == null || YamlNodes.isNull(e.value())) {
      return out;
    }
    for (Scalar s : y.scalars(e.value(), KEY + ".sign-in-hosts")) {
      String text = s.text().strip();
      String host;
      try {
        host = text.contains("/") || text.contains("*") || text.contains(":") ? null
            : org.schoolgate.policy.url.UrlParser.normalizeHost(text);
      } catch (IllegalArgumentException ex) {
        host = null;
      }
      if (host == null || host.indexOf('.') < 0 || host.chars().allMatch(c -> c == '.' || Character.isDigit(c))) {
        y.error(s.node(), s.field(), "'" + text + "' is not a host name (expected: a sign-in host such as"
            + " login.microsoftonline.com; its subdomains are included, no scheme, path or wildcard)");
      } else if (out.contains(host)) {
        y.error(s.node(), s.field(), "'" + text + "' is given twice (expected: each host once)");
      } else {
        out.add(host);
      }
    }
    return out;
  }

  private boolean trust(Map<String, Entry> m, String key, String field) {
    Entry e = m.get(key);
    if (e == null) {
      return true;
    }
    String text = y.scalar(e.value(), field + "." + key);
    if ("trusted".equals(text)) {
      return true;
    }
    if ("ignored".equals(text)) {
      return false;
    }
    if (text != null) {
      y.error(e.value(), field + "." + key, "is '" + text + "' (expected: trusted or ignored)");
    }
    return true;
  }

  private <E extends Enum<E>> E choice(Map<String, Entry> m, String key, String field, Class<E> type, E fallback,
      String expected) {
    Entry e = m.get(key);
    if (e == null) {
      return fallback;
    }
    String text = y.scalar(e.value(), field + "." + key);
    if (text == null) {
      return fallback;
    }
    E value = NetworkConfig.parse(type, text);
    if (value == null) {
      y.error(e.value(), field + "." + key, "is '" + text + "' (expected: " + expected + ")");
      return fallback;
    }
    return value;
  }
}
