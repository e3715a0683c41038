package org.schoolgate.policy.destination;

/**
 * What an address is, from the proxy's point of view. The order is strictness: when an address
 * falls in several classes (an IPv6 form that embeds an IPv4 address, a school range inside a
 * built-in one) the strictest, the latest constant, wins.
 */
public enum AddressKind {
  /** Anywhere on the internet: decided by the policy's categories as usual. */
  PUBLIC("public"),
  /**
   * RFC 1918, CGNAT {@code 100.64.0.0/10}, benchmarking {@code 198.18.0.0/15}, ULA {@code
   * fc00::/7}, site-local {@code fec0::/10} and the school's own {@code destinations.internal-ranges}:
   * refused unless the group is allowed internal addresses or an intranet entry names it.
   */
  INTERNAL("internal"),
  /** Multicast, {@code 240.0.0.0/4} and broadcast, IPv6 discard-only: never a web site. */
  RESERVED("reserved"),
  /**
   * Link-local {@code 169.254.0.0/16} and {@code fe80::/10} (cloud metadata services live
   * there) and the cloud metadata names: refused for every client not on the proxy host.
   */
  LINK_LOCAL("link-local"),
  /**
   * The proxy host itself: loopback {@code 127.0.0.0/8} and {@code ::1}, {@code 0.0.0.0/8} and
   * {@code ::} (which reach the local host), and every address of the proxy's interfaces:
   * refused for every client not on the proxy host.
   */
  PROXY_HOST("proxy-host");

  private final String logName;

  AddressKind(String logName) {
    this.logName = logName;
  }

  /** Lower-case name for logs, metric tags and reasons. */
  public String logName() {
    return logName;
  }

  /** The stricter of this and {@code other}. */
  public AddressKind stricter(AddressKind other) {
    return other.ordinal() > ordinal() ? other : this;
  }
}
