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
  /** An IPv4 client's bytes, per thread: {@link #find} allocates nothing for IPv4 (per connection on the proxy). */
  private static final ThreadLocal<byte[]> V4 = ThreadLocal.withInitial(() -> new byte[4]);

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
    byte[] address = client instanceof java.net.Inet4Address ? v4(client) : client.getAddress();
    for (Entry e : entries) {
      if (e.subnet().contains(address)) {
        return e.network();
      }
    }
    return defaults;
  }

  private static byte[] v4(InetAddress client) {
    int a = client.hashCode(); // Inet4Address's hash code is its address
    byte[] b = V4.get();
    b[0] = (byte) (a >>> 24);
    b[1] = (byte) (a >>> 16);
    b[2] = (byte) (a >>> 8);
    b[3] = (byte) a;
    return b;
  }
}
