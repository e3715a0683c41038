package org.schoolgate.proxy.filter;

import java.net.InetSocketAddress;
import org.schoolgate.policy.PolicySnapshot;
import org.schoolgate.proxy.identity.IdentityCache;
import org.schoolgate.proxy.log.Exchanges;

/**
 * Everything Schoolgate keeps about one client connection: who the client is (its address and
 * what is known of the person behind it, per policy snapshot) and the requests in flight (for the access log).
 * Confined to the connection's event loop; it moves with the connection into an intercepted
 * tunnel.
 */
public final class ClientSession {
  final InetSocketAddress client;
  final String clientIp;
  final IdentityCache identity = new IdentityCache();
  final Exchanges exchanges;
  /** Which listener accepted the connection: how its requests are read and answered. */
  final Listener listener;
  /** The address the connection came in on (the PAC file may name it). */
  final InetSocketAddress local;
  /** Where a redirected client meant to go (transparent listeners), or null. */
  final InetSocketAddress original;
  /** {@code original} as the access log writes it ({@code address:port}), or null. */
  final String dst;
  /** The policy the exchange in progress is identified and decided with (set by identify). */
  PolicySnapshot policy;

  /** A connection to the proxy port (the browser knows it talks to a proxy). */
  public ClientSession(InetSocketAddress client, Exchanges exchanges) {
    this(client, exchanges, Listener.PROXY, null, null);
  }

  /**
   * A connection accepted by {@code listener} on {@code local} (null when unknown);
   * {@code original}: where a redirected client meant to go, or null when unknown or not
   * redirected.
   */
  public ClientSession(InetSocketAddress client, Exchanges exchanges, Listener listener,
      InetSocketAddress local, InetSocketAddress original) {
    this.client = client;
    this.clientIp = client.getAddress().getHostAddress();
    this.exchanges = exchanges;
    this.listener = listener;
    this.local = local;
    this.original = original;
    this.dst = original == null || listener == Listener.PAGES || listener == Listener.PAGES_TLS
        ? null
        : (original.getAddress() instanceof java.net.Inet6Address
            ? "[" + original.getAddress().getHostAddress() + "]"
            : original.getAddress().getHostAddress()) + ":" + original.getPort();
  }

  /** The kinds of listener a client connection can arrive on. */
  public enum Listener {
    /** The proxy port: absolute-form requests and CONNECT, the proxy's own pages, 407 sign-in. */
    PROXY,
    /** Redirected plain HTTP (transparent mode): identified by address, never asked to sign in. */
    TRANSPARENT_HTTP,
    /** Redirected TLS (transparent mode): decided on the ClientHello; a refusal closes it. */
    TRANSPARENT_TLS,
    /** The page listener at the block-page address: pages only, nothing is forwarded. */
    PAGES,
    /**
     * The page listener's TLS port: the ClientHello's name, decrypted with the school CA's leaf
     * for it, then pages only (the block page inside TLS).
     */
    PAGES_TLS;

    /** True where the client does not know a proxy is there (no 407 can work). */
    public boolean transparent() {
      return this != PROXY;
    }
  }

  /** Which listener accepted the connection. */
  public Listener listener() {
    return listener;
  }

  /** The connection's requests in flight. */
  public Exchanges exchanges() {
    return exchanges;
  }
}
