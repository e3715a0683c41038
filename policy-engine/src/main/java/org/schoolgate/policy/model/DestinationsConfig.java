package org.schoolgate.policy.model;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.schoolgate.policy.GroupId;
import org.schoolgate.policy.destination.AddressTable;

/**
 * The policy's {@code destinations:} section: which addresses behind the proxy its groups may
 * reach. The proxy host and link-local addresses are never reachable for clients elsewhere;
 * internal ones (RFC 1918, CGNAT, ULA, ... and {@code internal-ranges}) only for the groups in
 * {@code allow-internal} and through the {@code intranet} entries.
 *
 * <pre>{@code
 * destinations:
 *   internal-ranges: [203.0.113.0/24]
 *   allow-internal: [staff]
 *   intranet:
 *     - { host: vle.school.example, ports: [80, 443] }
 *     - { network: 10.20.30.0/24, ports: [80, 443, 631], groups: [ks3-4] }
 * }</pre>
 *
 * @param internalRanges the school's own networks, internal in addition to the built-in ranges
 * @param allowInternal groups that may reach every internal address (never the proxy host or
 *     link-local)
 * @param intranet internal hosts and networks that every group (or the groups named) may reach
 */
public record DestinationsConfig(List<Subnet> internalRanges, Set<GroupId> allowInternal,
    List<IntranetEntry> intranet) {

  /** No school ranges, no group allowed internal addresses, no intranet. */
  public static final DestinationsConfig DEFAULTS =
      new DestinationsConfig(List.of(), Set.of(), List.of());

  public DestinationsConfig {
    internalRanges = List.copyOf(internalRanges);
    allowInternal = java.util.Collections.unmodifiableSet(new LinkedHashSet<>(allowInternal));
    intranet = List.copyOf(intranet);
    AddressTable table = new AddressTable(internalRanges);
    for (Subnet s : internalRanges) {
      if (AddressTable.BUILT_IN.kind(s.network()).compareTo(
          org.schoolgate.policy.destination.AddressKind.INTERNAL) > 0) {
        throw new IllegalArgumentException("destinations.internal-ranges: " + s + " is "
            + AddressTable.BUILT_IN.kind(s.network()).logName() + ", never reachable"
            + " (expected: the school's own networks, e.g. 203.0.113.0/24)");
      }
    }
    for (IntranetEntry e : intranet) {
      if (e.network() != null && !table.internal(e.network())) {
        throw new IllegalArgumentException("destinations.intranet: network " + e.network()
            + " is not inside an internal range (expected: a network inside RFC 1918, CGNAT, ULA"
            + " or destinations.internal-ranges; public addresses need no entry, the proxy host"
            + " and link-local addresses cannot have one)");
      }
    }
  }

  /**
   * One intranet entry: a host name (what the request names; its address must be internal) or a
   * network, the ports it may be reached on, and the groups it is for.
   *
   * @param host a normalised host name, or null for a network entry
   * @param network an internal network (an address is a /32 or /128), or null for a host entry
   * @param ports the ports; empty means every port
   * @param groups the groups; empty means every group
   */
  public record IntranetEntry(String host, Subnet network, List<TunnelConfig.PortRange> ports,
      Set<GroupId> groups) {
    public IntranetEntry {
      if ((host == null) == (network == null)) {
        throw new IllegalArgumentException("an intranet entry names " + (host == null
            ? "neither a host nor a network" : "both a host and a network")
            + " (expected: exactly one of host: or network:)");
      }
      ports = List.copyOf(ports);
      groups = java.util.Collections.unmodifiableSet(new LinkedHashSet<>(groups));
    }

    /** True when {@code port} is one of this entry's ports (every port when none are listed). */
    public boolean allowsPort(int port) {
      if (ports.isEmpty()) {
        return true;
      }
      for (TunnelConfig.PortRange r : ports) {
        if (port >= r.from() && port <= r.to()) {
          return true;
        }
      }
      return false;
    }

    /** What the entry names, for reasons: {@code vle.school.example:80,443} or a network. */
    public String describe() {
      String what = host != null ? host : network.toString();
      return ports.isEmpty() ? what : what + ":" + String.join(",",
          ports.stream().map(Object::toString).toList());
    }
  }

  /** Checks that every group named exists in {@code groups}. */
  void checkGroups(List<GroupConfig> groups) {
    Objects.requireNonNull(groups, "groups");
    Set<GroupId> known = new LinkedHashSet<>();
    groups.forEach(g -> known.add(g.id()));
    for (GroupId g : allowInternal) {
      if (!known.contains(g)) {
        throw new IllegalArgumentException("destinations.allow-internal: group '" + g
            + "' is not a group (expected: one of the names under 'groups')");
      }
    }
    for (IntranetEntry e : intranet) {
      for (GroupId g : e.groups()) {
        if (!known.contains(g)) {
          throw new IllegalArgumentException("destinations.intranet: group '" + g
              + "' is not a group (expected: one of the names under 'groups')");
        }
      }
    }
  }
}
