package org.schoolgate.policy.compile;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.schoolgate.policy.model.IdentificationConfig;
import org.schoolgate.policy.model.NetworkConfig;
import org.schoolgate.policy.model.Subnet;

/** Client address → its {@code identification} network: the most specific subnet wins, first declared on a tie. */
final class NetworkTable {
  private record Entry(Subnet subnet, NetworkConfig network) {}

  private final List<Entry> entries = new ArrayList<>();
  private final NetworkConfig defaults;

  NetworkTable(IdentificationConfig config) {
    for (NetworkConfig n : config.networks()) {
      n.subnets().forEach(s -> entries.add(new Entry(s, n)));
    }
    entries.sort(Comparator.comparingInt((Entry e) -> -e.subnet().prefix()));
    this.defaults = config.defaults();
  }

  NetworkConfig find(InetAddress client) {
    if (client == null || entries.isEmpty()) {
      return defaults;
    }
    byte[] address = client.getAddress();
    for (Entry e : entries) {
      if (e.subnet().contains(address)) {
        return e.network();
      }
    }
    return defaults;
  }
}
