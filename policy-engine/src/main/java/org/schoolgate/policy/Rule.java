package org.schoolgate.policy;

/**
 * Which step of the precedence decided a request. The order of the constants up to
 * {@link #FAIL_CLOSED} is the order of precedence in {@link PolicySnapshot#decide}; the constants
 * after it are the tunnel checks ({@link TunnelCheck}) decided by {@link PolicySnapshot#decideTunnel},
 * which the proxy consults for CONNECT before (port, IP literal) and after (the TLS ClientHello)
 * it decides the host; {@link #INTERNAL_DESTINATION} is the destination check on the address
 * connected to.
 */
public enum Rule {
  /** A matched category is illegal for everyone; nothing overrides it. */
  ILLEGAL_CATEGORY("illegal-category"),
  /**
   * An approved unblock (domain, URL prefix or category) lifted what would otherwise have blocked
   * the request: the school block list, the matrix or the default. Never lifts an illegal category.
   */
  UNBLOCK("unblock"),
  /** An approved filter bypass lifted everything but illegal categories for the request's scope. */
  FILTER_BYPASS("filter-bypass"),
  /** The host is on the school's own block list. */
  SCHOOL_BLOCK_LIST("school-block-list"),
  /** The host is on the school's own allow list. */
  SCHOOL_ALLOW_LIST("school-allow-list"),
  /** The most restrictive matrix cell among the matched categories for the group at that time. */
  MATRIX("matrix"),
  /** No category matched: the policy's default level applies. */
  DEFAULT("default"),
  /** No usable policy, an unknown group, or an error while deciding: blocked (fail closed). */
  FAIL_CLOSED("fail-closed"),
  /** CONNECT to a port outside {@code tunnels.allowed-ports}: blocked for every group. */
  TUNNEL_PORT("tunnel-port"),
  /** CONNECT to an IP address outside {@code tunnels.ip-allow}, decided by the group's level. */
  TUNNEL_IP_LITERAL("ip-literal"),
  /** The TLS server name (SNI) differs from the CONNECT host (domain fronting). */
  TUNNEL_SNI_MISMATCH("sni-mismatch"),
  /** A TLS ClientHello without a server name to a CONNECT host that is a name. */
  TUNNEL_MISSING_SNI("missing-sni"),
  /** The first bytes of a tunnel are not a TLS ClientHello. */
  TUNNEL_NOT_TLS("not-tls"),
  /** The ClientHello carries an Encrypted ClientHello extension (the real name is hidden). */
  TUNNEL_ECH("ech"),
  /**
   * The address connected to, after DNS ({@link PolicySnapshot#decideDestination}): the proxy
   * host, link-local, reserved or internal addresses, per group and the intranet list.
   */
  INTERNAL_DESTINATION("internal-destination");

  private final String logName;

  Rule(String logName) {
    this.logName = logName;
  }

  /** Lower-case name used in the access log, CLI and API. */
  public String logName() {
    return logName;
  }
}
