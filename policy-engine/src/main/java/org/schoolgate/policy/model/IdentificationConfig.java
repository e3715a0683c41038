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
 */
public record IdentificationConfig(List<NetworkConfig> networks, NetworkConfig defaults,
    List<GroupMapping> directoryGroups) {

  /** No section: nobody is asked for credentials, bindings are trusted, no mappings. */
  public static final IdentificationConfig NONE =
      new IdentificationConfig(List.of(), NetworkConfig.DEFAULTS, List.of());

  public IdentificationConfig {
    networks = List.copyOf(networks);
    Objects.requireNonNull(defaults, "defaults");
    directoryGroups = List.copyOf(directoryGroups);
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

  /** True when some network asks for or reads proxy credentials. */
  public boolean usesProxyAuth() {
    return defaults.acceptsCredentials() || networks.stream().anyMatch(NetworkConfig::acceptsCredentials);
  }
}
