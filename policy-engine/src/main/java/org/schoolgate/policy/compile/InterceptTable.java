package org.schoolgate.policy.compile;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.schoolgate.policy.CategoryId;
import org.schoolgate.policy.Decision;
import org.schoolgate.policy.InterceptChoice;
import org.schoolgate.policy.Rule;
import org.schoolgate.policy.index.HostIndex;
import org.schoolgate.policy.model.GroupConfig;
import org.schoolgate.policy.model.InterceptionConfig;
import org.schoolgate.policy.model.InterceptionConfig.Mode;

/**
 * The compiled {@code interception:} section: per group, its mode; the never and extra category
 * sets. {@link #choose} compares characters and probes hash sets: no allocation. The {@code paths}
 * mode asks the host index whether any {@code urls} entry names the host or a parent domain
 * ({@link HostIndex#hasUrlEntries}, a few hash probes, no allocation); expressions do not count
 * (a host-less one such as {@code /banner/} would make every site decrypted).
 *
 * <p>Search engines and video sites are the SafeSearch hosts (Google search, YouTube, Bing,
 * DuckDuckGo) plus {@code youtube.com}, Yahoo search ({@code search.yahoo.com} and its
 * subdomains) and Wikipedia ({@code wikipedia.org} and its subdomains).
 */
final class InterceptTable {
  private final Mode[] modes;
  private final Set<CategoryId> never;
  private final Set<CategoryId> extra;
  private final HostIndex index;

  InterceptTable(InterceptionConfig config, List<GroupConfig> groups, HostIndex index) {
    this.index = index;
    modes = new Mode[groups.size()];
    for (int g = 0; g < modes.length; g++) {
      modes[g] = config.modeFor(groups.get(g).id());
    }
    never = new HashSet<>(config.never());
    extra = new HashSet<>(config.categories());
  }

  /** The choice for group index {@code g}, normalised {@code host} and the tunnel's decision. */
  InterceptChoice choose(int g, String host, Decision decision) {
    if (g < 0 || g >= modes.length || host == null || decision == null) {
      return InterceptChoice.NONE;
    }
    Mode mode = modes[g];
    if (mode == Mode.OFF || isTunnelCheck(decision.rule()) || anyIn(decision, never)) {
      return InterceptChoice.NONE;
    }
    if (mode == Mode.ALL) {
      return InterceptChoice.ALL;
    }
    if (mode == Mode.PATHS) { // only where URL entries must be read inside the tunnel
      return !decision.blocked() && index != null && index.hasUrlEntries(host) ? InterceptChoice.PATHS
          : InterceptChoice.NONE;
    }
    if (decision.blocked()) {
      return mode == Mode.SEARCH_AND_BLOCKED ? InterceptChoice.BLOCKED : InterceptChoice.NONE;
    }
    if (isSearchOrVideo(host)) {
      return InterceptChoice.SEARCH;
    }
    return anyIn(decision, extra) ? InterceptChoice.CATEGORY : InterceptChoice.NONE;
  }

  /** {@link InterceptChoice#ADMIN} for group index {@code g} unless its mode is off. */
  InterceptChoice admin(int g) {
    return g < 0 || g >= modes.length || modes[g] == Mode.OFF ? InterceptChoice.NONE
        : InterceptChoice.ADMIN;
  }

  private static boolean anyIn(Decision decision, Set<CategoryId> set) {
    if (set.isEmpty()) {
      return false;
    }
    List<CategoryId> matched = decision.categories().categories();
    for (int i = 0; i < matched.size(); i++) {
      if (set.contains(matched.get(i))) {
        return true;
      }
    }
    return false;
  }

  /** A decision of a CONNECT check (port, IP literal, ClientHello): never intercepted. */
  private static boolean isTunnelCheck(Rule rule) {
    return rule == Rule.TUNNEL_PORT || rule == Rule.TUNNEL_IP_LITERAL
        || rule == Rule.TUNNEL_SNI_MISMATCH || rule == Rule.TUNNEL_MISSING_SNI
        || rule == Rule.TUNNEL_NOT_TLS || rule == Rule.TUNNEL_ECH;
  }

  static boolean isSearchOrVideo(String host) {
    return SafeSearchTable.kindOf(host) >= 0
        || host.equals("youtube.com")
        || isOrUnder(host, "search.yahoo.com")
        || isOrUnder(host, "wikipedia.org");
  }

  private static boolean isOrUnder(String host, String domain) {
    return host.equals(domain) || (host.endsWith(domain)
        && host.charAt(host.length() - domain.length() - 1) == '.');
  }
}
