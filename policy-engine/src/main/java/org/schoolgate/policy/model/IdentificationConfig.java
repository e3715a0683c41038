package org.schoolgate.policy.model;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The {@code identification:} section: per client network, how people are identified there, and
 * which directory groups map to which policy groups.
 *
 * @param networks the listed networks, in declaration order
 * @param defaults the settings of clients in no listed network ({@link NetworkConfig#DEFAULTS}
 *     unless the policy gives a network named {@code default})
 * @param directoryGroups directory group → policy group, first match wins
 * @param signInHosts the identity provider's sign-in hosts ({@code sign-in-hosts}, e.g.
 *     {@code login.microsoftonline.com}), normalised lower case: a client on a network whose
 *     sign-in page is required reaches these (and their subdomains) before signing in, and
 *     nothing else but Schoolgate's own pages
 */
public record IdentificationConfig(List<NetworkConfig> networks, NetworkConfig defaults,
    List<GroupMapping> directoryGroups, List<String> signInHosts) {

  /** No section: nobody is asked for credentials, bindings are trusted, no mappings. */
  public static final IdentificationConfig NONE =
      new IdentificationConfig(List.of(), NetworkConfig.DEFAULTS, List.of(), List.of());

  /** Without sign-in hosts. */
  public IdentificationConfig(List<NetworkConfig> networks, NetworkConfig defaults,
      List<GroupMapping> directoryGroups) {
    this(networks, defaults, directoryGroups, List.of());
  }

  public IdentificationConfig {
    networks = List.copyOf(networks);
    Objects.requireNonNull(defaults, "defaults");
    directoryGroups = List.copyOf(directoryGroups);
    signInHosts = List.copyOf(signInHosts);
    Set<String> names = new HashSet<>();
    for (NetworkConfig n : networks) {
      if (n.name().equals("default")) {
        throw new IllegalArgumentException("identification.networks: 'default' is given as a listed network"
            + " (expected: pass it as the defaults)");
      }
      if (!names.add(n.name())) {
        throw new IllegalArgumentException("identification.networks: '" + n.name()
            + "' is declared twice (expected: unique names)");
      }
    }
  }

  /**
   * True when {@code host} (normalised, lower case) is one of {@link #signInHosts} or a subdomain
   * of one. Allocates nothing.
   */
  public boolean isSignInHost(String host) {
    for (int i = 0; i < signInHosts.size(); i++) {
      String h = signInHosts.get(i);
      if (host.equals(h) || host.length() > h.length() && host.endsWith(h)
          && host.charAt(host.length() - h.length() - 1) == '.') {
        return true;
      }
    }
    return false;
  }

  /** True when some network asks for or reads proxy credentials. */
  public boolean usesProxyAuth() {
    return defaults.acceptsCredentials() || networks.stream().anyMatch(NetworkConfig::acceptsCredentials);
  }
}
