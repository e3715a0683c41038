package org.schoolgate.policy.compile;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.schoolgate.policy.Action;
import org.schoolgate.policy.Decision;
import org.schoolgate.policy.GroupId;
import org.schoolgate.policy.Level;
import org.schoolgate.policy.PolicySnapshot;
import org.schoolgate.policy.Rule;
import org.schoolgate.policy.TestPolicies;
import org.schoolgate.policy.TunnelCheck;
import org.schoolgate.policy.UnblockSet;

/**
 * The {@code tunnels:} section compiled: per (group, check) one prebuilt decision, open ports,
 * the IP allow list, and the defaults when the section is absent.
 */
class TunnelDecisionTest {
  @TempDir static Path dir;
  static PolicySnapshot policy;
  static PolicySnapshot defaults;

  @BeforeAll
  static void compile() throws java.io.IOException {
    String base = """
        groups:
          pupils: { subnets: [10.10.0.0/16] }
          staff:  { subnets: [10.30.0.0/16] }
          guests: { subnets: [10.99.0.0/16] }
        """;
    policy = TestPolicies.compile(dir, base + """
        tunnels:
          allowed-ports: [443, 8000-8999]
          ip-allow: [192.0.2.0/24, "2001:db8::/32"]
          ip-literal: { default: block, staff: allow }
          sni-mismatch: { default: allow, pupils: block }
          missing-sni: allow
          not-tls: { staff: allow }
        """).withUnblocks(UnblockSet.EMPTY);
    defaults = TestPolicies.compile(java.nio.file.Files.createDirectories(dir.resolve("defaults")), base);
  }

  @ParameterizedTest(name = "{0} / {1} → {2}")
  @CsvSource(delimiter = '|', textBlock = """
      pupils | PORT         | block | tunnel-port
      staff  | PORT         | block | tunnel-port
      pupils | IP_LITERAL   | block | ip-literal
      staff  | IP_LITERAL   | allow | ip-literal
      guests | IP_LITERAL   | block | ip-literal
      pupils | SNI_MISMATCH | block | sni-mismatch
      staff  | SNI_MISMATCH | allow | sni-mismatch
      guests | SNI_MISMATCH | allow | sni-mismatch
      pupils | MISSING_SNI  | allow | missing-sni
      guests | MISSING_SNI  | allow | missing-sni
      pupils | NOT_TLS      | block | not-tls
      staff  | NOT_TLS      | allow | not-tls
      pupils | ECH          | block | ech
      staff  | ECH          | block | ech
      nobody | ECH          | block | fail-closed
      """)
  void tunnelChecksAreDecidedPerGroup(String group, TunnelCheck check, String action, String rule) {
    Decision d = policy.decideTunnel(new GroupId(group), check);

    assertThat(d.action()).isEqualTo(action.equals("allow") ? Action.ALLOW : Action.BLOCK);
    assertThat(d.level()).isEqualTo(action.equals("allow") ? Level.ACCEPTABLE : Level.UNACCEPTABLE);
    assertThat(d.ruleText()).isEqualTo(rule);
    assertThat(d.group()).isEqualTo(new GroupId(group));
  }

  @Test
  void decisionsArePrebuiltAndShared() {
    assertThat(policy.decideTunnel(new GroupId("pupils"), TunnelCheck.SNI_MISMATCH))
        .isSameAs(policy.decideTunnel(new GroupId("pupils"), TunnelCheck.SNI_MISMATCH));
  }

  @ParameterizedTest(name = "port {0} open: {1}")
  @CsvSource({"443, true", "8000, true", "8999, true", "8443, true", "9000, false", "80, false", "0, false",
      "65536, false"})
  void openPortsAreTheListedPortsAndRanges(int port, boolean open) {
    assertThat(policy.tunnelPortAllowed(port)).isEqualTo(open);
  }

  @ParameterizedTest(name = "{0} in ip-allow: {1}")
  @CsvSource({"192.0.2.7, true", "192.0.3.1, false", "2001:db8::1, true", "2001:db9::1, false",
      "example.com, false", "1.2.3, false"})
  void ipAllowListMatchesAddressesOnly(String host, boolean allowed) {
    assertThat(policy.tunnelIpAllowed(host)).isEqualTo(allowed);
  }

  @Test
  void withoutATunnelsSectionOnlyPort443IsOpenAndEveryCheckBlocksEveryGroup() {
    assertThat(defaults.tunnelPortAllowed(443)).isTrue();
    assertThat(defaults.tunnelPortAllowed(8443)).isFalse();
    assertThat(defaults.tunnelIpAllowed("192.0.2.7")).isFalse();
    for (String group : new String[] {"pupils", "staff", "guests"}) {
      for (TunnelCheck check : TunnelCheck.values()) {
        Decision d = defaults.decideTunnel(new GroupId(group), check);
        assertThat(d.blocked()).as(group + " " + check).isTrue();
        assertThat(d.rule()).isEqualTo(check.rule());
      }
    }
  }

  @Test
  void blockReasonsSayWhatWasRefusedAndForWhom() {
    assertThat(policy.decideTunnel(new GroupId("pupils"), TunnelCheck.PORT).reason())
        .isEqualTo("secure connections may only go to port 443, 8000-8999 (the school's tunnel ports)");
    assertThat(policy.decideTunnel(new GroupId("pupils"), TunnelCheck.SNI_MISMATCH).reason())
        .isEqualTo("a secure connection naming another site than the one asked for (domain fronting)"
            + " is not allowed for pupils");
    assertThat(Rule.TUNNEL_ECH.logName()).isEqualTo("ech");
  }
}
