package org.schoolgate.policy.compile;

import java.util.ArrayList;
import java.util.List;
import org.schoolgate.policy.CategorySet;
import org.schoolgate.policy.Decision;
import org.schoolgate.policy.GroupId;
import org.schoolgate.policy.Level;
import org.schoolgate.policy.Rule;
import org.schoolgate.policy.destination.AddressKind;
import org.schoolgate.policy.destination.AddressTable;
import org.schoolgate.policy.destination.MetadataNames;
import org.schoolgate.policy.model.DestinationsConfig;
import org.schoolgate.policy.model.GroupConfig;
import org.schoolgate.policy.model.Subnet;
import org.schoolgate.policy.model.TunnelConfig;

/**
 * The compiled {@code destinations:} section: the address table (built-in ranges plus the
 * school's), per group whether internal addresses are allowed and which intranet entries apply
 * (hosts, networks and ports as plain arrays), and one prebuilt {@link Decision} per (group,
 * outcome), all with rule {@code internal-destination}. Deciding reads arrays and compares
 * strings; it allocates nothing.
 *
 * <p>Order: a client on the proxy host may go anywhere (it could anyway); a cloud metadata name
 * is refused; then by the address's class: public → allowed; the proxy host (also any address of
 * the proxy's interfaces), link-local and reserved → refused; internal → allowed for groups in
 * {@code allow-internal} and for what an intranet entry of the group names, refused otherwise.
 */
final class DestinationDecisions {
  /** What decided; the index into a group's prebuilt decisions. */
  enum Outcome {
    PUBLIC, LOCAL_CLIENT, ALLOWED_INTERNAL, INTRANET, PROXY_HOST, LINK_LOCAL, METADATA, RESERVED,
    INTERNAL, PERSONAL_DEVICE
  }

  private static final Outcome[] OUTCOMES = Outcome.values();

  private final AddressTable table;
  private final boolean[] allowInternal;
  private final Intranet[][] intranet;
  private final Decision[][] decisions;

  /** One intranet entry as plain values. */
  private record Intranet(String host, Subnet network, int[] portFrom, int[] portTo) {
    boolean matches(String requestHost, byte[] address, int port) {
      if (host != null ? !host.equals(requestHost) : !network.contains(address)) {
        return false;
      }
      if (portFrom.length == 0 || port < 0) {
        return true; // every port, or the resolver asking about an address without a port
      }
      for (int i = 0; i < portFrom.length; i++) {
        if (port >= portFrom[i] && port <= portTo[i]) {
          return true;
        }
      }
      return false;
    }
  }

  DestinationDecisions(DestinationsConfig config, List<GroupConfig> groups) {
    this.table = new AddressTable(config.internalRanges());
    this.allowInternal = new boolean[groups.size()];
    this.intranet = new Intranet[groups.size()][];
    this.decisions = new Decision[groups.size()][];
    for (int g = 0; g < groups.size(); g++) {
      GroupConfig group = groups.get(g);
      allowInternal[g] = config.allowInternal().contains(group.id());
      List<Intranet> mine = new ArrayList<>();
      for (DestinationsConfig.IntranetEntry e : config.intranet()) {
        if (e.groups().isEmpty() || e.groups().contains(group.id())) {
          int[] from = new int[e.ports().size()];
          int[] to = new int[e.ports().size()];
          for (int i = 0; i < from.length; i++) {
            TunnelConfig.PortRange r = e.ports().get(i);
            from[i] = r.from();
            to[i] = r.to();
          }
          mine.add(new Intranet(e.host(), e.network(), from, to));
        }
      }
      intranet[g] = mine.toArray(new Intranet[0]);
      decisions[g] = new Decision[OUTCOMES.length];
      for (Outcome o : OUTCOMES) {
        decisions[g][o.ordinal()] = build(group.id(), group.displayName(), o);
      }
    }
  }

  /** The table this policy classifies addresses with. */
  AddressTable table() {
    return table;
  }

  /** The decision for the group at {@code index} (negative: unknown → null). */
  Decision decide(int index, String host, byte[] address, int port, boolean clientOnProxyHost,
      boolean proxyAddress) {
    return decide(index, host, address, port, clientOnProxyHost, proxyAddress, false);
  }

  /**
   * {@code personalDevice}: the client is on a network of personally owned devices ({@code
   * device: personal}): the internet only — any other address is refused whatever the group's
   * {@code allow-internal} and intranet entries say, and before the proxy-host exemption (a
   * personal device is never the web filter's own machine).
   */
  Decision decide(int index, String host, byte[] address, int port, boolean clientOnProxyHost,
      boolean proxyAddress, boolean personalDevice) {
    if (index < 0) {
      return null;
    }
    Decision[] mine = decisions[index];
    if (personalDevice) {
      if (MetadataNames.is(host)) {
        return mine[Outcome.METADATA.ordinal()];
      }
      return !proxyAddress && table.kind(address) == AddressKind.PUBLIC ? mine[Outcome.PUBLIC.ordinal()]
          : mine[Outcome.PERSONAL_DEVICE.ordinal()];
    }
    if (clientOnProxyHost) {
      return mine[Outcome.LOCAL_CLIENT.ordinal()];
    }
    if (MetadataNames.is(host)) {
      return mine[Outcome.METADATA.ordinal()];
    }
    AddressKind kind = proxyAddress ? AddressKind.PROXY_HOST : table.kind(address);
    switch (kind) {
      case PUBLIC:
        return mine[Outcome.PUBLIC.ordinal()];
      case PROXY_HOST:
        return mine[Outcome.PROXY_HOST.ordinal()];
      case LINK_LOCAL:
        return mine[Outcome.LINK_LOCAL.ordinal()];
      case RESERVED:
        return mine[Outcome.RESERVED.ordinal()];
      default:
        break;
    }
    if (allowInternal[index]) {
      return mine[Outcome.ALLOWED_INTERNAL.ordinal()];
    }
    for (Intranet e : intranet[index]) {
      if (e.matches(host, address, port)) {
        return mine[Outcome.INTRANET.ordinal()];
      }
    }
    return mine[Outcome.INTERNAL.ordinal()];
  }

  /** The name-only decision before the address is known: metadata names are refused. */
  Decision decideName(int index, String host, boolean clientOnProxyHost) {
    if (index < 0) {
      return null;
    }
    Decision[] mine = decisions[index];
    if (clientOnProxyHost) {
      return mine[Outcome.LOCAL_CLIENT.ordinal()];
    }
    return MetadataNames.is(host) ? mine[Outcome.METADATA.ordinal()] : mine[Outcome.PUBLIC.ordinal()];
  }

  private static Decision build(GroupId group, String groupName, Outcome o) {
    Rule rule = Rule.INTERNAL_DESTINATION;
    CategorySet none = CategorySet.EMPTY;
    switch (o) {
      case PUBLIC:
        return new Decision.Allow(Level.ACCEPTABLE, rule, group, none, null,
            "the site's address is on the internet");
      case LOCAL_CLIENT:
        return new Decision.Allow(Level.ACCEPTABLE, rule, group, none, null,
            "the request comes from the web filter's own machine");
      case ALLOWED_INTERNAL:
        return new Decision.Allow(Level.ACCEPTABLE, rule, group, none, null,
            "addresses inside the school's network are allowed for " + groupName
                + " (destinations.allow-internal)");
      case INTRANET:
        return new Decision.Allow(Level.ACCEPTABLE, rule, group, none, null,
            "the school's intranet list allows this address and port (destinations.intranet)");
      case PROXY_HOST:
        return new Decision.Block(Level.UNACCEPTABLE, rule, group, none, null,
            "the address is the web filter's own machine, which cannot be reached through the"
                + " filter");
      case LINK_LOCAL:
        return new Decision.Block(Level.UNACCEPTABLE, rule, group, none, null,
            "the address is link-local (such as a cloud metadata service), which cannot be reached"
                + " through the filter");
      case METADATA:
        return new Decision.Block(Level.UNACCEPTABLE, rule, group, none, null,
            "the name is a cloud metadata service, which cannot be reached through the filter");
      case RESERVED:
        return new Decision.Block(Level.UNACCEPTABLE, rule, group, none, null,
            "the address is multicast or reserved, not a web site");
      case INTERNAL:
        return new Decision.Block(Level.UNACCEPTABLE, rule, group, none, null,
            "the address is inside the school's network, which " + groupName
                + " cannot reach through the filter unless the school's intranet list names it");
      case PERSONAL_DEVICE:
        return new Decision.Block(Level.UNACCEPTABLE, rule, group, none, null,
            "this is a personally owned device, which reaches the internet only, not the school's network"
                + " (identification: device: personal)");
      default:
        throw new IllegalStateException("unknown outcome " + o);
    }
  }
}
