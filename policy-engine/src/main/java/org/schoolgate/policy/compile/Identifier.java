package org.schoolgate.policy.compile;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.schoolgate.policy.GroupId;
import org.schoolgate.policy.Identification;
import org.schoolgate.policy.model.GroupConfig;
import org.schoolgate.policy.model.Subnet;

/**
 * Client → group: a listed user name wins, then the most specific subnet, then the unknown-client
 * group for clients on an allowed network; everyone else is refused.
 */
final class Identifier {
  private record GroupSubnet(Subnet subnet, GroupId group) {}

  private final Map<String, GroupId> users = new HashMap<>();
  private final List<GroupSubnet> subnets = new ArrayList<>();
  private final List<Subnet> allow;
  private final GroupId unknownGroup;
  private final String policyName;

  Identifier(List<GroupConfig> groups, List<Subnet> allow, GroupId unknownGroup, String policyName) {
    for (GroupConfig g : groups) {
      g.users().forEach(u -> users.put(u, g.id()));
      g.subnets().forEach(s -> subnets.add(new GroupSubnet(s, g.id())));
    }
    // Most specific first; the sort is stable, so on equal prefixes the first declared wins.
    subnets.sort(Comparator.comparingInt((GroupSubnet s) -> -s.subnet().prefix()));
    this.allow = List.copyOf(allow);
    this.unknownGroup = unknownGroup;
    this.policyName = policyName;
  }

  GroupId unknownGroup() {
    return unknownGroup;
  }

  /** The group that lists {@code user} (any case) in its {@code users}, or null. */
  GroupId userGroup(String user) {
    return users.get(user.strip().toLowerCase(Locale.ROOT));
  }

  Identification identify(InetAddress client, String user) {
    String u = user == null || user.isBlank() ? null : user.strip();
    if (u != null) {
      GroupId g = users.get(u.toLowerCase(Locale.ROOT));
      if (g != null) {
        return new Identification.Identified(g, u, Identification.By.USER);
      }
    }
    if (client == null) {
      return new Identification.Refused("no client address (expected: the address of the connecting client)");
    }
    byte[] address = client.getAddress();
    for (GroupSubnet s : subnets) {
      if (s.subnet().contains(address)) {
        return new Identification.Identified(s.group(), u, Identification.By.SUBNET);
      }
    }
    for (Subnet s : allow) {
      if (s.contains(address)) {
        return new Identification.Identified(unknownGroup, u, Identification.By.UNKNOWN_CLIENT);
      }
    }
    return new Identification.Refused("client " + client.getHostAddress()
        + " is not on a network this proxy serves (see clients.allow and the groups' subnets in "
        + policyName + ")");
  }
}
