package org.schoolgate.proxy.testing;

/** The small policy the proxy tests run against (format: docs/policy-reference.md). */
public final class TestPolicy {
  /** A pupil's source address. */
  public static final String PUPIL = "127.0.0.2";
  /** A staff member's source address. */
  public static final String STAFF = "127.0.0.3";
  /** An address outside clients.allow. */
  public static final String STRANGER = "127.0.0.9";

  public static final String YAML = """
      timezone: Europe/London
      clients:
        allow: [127.0.0.0/29]
        unknown-group: pupils
      groups:
        pupils: { subnets: [127.0.0.2/32], description: "Pupils" }
        staff:  { subnets: [127.0.0.3/32], description: "Staff" }
      categories:
        gambling: { domains: [bet365.com, betting.test], description: "On-line gambling" }
      matrix:
        gambling: { default: unacceptable, staff: acceptable }
      default: acceptable
      tunnels:
        allowed-ports: [443, 1024-65535]
        ip-literal: { default: block, staff: allow }
        sni-mismatch: { default: block, staff: allow }
        missing-sni: { default: block, staff: allow }
        not-tls: { default: block, staff: allow }
        ech: { default: block, staff: allow }
      """;

  private TestPolicy() {}
}
