package org.schoolgate.policy.compile;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.schoolgate.policy.GroupId;
import org.schoolgate.policy.Identification;
import org.schoolgate.policy.TestPolicies;

/** Client → group: user name, then most specific subnet, then the unknown-client group, else refused. */
class IdentifyTest {
  @TempDir static Path dir;
  @TempDir static Path sampleDir;
  static CompiledPolicy policy;
  static CompiledPolicy sample;

  @BeforeAll
  static void compile() {
    policy = TestPolicies.compile(dir, """
        clients:
          allow: [10.0.0.0/8, "fd00::/8"]
        groups:
          staff:  { subnets: [10.0.0.0/8], users: [J.Smith] }
          lab:    { subnets: [10.20.5.0/24, "fd00:0:0:5::/64"] }
          pupils: { subnets: [10.20.0.0/16, "fd00::/48"] }
        categories:
          gambling: { domains: [bet365.com] }
        matrix:
          gambling: { default: unacceptable, staff: acceptable }
        """);
    sample = TestPolicies.sample(sampleDir);
  }

  @ParameterizedTest(name = "{0} ({1}) → {2} by {3}")
  @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
      10.20.5.9     | -       | lab    | SUBNET
      10.20.6.9     | -       | pupils | SUBNET
      10.30.0.1     | -       | staff  | SUBNET
      10.20.5.9     | j.smith | staff  | USER
      10.20.5.9     | J.SMITH | staff  | USER
      10.20.5.9     | nobody  | lab    | SUBNET
      fd00::5:0:0:0:1 | -     | lab    | SUBNET
      fd00::1       | -       | pupils | SUBNET
      fd00:1::1     | -       | lab    | UNKNOWN_CLIENT
      """)
  void mostSpecificMatchWins(String address, String user, String group, Identification.By by) throws Exception {
    Identification id = policy.identify(InetAddress.getByName(address), user);
    assertThat(id).isEqualTo(new Identification.Identified(new GroupId(group), user, by));
  }

  @Test
  void unknownClientGetsTheMostRestrictiveGroup() {
    assertThat(policy.unknownClientGroup()).isEqualTo(new GroupId("lab"));
    assertThat(sample.unknownClientGroup()).isEqualTo(new GroupId("ks2"));
  }

  @Test
  void clientOutsideEveryNetworkIsRefusedWithItsAddress() throws Exception {
    assertThat(policy.identify(InetAddress.getByName("192.0.2.7"), null)).isEqualTo(new Identification.Refused(
        "client 192.0.2.7 is not on a network this proxy serves (see clients.allow and the groups' subnets in policy.yaml)"));
  }

  @ParameterizedTest(name = "sample: {0} → {1} by {2}")
  @CsvSource(delimiter = '|', textBlock = """
      127.0.0.1   | ks3-4  | SUBNET
      ::1         | ks3-4  | SUBNET
      10.10.1.1   | ks2    | SUBNET
      10.99.0.1   | guests | SUBNET
      192.168.1.5 | ks2    | UNKNOWN_CLIENT
      """)
  void sampleLetsThisMachineTryTheFilterAsASecondaryPupil(String address, String group, Identification.By by)
      throws Exception {
    assertThat(sample.identify(InetAddress.getByName(address), null))
        .isEqualTo(new Identification.Identified(new GroupId(group), null, by));
  }
}
