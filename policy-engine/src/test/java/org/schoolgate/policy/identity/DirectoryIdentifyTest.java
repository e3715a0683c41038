package org.schoolgate.policy.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.schoolgate.policy.GroupId;
import org.schoolgate.policy.Identification;
import org.schoolgate.policy.PolicySnapshot;
import org.schoolgate.policy.TestPolicies;
import org.schoolgate.policy.UnblockSet;
import org.schoolgate.policy.model.NetworkConfig;

/**
 * A known person's group: a user named in {@code users} first, then the first mapped directory
 * group, then the network's unmapped-group, then the subnet's group; never for a client the proxy
 * does not serve.
 */
class DirectoryIdentifyTest {
  @TempDir static Path dir;
  static PolicySnapshot policy;

  @BeforeAll
  static void compile() {
    policy = TestPolicies.compile(dir, DirectoryPolicies.POLICY).withUnblocks(UnblockSet.EMPTY);
  }

  @ParameterizedTest(name = "{1} in [{2}] at {0} → {3} by {4}")
  @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
      # client      | user        | directory groups (;-separated)                                   | group  | by
      10.20.1.5     | pupil9      | CN=Year9,OU=Pupils,DC=school,DC=example                          | ks3-4  | DIRECTORY_GROUP
      10.30.1.5     | pupil9      | cn=year9, ou=pupils, dc=school, dc=example                       | ks3-4  | DIRECTORY_GROUP
      10.20.1.5     | teacher     | CN=Staff,OU=Groups,DC=school,DC=example                          | staff  | DIRECTORY_GROUP
      10.20.1.5     | both        | CN=Staff,OU=Groups,DC=school,DC=example;CN=Year9,OU=Pupils,DC=school,DC=example | ks3-4 | DIRECTORY_GROUP
      10.20.1.5     | head.teacher| CN=Year9,OU=Pupils,DC=school,DC=example                          | staff  | USER
      10.20.1.5     | nobody      | CN=Library,OU=Groups,DC=school,DC=example                        | ks3-4  | SUBNET
      10.30.1.5     | nobody      | -                                                                | staff  | SUBNET
      10.20.200.5   | nobody      | -                                                                | guests | UNMAPPED
      10.20.200.5   | pupil9      | CN=Year9,OU=Pupils,DC=school,DC=example                          | ks3-4  | DIRECTORY_GROUP
      10.77.0.1     | nobody      | -                                                                | ks2    | UNKNOWN_CLIENT
      10.20.1.5     | -           | CN=Staff,OU=Groups,DC=school,DC=example                          | ks3-4  | SUBNET
      """)
  void aPersonGetsTheFirstMatchingSource(String client, String user, String groups, String group,
      Identification.By by) throws Exception {
    List<String> directoryGroups = groups == null ? List.of() : Arrays.asList(groups.split(";"));
    Identification id = policy.identify(InetAddress.getByName(client), user, directoryGroups);
    assertThat(id).isInstanceOf(Identification.Identified.class);
    Identification.Identified known = (Identification.Identified) id;
    assertThat(known.group()).isEqualTo(new GroupId(group));
    assertThat(known.by()).isEqualTo(by);
    assertThat(known.user()).isEqualTo(user);
    if (user != null) {
      assertThat(known.person().user()).isEqualTo(user);
      assertThat(known.person().directoryGroups()).hasSize(directoryGroups.size());
    } else {
      assertThat(known.person()).isNull();
    }
  }

  @Test
  void aSignedInPersonOutsideEveryServedNetworkIsStillRefused() throws Exception {
    assertThat(policy.identify(InetAddress.getByName("192.0.2.9"), "head.teacher",
        List.of("CN=Staff,OU=Groups,DC=school,DC=example"))).isInstanceOf(Identification.Refused.class);
  }

  @Test
  void eachClientGetsItsNetworksSettings() throws Exception {
    NetworkConfig staff = policy.network(InetAddress.getByName("10.30.4.4"));
    assertThat(staff.name()).isEqualTo("staff-pcs");
    assertThat(staff.requiresCredentials()).isTrue();
    assertThat(staff.schemes()).containsExactly(NetworkConfig.Scheme.NEGOTIATE, NetworkConfig.Scheme.BASIC);
    assertThat(staff.trustSessions()).isTrue();
    assertThat(staff.trustRadius()).isFalse();
    NetworkConfig wifi = policy.network(InetAddress.getByName("10.20.200.1"));
    assertThat(wifi.name()).isEqualTo("pupil-wifi");
    assertThat(wifi.proxyAuth()).isEqualTo(NetworkConfig.ProxyAuth.OPTIONAL);
    assertThat(wifi.device()).isEqualTo(NetworkConfig.DeviceClass.PERSONAL);
    assertThat(wifi.signInPage()).isEqualTo(NetworkConfig.SignInPage.OPTIONAL);
    assertThat(wifi.trustSessions()).isFalse();
    NetworkConfig other = policy.network(InetAddress.getByName("10.20.1.1"));
    assertThat(other.name()).isEqualTo("default");
    assertThat(other.acceptsCredentials()).isFalse();
  }
}
