package org.schoolgate.policy;

/**
 * The checks the proxy applies to a CONNECT tunnel, each decided per group by
 * {@link PolicySnapshot#decideTunnel} from the policy's {@code tunnels:} section.
 * {@link #PORT} always blocks; the others have a level per group ({@code allow} or
 * {@code block}).
 */
public enum TunnelCheck {
  /** The CONNECT port is not in {@code tunnels.allowed-ports}. Not configurable: always blocks. */
  PORT("port", Rule.TUNNEL_PORT),
  /** The CONNECT host is an IP address outside {@code tunnels.ip-allow}. */
  IP_LITERAL("ip-literal", Rule.TUNNEL_IP_LITERAL),
  /** The ClientHello's server name differs from the CONNECT host. */
  SNI_MISMATCH("sni-mismatch", Rule.TUNNEL_SNI_MISMATCH),
  /** The ClientHello has no server name although the CONNECT host is a name. */
  MISSING_SNI("missing-sni", Rule.TUNNEL_MISSING_SNI),
  /**
   * The first bytes of a tunnel are not a TLS ClientHello (on every allowed port: a school that
   * opens a port for another protocol allows {@code not-tls} for the groups that use it).
   */
  NOT_TLS("not-tls", Rule.TUNNEL_NOT_TLS),
  /** The ClientHello carries the {@code encrypted_client_hello} extension (0xfe0d). */
  ECH("ech", Rule.TUNNEL_ECH);

  private final String configName;
  private final Rule rule;

  TunnelCheck(String configName, Rule rule) {
    this.configName = configName;
    this.rule = rule;
  }

  /** The key under {@code tunnels:} in policy files and the metric tag, e.g. {@code sni-mismatch}. */
  public String configName() {
    return configName;
  }

  /** The rule a decision of this check carries. */
  public Rule rule() {
    return rule;
  }

  /** True for the checks a policy may set per group (all but {@link #PORT}). */
  public boolean configurable() {
    return this != PORT;
  }

  /** The check named {@code name} in a policy file, or null. */
  public static TunnelCheck fromConfigName(String name) {
    for (TunnelCheck c : values()) {
      if (c.configName.equals(name)) {
        return c;
      }
    }
    return null;
  }
}
