package org.schoolgate.policy.compile;

import java.util.BitSet;
import java.util.List;
import org.schoolgate.policy.Action;
import org.schoolgate.policy.CategorySet;
import org.schoolgate.policy.Decision;
import org.schoolgate.policy.GroupId;
import org.schoolgate.policy.Level;
import org.schoolgate.policy.TunnelCheck;
import org.schoolgate.policy.model.GroupConfig;
import org.schoolgate.policy.model.Subnet;
import org.schoolgate.policy.model.TunnelConfig;

/**
 * The compiled {@code tunnels:} section: the open ports as a bit set, the IP allow list, and one
 * prebuilt {@link Decision} per (group, check), so deciding a tunnel check is two array reads.
 */
final class TunnelDecisions {
  private static final TunnelCheck[] CHECKS = TunnelCheck.values();

  private final BitSet ports = new BitSet(65536);
  private final List<Subnet> ipAllow;
  private final Decision[][] byGroup;
  private final String portList;

  TunnelDecisions(TunnelConfig config, List<GroupConfig> groups) {
    config.allowedPorts().forEach(r -> ports.set(r.from(), r.to() + 1));
    this.ipAllow = config.ipAllow();
    this.portList = config.allowedPorts().toString().replace("[", "").replace("]", "");
    this.byGroup = new Decision[groups.size()][CHECKS.length];
    for (int g = 0; g < groups.size(); g++) {
      GroupConfig group = groups.get(g);
      for (TunnelCheck check : CHECKS) {
        byGroup[g][check.ordinal()] = build(group.id(), group.displayName(), check,
            config.actionFor(check, group.id()));
      }
    }
  }

  boolean portAllowed(int port) {
    return port >= 0 && port < 65536 && ports.get(port);
  }

  /** True when {@code host} is an IP literal inside the allow list. */
  boolean ipAllowed(String host) {
    if (ipAllow.isEmpty() || host == null || host.isEmpty()) {
      return false;
    }
    byte[] address = literal(host);
    if (address == null) {
      return false;
    }
    for (Subnet s : ipAllow) {
      if (s.contains(address)) {
        return true;
      }
    }
    return false;
  }

  /** The decision for the group at {@code index} (or null when the index is unknown). */
  Decision decide(int index, TunnelCheck check) {
    return index < 0 ? null : byGroup[index][check.ordinal()];
  }

  /** The bytes of an IPv4 or IPv6 literal (never resolves names), or null for a name. */
  static byte[] literal(String host) {
    if (host.indexOf(':') >= 0) {
      try {
        // a string with ':' is parsed as an IPv6 literal; InetAddress never resolves it
        return java.net.InetAddress.getByName(host).getAddress();
      } catch (java.net.UnknownHostException e) {
        return null;
      }
    }
    String[] parts = host.split("\\.", -1);
    if (parts.length != 4) {
      return null;
    }
    byte[] b = new byte[4];
    for (int i = 0; i < 4; i++) {
      String p = parts[i];
      if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(Character::isDigit) || Integer.parseInt(p) > 255) {
        return null;
      }
      b[i] = (byte) Integer.parseInt(p);
    }
    return b;
  }

  private Decision build(GroupId group, String groupName, TunnelCheck check, Action action) {
    String reason = reason(check, groupName);
    return action == Action.ALLOW
        ? new Decision.Allow(Level.ACCEPTABLE, check.rule(), group, CategorySet.EMPTY, null,
            reason + " is allowed for " + groupName)
        : new Decision.Block(Level.UNACCEPTABLE, check.rule(), group, CategorySet.EMPTY, null,
            check == TunnelCheck.PORT ? reason : reason + " is not allowed for " + groupName);
  }

  private String reason(TunnelCheck check, String groupName) {
    switch (check) {
      case PORT:
        return "secure connections may only go to port " + portList + " (the school's tunnel ports)";
      case IP_LITERAL:
        return "connecting to a bare IP address instead of a site's name";
      case SNI_MISMATCH:
        return "a secure connection naming another site than the one asked for (domain fronting)";
      case MISSING_SNI:
        return "a secure connection that does not name its site";
      case NOT_TLS:
        return "a connection that is not TLS through a secure tunnel";
      case ECH:
        return "a secure connection that hides its site's name (Encrypted ClientHello)";
      default:
        throw new IllegalStateException("unknown tunnel check " + check);
    }
  }
}
