package org.schoolgate.policy.model;

import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.schoolgate.policy.Action;
import org.schoolgate.policy.GroupId;
import org.schoolgate.policy.TunnelCheck;

/**
 * The policy's {@code tunnels:} section: which CONNECT ports are open, which IP addresses may be
 * tunnelled to by address, and per check ({@link TunnelCheck}) whether each group is allowed
 * through. A check with no entry blocks every group.
 *
 * <pre>{@code
 * tunnels:
 *   allowed-ports: [443]
 *   ip-allow: [192.0.2.0/24]
 *   sni-mismatch: { default: block, staff: allow }
 * }</pre>
 *
 * @param allowedPorts the ports CONNECT may reach (at least one port or range)
 * @param ipAllow networks an IP-literal CONNECT may reach for every group
 * @param checks per configurable check, its levels; absent checks block every group
 */
public record TunnelConfig(List<PortRange> allowedPorts, List<Subnet> ipAllow,
    Map<TunnelCheck, CheckLevels> checks) {

  /** Ports [443], no IP allowed, every check blocks every group. */
  public static final TunnelConfig DEFAULTS = new TunnelConfig(List.of(new PortRange(443, 443)), List.of(), Map.of());

  public TunnelConfig {
    allowedPorts = List.copyOf(allowedPorts);
    ipAllow = List.copyOf(ipAllow);
    Map<TunnelCheck, CheckLevels> copy = new EnumMap<>(TunnelCheck.class);
    copy.putAll(checks);
    checks = Map.copyOf(copy);
    if (allowedPorts.isEmpty()) {
      throw new IllegalArgumentException("tunnels.allowed-ports is empty (expected: at least one port, e.g. [443])");
    }
    if (checks.containsKey(TunnelCheck.PORT)) {
      throw new IllegalArgumentException("tunnels: the port check always blocks"
          + " (expected: list the open ports under allowed-ports instead)");
    }
  }

  /** The action {@code check} takes for {@code group}: its own, the check's default, or block. */
  public Action actionFor(TunnelCheck check, GroupId group) {
    if (check == TunnelCheck.PORT) {
      return Action.BLOCK;
    }
    CheckLevels levels = checks.get(check);
    return levels == null ? Action.BLOCK : levels.actionFor(group);
  }

  /**
   * A port or an inclusive range of ports, e.g. {@code 443} or {@code 8000-8999}.
   *
   * @param from the first port (1-65535)
   * @param to the last port ({@code from}-65535)
   */
  public record PortRange(int from, int to) {
    public PortRange {
      if (from < 1 || to > 65535 || from > to) {
        throw new IllegalArgumentException("port range " + from + "-" + to
            + " is out of range (expected: 1-65535, the first port not after the last)");
      }
    }

    /** Parses {@code 443} or {@code 8000-8999}; throws with a message saying what was expected. */
    public static PortRange parse(String text) {
      String t = text.strip();
      int dash = t.indexOf('-');
      int from = port(dash < 0 ? t : t.substring(0, dash), text);
      int to = dash < 0 ? from : port(t.substring(dash + 1), text);
      if (from > to) {
        throw new IllegalArgumentException("'" + text + "' ends before it starts (expected: e.g. 8000-8999)");
      }
      return new PortRange(from, to);
    }

    private static int port(String p, String text) {
      String s = p.strip();
      int v = !s.isEmpty() && s.length() <= 5 && s.chars().allMatch(Character::isDigit) ? Integer.parseInt(s) : -1;
      if (v < 1 || v > 65535) {
        throw new IllegalArgumentException("'" + text + "' is not a port or port range"
            + " (expected: 1-65535, e.g. 443 or 8000-8999)");
      }
      return v;
    }

    @Override
    public String toString() {
      return from == to ? String.valueOf(from) : from + "-" + to;
    }
  }

  /**
   * One check's actions: a default for groups not named, and per-group overrides.
   *
   * @param defaultAction for groups not named in {@code groups}
   * @param groups per group
   */
  public record CheckLevels(Action defaultAction, Map<GroupId, Action> groups) {
    public CheckLevels {
      Objects.requireNonNull(defaultAction, "defaultAction");
      groups = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(groups));
    }

    /** The action for {@code group}. */
    public Action actionFor(GroupId group) {
      return groups.getOrDefault(group, defaultAction);
    }
  }
}
