package org.schoolgate.policy.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.schoolgate.policy.GroupId;
import org.schoolgate.policy.PolicyException;
import org.schoolgate.policy.TestPolicies;
import org.schoolgate.policy.model.GroupMapping;
import org.schoolgate.policy.model.IdentificationConfig;
import org.schoolgate.policy.model.NetworkConfig;
import org.schoolgate.policy.model.PolicyReader;

/** The {@code identification:} section is read with every error naming file:line:field and the fix. */
class IdentificationSectionTest {
  @TempDir Path dir;

  private static final String BASE = """
      groups:
        ks3-4: { subnets: [10.20.0.0/16] }
        staff: { subnets: [10.30.0.0/16] }
        guests: { subnets: [10.99.0.0/16] }
      categories:
        social: { domains: [social.test] }
        games: { domains: [games.test] }
      matrix:
        social: { default: unacceptable, staff: acceptable }
        games: { default: unacceptable, ks3-4: { nominated: { directory-groups: ["CN=Gamers,OU=Clubs,DC=s"] } } }
      """;

  private List<String> errors(String yaml) {
    Path file = TestPolicies.write(dir, yaml);
    PolicyException e = catchThrowableOfType(PolicyException.class, () -> PolicyReader.read(file));
    assertThat(e).as("expected the policy to be rejected").isNotNull();
    return e.errors().stream().map(err -> err.line() + ": " + err.field() + ": " + err.message()).toList();
  }

  @Test
  void aFullSectionIsRead() throws Exception {
    IdentificationConfig id = PolicyReader.read(TestPolicies.write(dir, BASE + """
        identification:
          networks:
            staff-pcs: { subnets: [10.30.0.0/16], proxy-auth: required }
            byod: { subnets: [10.99.0.0/16], proxy-auth: optional, schemes: [basic], radius: ignored,
                    logon-sessions: ignored, sign-in-page: required, device: personal }
          directory-groups:
            - { directory-group: "CN=Staff,OU=Groups,DC=s", group: staff }
            - { directory-group: Year9, group: ks3-4 }
        """)).config().identification();

    assertThat(id.networks()).containsExactly(
        new NetworkConfig("staff-pcs", List.of(org.schoolgate.policy.model.Subnet.parse("10.30.0.0/16")),
            NetworkConfig.ProxyAuth.REQUIRED, List.of(NetworkConfig.Scheme.NEGOTIATE, NetworkConfig.Scheme.BASIC),
            true, true, NetworkConfig.SignInPage.OFF, NetworkConfig.DeviceClass.SCHOOL, null),
        new NetworkConfig("byod", List.of(org.schoolgate.policy.model.Subnet.parse("10.99.0.0/16")),
            NetworkConfig.ProxyAuth.OPTIONAL, List.of(NetworkConfig.Scheme.BASIC),
            false, false, NetworkConfig.SignInPage.REQUIRED, NetworkConfig.DeviceClass.PERSONAL, null));
    assertThat(id.defaults()).isEqualTo(NetworkConfig.DEFAULTS);
    assertThat(id.directoryGroups()).containsExactly(
        new GroupMapping("CN=Staff,OU=Groups,DC=s", new GroupId("staff")),
        new GroupMapping("Year9", new GroupId("ks3-4")));
  }

  @Test
  void signInHostsAreReadNormalisedAndMatchTheirSubdomainsOnly() throws Exception {
    var policy = PolicyReader.read(TestPolicies.write(dir, BASE + """
        identification:
          sign-in-hosts: [Login.MicrosoftOnline.com, accounts.google.com]
        """));
    IdentificationConfig id = policy.config().identification();
    assertThat(id.signInHosts()).containsExactly("login.microsoftonline.com", "accounts.google.com");
    assertThat(id.isSignInHost("login.microsoftonline.com")).isTrue();
    assertThat(id.isSignInHost("eu.login.microsoftonline.com")).isTrue();
    assertThat(id.isSignInHost("evillogin.microsoftonline.com")).isFalse();
    assertThat(id.isSignInHost("microsoftonline.com")).isFalse();
    assertThat(id.isSignInHost("social.test")).isFalse();
  }

  @Test
  void badSignInHostsAreErrorsOnTheirLines() {
    assertThat(errors(BASE + """
        identification:
          sign-in-hosts:
            - https://login.microsoftonline.com/
            - "*.google.com"
            - 192.0.2.1
            - accounts.google.com
            - Accounts.Google.com
        """)).containsExactly(
        "13: identification.sign-in-hosts[0]: 'https://login.microsoftonline.com/' is not a host name (expected:"
            + " a sign-in host such as login.microsoftonline.com; its subdomains are included, no scheme, path or"
            + " wildcard)",
        "14: identification.sign-in-hosts[1]: '*.google.com' is not a host name (expected: a sign-in host such as"
            + " login.microsoftonline.com; its subdomains are included, no scheme, path or wildcard)",
        "15: identification.sign-in-hosts[2]: '192.0.2.1' is not a host name (expected: a sign-in host such as"
            + " login.microsoftonline.com; its subdomains are included, no scheme, path or wildcard)",
        "17: identification.sign-in-hosts[4]: 'Accounts.Google.com' is given twice (expected: each host once)");
  }

  @Test
  void withoutTheSectionNobodyIsAskedForCredentials() throws Exception {
    assertThat(PolicyReader.read(TestPolicies.write(dir, BASE)).config().identification())
        .isEqualTo(IdentificationConfig.NONE);
  }

  @Test
  void theSignInPagesBindingPeriodIsReadPerNetworkAndCheckedOnItsLine() throws Exception {
    IdentificationConfig id = PolicyReader.read(TestPolicies.write(dir, BASE + """
        identification:
          networks:
            guests: { subnets: [10.99.0.0/16], sign-in-page: required, bind-for: 45m }
            byod: { subnets: [10.98.0.0/16], sign-in-page: optional }
        """)).config().identification();
    assertThat(id.networks()).extracting(NetworkConfig::name, NetworkConfig::bindFor).containsExactly(
        org.assertj.core.groups.Tuple.tuple("guests", java.time.Duration.ofMinutes(45)),
        org.assertj.core.groups.Tuple.tuple("byod", java.time.Duration.ofHours(9)));

    assertThat(errors(BASE + """
        identification:
          networks:
            a: { subnets: [10.97.0.0/16], sign-in-page: required, bind-for: 2m }
            b: { subnets: [10.96.0.0/16], sign-in-page: required, bind-for: 8d }
            c: { subnets: [10.95.0.0/16], sign-in-page: required, bind-for: all day }
            d: { subnets: [10.94.0.0/16], bind-for: 9h }
        """)).containsExactly(
        "13: identification.networks.a.bind-for: is '2m' (expected: a duration from 5m to 7d, such as 45m, 9h or 1d)",
        "14: identification.networks.b.bind-for: is '8d' (expected: a duration from 5m to 7d, such as 45m, 9h or 1d)",
        "15: identification.networks.c.bind-for: is 'all day' (expected: a duration from 5m to 7d, such as 45m, 9h or"
            + " 1d)",
        "16: identification.networks.d.bind-for: is set but this network's sign-in page is off (expected:"
            + " sign-in-page: optional or required, or no bind-for)");
  }

  @Test
  void badValuesAreErrorsOnTheirLines() {
    assertThat(errors(BASE + """
        identification:
          networks:
            staff-pcs:
              subnets: [10.30.0.0/33]
              proxy-auth: sometimes
              schemes: [kerberos, basic, basic]
              radius: yes
              device: tablet
              sign-in-page: maybe
            nowhere: { proxy-auth: required }
            default: { subnets: [10.0.0.0/8] }
          directory-groups:
            - { directory-group: "CN=Staff,Groups", group: staff }
            - { directory-group: Year9, group: ks34 }
            - { group: staff }
            - { directory-group: "cn=staff2, dc=s", group: staff, extra: 1 }
            - { directory-group: "CN=Staff2,DC=s", group: staff }
          who: everyone
        """)).containsExactly(
        "14: identification.networks.staff-pcs.subnets[0]: '10.30.0.0/33': prefix 33 is out of range (expected: 0-32 for IPv4)",
        "15: identification.networks.staff-pcs.proxy-auth: is 'sometimes' (expected: off, optional or required)",
        "16: identification.networks.staff-pcs.schemes[0]: is 'kerberos' (expected: negotiate or basic)",
        "16: identification.networks.staff-pcs.schemes[2]: 'basic' is given twice (expected: each scheme once)",
        "17: identification.networks.staff-pcs.radius: is 'yes' (expected: trusted or ignored)",
        "18: identification.networks.staff-pcs.device: is 'tablet' (expected: school or personal)",
        "19: identification.networks.staff-pcs.sign-in-page: is 'maybe' (expected: off, optional or required)",
        "20: identification.networks.nowhere: has no subnets (expected: subnets: [10.30.0.0/16])",
        "21: identification.networks.default.subnets: the default network has no subnets: it is every client"
            + " in no listed network (expected: another network name for these subnets)",
        "23: identification.directory-groups[0].directory-group: 'CN=Staff,Groups' is not a distinguished name:"
            + " 'Groups' is not type=value (expected: e.g. CN=Year9,OU=Pupils,DC=school,DC=example)",
        "24: identification.directory-groups[1].group: unknown group 'ks34', did you mean 'ks3-4'? (expected one of:"
            + " ks3-4, staff, guests)",
        "25: identification.directory-groups[2]: has no 'directory-group' (expected: directory-group: ...)",
        "26: identification.directory-groups[3].extra: unknown key 'extra' (expected one of: directory-group, group)",
        "27: identification.directory-groups[4].directory-group: 'CN=Staff2,DC=s' is mapped twice"
            + " (expected: each directory group once; the first line wins)",
        "28: identification.who: unknown key 'who' (expected one of: networks, directory-groups, sign-in-hosts)");
  }

  @Test
  void anUnmappedGroupMorePermissiveThanTheSubnetsGroupIsRefused() {
    assertThat(errors(BASE + """
        identification:
          networks:
            pupils: { subnets: [10.20.0.0/16], proxy-auth: optional, unmapped-group: staff }
            library: { subnets: [10.20.5.0/24, 10.30.5.0/24], unmapped-group: ks3-4 }
            lab: { subnets: [10.20.6.0/24], unmapped-group: guests }
        """)).containsExactly(
        "13: identification.networks.pupils.unmapped-group: 'staff' is more permissive than 'ks3-4', which clients"
            + " on this network get by subnet: matrix row 'social' is acceptable for staff but unacceptable for ks3-4"
            + " (expected: a group no more permissive than ks3-4; a signed-in person in no mapped group never gets"
            + " more than their subnet would)",
        "14: identification.networks.library.unmapped-group: 'ks3-4' is more permissive than 'staff', which clients"
            + " on this network get by subnet: matrix row 'games' is acceptable for nominated users for ks3-4 but"
            + " unacceptable for staff (expected: a group no more permissive than ks3-4, staff; a signed-in person in"
            + " no mapped group never gets more than their subnet would)");
  }

  @Test
  void aBadNominatedDirectoryGroupIsAnError() {
    assertThat(errors("""
        groups:
          staff: { subnets: [10.30.0.0/16] }
        categories:
          social: { domains: [social.test] }
        matrix:
          social: { default: { nominated: { directory-groups: ["OU=,DC=s"] } } }
        """)).containsExactly(
        "6: matrix.social.default.nominated.directory-groups[0]: 'OU=,DC=s' is not a distinguished name: 'OU=' is"
            + " not type=value (expected: e.g. CN=Year9,OU=Pupils,DC=school,DC=example)");
  }
}
