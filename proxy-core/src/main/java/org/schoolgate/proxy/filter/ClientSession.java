package org.schoolgate.proxy.filter;

import java.net.InetSocketAddress;
import org.schoolgate.proxy.identity.IdentityCache;
import org.schoolgate.proxy.log.Exchanges;

/**
 * Everything Schoolgate keeps about one client connection: who the client is (its address and
 * the identification cached per policy snapshot) and the requests in flight (for the access log).
 * Confined to the connection's event loop; it moves with the connection into an intercepted
 * tunnel.
 */
public final class ClientSession {
  final InetSocketAddress client;
  final String clientIp;
  final IdentityCache identity = new IdentityCache();
  final Exchanges exchanges;

  public ClientSession(InetSocketAddress client, Exchanges exchanges) {
    this.client = client;
    this.clientIp = client.getAddress().getHostAddress();
    this.exchanges = exchanges;
  }

  /** The connection's requests in flight. */
  public Exchanges exchanges() {
    return exchanges;
  }
}
