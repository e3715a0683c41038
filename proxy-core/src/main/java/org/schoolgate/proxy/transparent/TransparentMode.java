package org.schoolgate.proxy.transparent;

import java.util.Locale;

/**
 * How the school's router or firewall hands redirected connections to the proxy, which decides
 * where the proxy reads each connection's original destination.
 */
public enum TransparentMode {
  /**
   * Netfilter {@code TPROXY} with policy routing: the connection keeps its original destination
   * as its local address (the listener has {@code IP_TRANSPARENT}; needs CAP_NET_ADMIN).
   */
  TPROXY,
  /**
   * Netfilter {@code REDIRECT} (or {@code DNAT} to the proxy): the local address is the proxy's
   * own; the original destination is read from connection tracking ({@code SO_ORIGINAL_DST}).
   */
  REDIRECT;

  /** The runtime config's word: {@code tproxy} or {@code redirect}. */
  public String configName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The mode named {@code word}; throws IllegalArgumentException saying which words exist. */
  public static TransparentMode parse(String word) {
    for (TransparentMode m : values()) {
      if (m.configName().equals(word)) {
        return m;
      }
    }
    throw new IllegalArgumentException("'" + word + "' (expected: tproxy or redirect)");
  }
}
