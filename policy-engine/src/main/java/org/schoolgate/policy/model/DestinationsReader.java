package org.schoolgate.policy.model;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.schoolgate.policy.GroupId;
import org.schoolgate.policy.destination.AddressKind;
import org.schoolgate.policy.destination.AddressTable;
import org.schoolgate.policy.model.YamlNodes.Entry;
import org.schoolgate.policy.model.YamlNodes.Scalar;
import org.schoolgate.policy.url.UrlParser;
import org.yaml.snakeyaml.nodes.Node;

/**
 * Reads the {@code destinations:} section into a {@link DestinationsConfig}, reporting problems
 * through {@link YamlNodes} with file:line:field. Package-private helper of {@link PolicyReader}.
 */
final class DestinationsReader {
  static final String KEY = "destinations";
  private static final List<String> KEYS = List.of("internal-ranges", "allow-internal", "intranet");
  private static final List<String> ENTRY_KEYS = List.of("host", "network", "ports", "groups");

  private final YamlNodes y;
  private final Set<String> groups;

  DestinationsReader(YamlNodes y, Set<String> groups) {
    this.y = y;
    this.groups = groups;
  }

  DestinationsConfig read(Entry e) {
    if (e == null || YamlNodes.isNull(e.value())) {
      return DestinationsConfig.DEFAULTS;
    }
    int before = y.errors().size();
    Map<String, Entry> m = y.mapping(e.value(), KEY, KEYS);
    List<Subnet> ranges = new ArrayList<>();
    if (m.containsKey("internal-ranges")) {
      for (Scalar s : y.scalars(m.get("internal-ranges").value(), KEY + ".internal-ranges")) {
        Subnet subnet = subnet(s);
        if (subnet == null) {
          continue;
        }
        AddressKind kind = AddressTable.BUILT_IN.kind(subnet.network());
        if (kind.compareTo(AddressKind.INTERNAL) > 0) {
          y.error(s.node(), s.field(), subnet + " is " + kind.logName() + ", never reachable through"
              + " the proxy (expected: the school's own networks, e.g. 203.0.113.0/24)");
        } else {
          ranges.add(subnet);
        }
      }
    }
    Set<GroupId> allowInternal = m.containsKey("allow-internal")
        ? groupList(m.get("allow-internal").value(), KEY + ".allow-internal") : Set.of();
    AddressTable table = new AddressTable(ranges);
    List<DestinationsConfig.IntranetEntry> intranet = new ArrayList<>();
    if (m.containsKey("intranet")) {
      List<Node> items = y.sequence(m.get("intranet").value(), KEY + ".intranet");
      for (int i = 0; i < items.size(); i++) {
        DestinationsConfig.IntranetEntry entry = entry(items.get(i), KEY + ".intranet[" + i + "]",
            table);
        if (entry != null) {
          intranet.add(entry);
        }
      }
    }
    if (y.errors().size() > before) {
      return DestinationsConfig.DEFAULTS;
    }
    try {
      return new DestinationsConfig(ranges, allowInternal, intranet);
    } catch (IllegalArgumentException ex) {
      y.error(e.key(), KEY, ex.getMessage());
      return DestinationsConfig.DEFAULTS;
    }
  }

  private DestinationsConfig.IntranetEntry entry(Node item, String field, AddressTable table) {
    Map<String, Entry> m = y.mapping(item, field, ENTRY_KEYS);
    if (m.containsKey("host") == m.containsKey("network")) {
      y.error(item, field, (m.containsKey("host") ? "names both a host and a network"
          : "names neither a host nor a network")
          + " (expected: exactly one, e.g. { host: vle.school.example, ports: [443] }"
          + " or { network: 10.20.30.0/24 })");
      return null;
    }
    String host = null;
    Subnet network = null;
    if (m.containsKey("host")) {
      String text = y.scalar(m.get("host").value(), field + ".host");
      if (text == null) {
        return null;
      }
      try {
        host = UrlParser.normalizeHost(text.strip());
      } catch (IllegalArgumentException ex) {
        y.error(m.get("host").value(), field + ".host", ex.getMessage());
        return null;
      }
      if (host.indexOf(':') >= 0 || host.chars().allMatch(c -> c == '.' || Character.isDigit(c))) {
        network = Subnet.parse(host); // an address: the entry is that one address
        host = null;
      }
    } else {
      String text = y.scalar(m.get("network").value(), field + ".network");
      network = text == null ? null : subnet(new Scalar(m.get("network").value(),
          field + ".network", text));
      if (network == null) {
        return null;
      }
    }
    if (network != null && !table.internal(network)) {
      Node at = m.containsKey("host") ? m.get("host").value() : m.get("network").value();
      AddressKind kind = table.kind(network.network());
      y.error(at, field + (m.containsKey("host") ? ".host" : ".network"), network + " is "
          + (kind == AddressKind.INTERNAL ? "not wholly inside one internal range" : kind.logName())
          + " (expected: an address or network inside RFC 1918, CGNAT, ULA or"
          + " destinations.internal-ranges; public addresses need no entry, and the proxy host,"
          + " link-local and reserved addresses cannot have one)");
      return null;
    }
    List<TunnelConfig.PortRange> ports = new ArrayList<>();
    if (m.containsKey("ports")) {
      for (Scalar s : y.scalars(m.get("ports").value(), field + ".ports")) {
        try {
          ports.add(TunnelConfig.PortRange.parse(s.text()));
        } catch (IllegalArgumentException ex) {
          y.error(s.node(), s.field(), ex.getMessage());
        }
      }
    }
    Set<GroupId> entryGroups = m.containsKey("groups")
        ? groupList(m.get("groups").value(), field + ".groups") : Set.of();
    return new DestinationsConfig.IntranetEntry(host, network, ports, entryGroups);
  }

  private Set<GroupId> groupList(Node node, String field) {
    Set<GroupId> out = new LinkedHashSet<>();
    for (Scalar s : y.scalars(node, field)) {
      String name = s.text().strip();
      if (!groups.contains(name)) {
        y.error(s.node(), s.field(), "unknown group '" + name + "'" + YamlNodes.suggestion(name, groups)
            + " (expected one of the names under 'groups')");
      } else {
        out.add(new GroupId(name));
      }
    }
    return out;
  }

  private Subnet subnet(Scalar s) {
    try {
      return Subnet.parse(s.text());
    } catch (IllegalArgumentException ex) {
      y.error(s.node(), s.field(), ex.getMessage());
      return null;
    }
  }
}
