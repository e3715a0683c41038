package org.schoolgate.policy.compile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.schoolgate.policy.Allocations;
import org.schoolgate.policy.Decision;
import org.schoolgate.policy.GroupId;
import org.schoolgate.policy.PolicyException;
import org.schoolgate.policy.PolicySnapshot;
import org.schoolgate.policy.Rule;
import org.schoolgate.policy.TestPolicies;
import org.schoolgate.policy.UnblockSet;
import org.schoolgate.policy.model.PolicyReader;

/**
 * The {@code destinations:} section compiled: (group × address × port) → decision, the intranet
 * list letting exactly what it names through, the defaults without the section, and the errors.
 */
class DestinationDecisionTest {
  @TempDir static Path dir;
  static PolicySnapshot policy;
  static PolicySnapshot defaults;

  private static final String GROUPS = """
      groups:
        pupils: { subnets: [10.10.0.0/16] }
        staff:  { subnets: [10.30.0.0/16] }
        guests: { subnets: [10.99.0.0/16] }
      """;

  @BeforeAll
  static void compile() throws Exception {
    policy = TestPolicies.compile(dir, GROUPS + """
        destinations:
          internal-ranges: [203.0.113.0/24, "2001:db8:5c::/48"]
          allow-internal: [staff]
          intranet:
            - { host: vle.school.test, ports: [80, 443] }
            - { network: 10.20.30.0/24, ports: [631, 8000-8099] }
            - { host: 10.20.40.5 }
            - { network: "fd00:5c::/64", groups: [guests] }
        """).withUnblocks(UnblockSet.EMPTY);
    defaults = TestPolicies.compile(Files.createDirectories(dir.resolve("defaults")), GROUPS);
  }

  private static Decision decide(PolicySnapshot p, String group, String host, String address,
      int port, boolean local) throws Exception {
    return p.decideDestination(new GroupId(group), host, InetAddress.getByName(address).getAddress(),
        port, local, false);
  }

  @ParameterizedTest(name = "{0} → {1} ({2}):{3}, local client {4} → {5}")
  @CsvSource(delimiter = '|', textBlock = """
      pupils | example.com          | 93.184.216.34   | 80   | false | allow
      pupils | localhost            | 127.0.0.1       | 8080 | false | block
      pupils | x                    | 0.0.0.0         | 80   | false | block
      pupils | x                    | ::1             | 80   | false | block
      pupils | x                    | ::              | 80   | false | block
      pupils | x                    | 169.254.169.254 | 80   | false | block
      pupils | x                    | fe80::1         | 80   | false | block
      pupils | x                    | 10.1.2.3        | 80   | false | block
      pupils | x                    | 172.20.0.1      | 80   | false | block
      pupils | x                    | 192.168.1.1     | 80   | false | block
      pupils | x                    | 100.64.0.1      | 80   | false | block
      pupils | x                    | fd00::1         | 80   | false | block
      pupils | x                    | 203.0.113.9     | 80   | false | block
      pupils | x                    | 2001:db8:5c::9  | 443  | false | block
      pupils | x                    | 2001:db8:5d::9  | 443  | false | allow
      pupils | x                    | 224.0.0.1       | 80   | false | block
      pupils | x                    | 2002:a01:203::1 | 80   | false | block
      pupils | x                    | 64:ff9b::a01:203 | 80  | false | block
      pupils | vle.school.test      | 10.20.1.1       | 80   | false | allow
      pupils | vle.school.test      | 10.20.1.1       | 443  | false | allow
      pupils | vle.school.test      | 10.20.1.1       | 8080 | false | block
      pupils | other.school.test    | 10.20.1.1       | 80   | false | block
      pupils | vle.school.test      | 127.0.0.1       | 80   | false | block
      pupils | vle.school.test      | 169.254.169.254 | 80   | false | block
      pupils | printer.school.test  | 10.20.30.7      | 631  | false | allow
      pupils | 10.20.30.7           | 10.20.30.7      | 8050 | false | allow
      pupils | 10.20.30.7           | 10.20.30.7      | 80   | false | block
      pupils | 10.20.31.7           | 10.20.31.7      | 631  | false | block
      pupils | 10.20.40.5           | 10.20.40.5      | 22   | false | allow
      pupils | 10.20.40.6           | 10.20.40.6      | 22   | false | block
      pupils | x                    | fd00:5c::1      | 80   | false | block
      guests | x                    | fd00:5c::1      | 80   | false | allow
      guests | x                    | fd00:5d::1      | 80   | false | block
      staff  | x                    | 10.1.2.3        | 80   | false | allow
      staff  | x                    | 203.0.113.9     | 80   | false | allow
      staff  | x                    | fd00::1         | 80   | false | allow
      staff  | x                    | 127.0.0.1       | 80   | false | block
      staff  | x                    | 169.254.169.254 | 80   | false | block
      staff  | metadata.google.internal | 93.184.216.34 | 80 | false | block
      pupils | metadata             | 10.1.2.3        | 80   | false | block
      pupils | localhost            | 127.0.0.1       | 8080 | true  | allow
      pupils | x                    | 10.1.2.3        | 80   | true  | allow
      pupils | metadata.google.internal | 169.254.169.254 | 80 | true | allow
      """)
  void destinationsAreDecidedPerGroupAddressAndPort(String group, String host, String address,
      int port, boolean local, String action) throws Exception {
    Decision d = decide(policy, group, host, address, port, local);

    assertThat(d.action().logName()).as(d.reason()).isEqualTo(action);
    assertThat(d.rule()).isEqualTo(Rule.INTERNAL_DESTINATION);
    assertThat(d.group()).isEqualTo(new GroupId(group));
  }

  @Test
  void anAddressOfTheProxysOwnInterfacesIsRefusedEvenWhenItIsPublicOrAllowed() throws Exception {
    assertThat(policy.decideDestination(new GroupId("staff"), "x",
        InetAddress.getByName("10.30.0.1").getAddress(), 80, false, true).blocked()).isTrue();
    assertThat(policy.decideDestination(new GroupId("pupils"), "x",
        InetAddress.getByName("93.184.216.34").getAddress(), 80, false, true).blocked()).isTrue();
  }

  @Test
  void refusalsSayWhatHappenedAndAreShared() throws Exception {
    Decision internal = decide(policy, "pupils", "x", "10.1.2.3", 80, false);
    assertThat(internal.reason()).isEqualTo("the address is inside the school's network, which"
        + " pupils cannot reach through the filter unless the school's intranet list names it");
    assertThat(internal.ruleText()).isEqualTo("internal-destination");
    assertThat(decide(policy, "pupils", "x", "10.9.9.9", 443, false)).isSameAs(internal);
    assertThat(decide(policy, "pupils", "x", "127.0.0.1", 80, false).reason())
        .isEqualTo("the address is the web filter's own machine, which cannot be reached through"
            + " the filter");
  }

  @Test
  void withoutTheSectionEveryGroupIsRefusedInternalAddresses() throws Exception {
    assertThat(decide(defaults, "staff", "x", "10.1.2.3", 80, false).blocked()).isTrue();
    assertThat(decide(defaults, "pupils", "x", "192.168.0.1", 80, false).blocked()).isTrue();
    assertThat(decide(defaults, "pupils", "example.com", "93.184.216.34", 80, false).blocked())
        .isFalse();
  }

  @Test
  void anUnknownGroupIsRefused() throws Exception {
    Decision d = decide(policy, "nobody", "example.com", "93.184.216.34", 80, false);
    assertThat(d.blocked()).isTrue();
    assertThat(d.rule()).isEqualTo(Rule.FAIL_CLOSED);
  }

  @Test
  void theNameCheckRefusesMetadataNamesBeforeAnyLookup() {
    assertThat(policy.decideDestinationName(new GroupId("pupils"), "metadata.google.internal", false)
        .blocked()).isTrue();
    assertThat(policy.decideDestinationName(new GroupId("staff"), "instance-data.", false)
        .blocked()).isTrue();
    assertThat(policy.decideDestinationName(new GroupId("pupils"), "example.com", false)
        .blocked()).isFalse();
    assertThat(policy.decideDestinationName(new GroupId("pupils"), "metadata", true)
        .blocked()).isFalse();
  }

  @Test
  void decidingAllocatesNothing() throws Exception {
    List<byte[]> addresses = List.of(InetAddress.getByName("93.184.216.34").getAddress(),
        InetAddress.getByName("10.20.30.7").getAddress(), InetAddress.getByName("127.0.0.1").getAddress(),
        InetAddress.getByName("fd00:5c::1").getAddress(), InetAddress.getByName("2606:4700::1").getAddress());
    List<String> hosts = List.of("example.com", "printer.school.test", "localhost", "x", "vle.school.test");
    List<GroupId> groups = List.of(new GroupId("pupils"), new GroupId("staff"), new GroupId("guests"));
    long allocated = Allocations.bytesAllocated(20_000, 200_000, i -> policy.decideDestination(
        groups.get(i % 3), hosts.get(i % 5), addresses.get(i % 5), 80 + i % 600, false, false)
        .reason().length());
    assertThat(allocated).as("bytes allocated by 200,000 destination decisions").isLessThan(10_000);
  }

  private List<String> errors(String yaml) {
    Path file = TestPolicies.write(dir, yaml);
    PolicyException e = catchThrowableOfType(PolicyException.class, () -> PolicyReader.read(file));
    assertThat(e).as("expected the policy to be rejected").isNotNull();
    return e.errors().stream().map(err -> err.line() + ": " + err.field() + ": " + err.message()).toList();
  }

  @Test
  void badEntriesAreRejectedWithFileLineAndField() {
    assertThat(errors(GROUPS + """
        destinations:
          internal-ranges: [127.0.0.0/8, 10.0.0.1/8]
          allow-internal: [staf]
          intranet:
            - { host: vle.school.test, network: 10.0.0.0/8 }
            - { network: 8.8.8.0/24 }
            - { network: 169.254.0.0/16 }
            - { host: 10.1.2.3, ports: [99999] }
            - { host: vle.school.test, groups: [nobody] }
            - { network: 10.0.0.0/7 }
          intranets: []
        """)).containsExactly(
        "6: destinations.internal-ranges[0]: 127.0.0.0/8 is proxy-host, never reachable through"
            + " the proxy (expected: the school's own networks, e.g. 203.0.113.0/24)",
        "6: destinations.internal-ranges[1]: '10.0.0.1/8' has host bits set (expected: 10.0.0.0/8)",
        "7: destinations.allow-internal[0]: unknown group 'staf', did you mean 'staff'? (expected"
            + " one of the names under 'groups')",
        "9: destinations.intranet[0]: names both a host and a network (expected: exactly one, e.g."
            + " { host: vle.school.example, ports: [443] } or { network: 10.20.30.0/24 })",
        "10: destinations.intranet[1].network: 8.8.8.0/24 is public (expected: an address or network"
            + " inside RFC 1918, CGNAT, ULA or destinations.internal-ranges; public addresses need no"
            + " entry, and the proxy host, link-local and reserved addresses cannot have one)",
        "11: destinations.intranet[2].network: 169.254.0.0/16 is link-local (expected: an address or"
            + " network inside RFC 1918, CGNAT, ULA or destinations.internal-ranges; public addresses"
            + " need no entry, and the proxy host, link-local and reserved addresses cannot have one)",
        "12: destinations.intranet[3].ports[0]: '99999' is not a port or port range (expected:"
            + " 1-65535, e.g. 443 or 8000-8999)",
        "13: destinations.intranet[4].groups[0]: unknown group 'nobody' (expected one of the names"
            + " under 'groups')",
        "14: destinations.intranet[5].network: 10.0.0.0/7 is not wholly inside one internal range"
            + " (expected: an address or network inside RFC 1918, CGNAT, ULA or"
            + " destinations.internal-ranges; public addresses need no entry, and the proxy host,"
            + " link-local and reserved addresses cannot have one)",
        "15: destinations.intranets: unknown key 'intranets', did you mean 'intranet'? (expected one"
            + " of: internal-ranges, allow-internal, intranet)");
  }
}
