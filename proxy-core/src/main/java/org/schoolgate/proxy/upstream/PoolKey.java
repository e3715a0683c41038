package org.schoolgate.proxy.upstream;

import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * What an upstream connection was made to: the resolved address and port, and the TLS server
 * name it was validated for (null for plain TCP). Never the host name alone: a SafeSearch-pinned
 * address is another key than the site's own, so a connection made for one group's request can
 * only carry requests that were decided to go to the very same place. Made once per new
 * connection; a request probes the pool with the address, port and name it holds, without
 * building a key.
 *
 * @param address resolved address and port
 * @param serverName TLS server name (SNI, certificate name), or null for plain HTTP
 */
public record PoolKey(InetSocketAddress address, String serverName) {
  public PoolKey {
    Objects.requireNonNull(address, "address");
    if (address.isUnresolved()) {
      throw new IllegalArgumentException("pool key " + address
          + " is unresolved (expected: an address DNS already answered)");
    }
  }
}
