package org.schoolgate.resolver.judge;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.schoolgate.identity.AddressBinding;
import org.schoolgate.identity.AddressBindings;
import org.schoolgate.identity.AuthMethod;
import org.schoolgate.policy.PolicySnapshot;
import org.schoolgate.policy.TestPolicies;
import org.schoolgate.resolver.BlockAnswer;
import org.schoolgate.resolver.testing.ResolverHarness;

/** The resolver's precedence as a table: client, name and type → answer, action and rule. */
class QueryJudgeTest {
  private static final Instant NOW = ResolverHarness.MONDAY;
  private static PolicySnapshot policy;

  @BeforeAll
  static void compile(@TempDir Path dir) {
    policy = TestPolicies.compile(dir, ResolverHarness.POLICY);
  }

  private static String judge(BlockAnswer block, String client, String name, int type, int dnsClass)
      throws Exception {
    Verdict v = new QueryJudge(AddressBindings.NONE, block).judge(policy, InetAddress.getByName(client), name, type,
        dnsClass, NOW);
    String what = v instanceof Verdict.Reply r ? r.answer().logName()
        : "forward" + (((Verdict.Forward) v).withholdServiceBindings() ? " withholding https" : "");
    return what + " " + v.action() + " " + v.rule();
  }

  @ParameterizedTest(name = "{0} asks {1} type {2} ({3}) → {4}")
  @CsvSource(delimiter = '|', value = {
      // client    | name                     | type | block answer              | verdict
      "127.0.0.2   | www.example.test         | 1    | nxdomain                  | forward withholding https allow default",
      "127.0.0.3   | www.example.test         | 1    | nxdomain                  | forward allow default",
      "127.0.0.2   | www.bet.example          | 1    | address 10.0.0.5          | block-address block matrix:gambling/pupils",
      "127.0.0.2   | www.bet.example          | 28   | address 10.0.0.5          | nodata block matrix:gambling/pupils",
      "127.0.0.2   | www.bet.example          | 28   | address 10.0.0.5 fd00::5  | block-address block matrix:gambling/pupils",
      "127.0.0.2   | www.bet.example          | 16   | address 10.0.0.5          | nodata block matrix:gambling/pupils",
      "127.0.0.2   | www.bet.example          | 1    | nxdomain                  | nxdomain block matrix:gambling/pupils",
      "127.0.0.3   | illegal.example          | 1    | address 10.0.0.5          | block-address block illegal-category:child-abuse/staff",
      "127.0.0.2   | use-application-dns.net  | 1    | address 10.0.0.5          | nxdomain block dns-canary",
      "127.0.0.3   | use-application-dns.net  | 28   | address 10.0.0.5          | nxdomain block dns-canary",
      "127.0.0.2   | www.example.test         | 65   | nxdomain                  | nodata block dns-https-record",
      "127.0.0.2   | _dns.resolver.arpa       | 64   | nxdomain                  | nodata block dns-https-record",
      "127.0.0.3   | www.example.test         | 65   | nxdomain                  | forward allow default",
      "127.0.0.2   | dns.google               | 1    | address 10.0.0.5          | block-address block matrix:filter-bypass/pupils",
      "127.0.0.3   | dns.google               | 1    | address 10.0.0.5          | forward allow matrix:filter-bypass/staff",
      "127.0.0.2   | mask.icloud.com          | 1    | address 10.0.0.5          | nxdomain block matrix:filter-bypass/pupils",
      "127.0.0.2   | mask-h2.icloud.com       | 28   | address 10.0.0.5 fd00::5  | nxdomain block matrix:filter-bypass/pupils",
      "127.0.0.3   | mask.icloud.com          | 1    | address 10.0.0.5          | forward allow matrix:filter-bypass/staff",
      "127.0.0.9   | www.example.test         | 1    | nxdomain                  | refused reject dns-not-client",
      "127.0.0.3   | example.test             | 255  | nxdomain                  | refused reject dns-any",
      "127.0.0.3   | example.test             | 252  | nxdomain                  | refused reject dns-zone-transfer",
      "127.0.0.3   | example.test             | 251  | nxdomain                  | refused reject dns-zone-transfer",
  })
  void eachQueryGetsTheAnswerThePrecedenceGivesIt(String client, String name, int type, String block, String verdict)
      throws Exception {
    assertThat(judge(BlockAnswer.parse(block), client, name, type, 1)).isEqualTo(verdict);
  }

  @Test
  void aClassOtherThanInternetIsRefused() throws Exception {
    assertThat(judge(BlockAnswer.NXDOMAIN, "127.0.0.3", "version.bind", 16, 3))
        .isEqualTo("refused reject dns-class");
  }

  @Test
  void withoutAPolicyNothingIsResolved() throws Exception {
    Verdict v = new QueryJudge(AddressBindings.NONE, BlockAnswer.NXDOMAIN).judge(null,
        InetAddress.getByName("127.0.0.2"), "www.example.test", 1, 1, NOW);
    assertThat(v).isEqualTo(new Verdict.Reply(Answer.SERVFAIL, "reject", null, null, null, "fail-closed",
        "no policy is loaded, so nothing is resolved (fail closed)"));
  }

  @Test
  void aBindingThatEndedNoLongerSpeaksForTheAddress() throws Exception {
    AddressBinding smith = new AddressBinding("j.smith", Set.of(), AuthMethod.RADIUS, NOW.plusSeconds(60));
    AddressBindings bindings = (client, now) -> smith.activeAt(now) ? smith : null;
    QueryJudge judge = new QueryJudge(bindings, BlockAnswer.NXDOMAIN);
    InetAddress device = InetAddress.getByName("127.0.0.2");

    Verdict during = judge.judge(policy, device, "dns.google", 1, 1, NOW);
    Verdict after = judge.judge(policy, device, "dns.google", 1, 1, NOW.plusSeconds(60));

    assertThat(during.user()).isEqualTo("j.smith");
    assertThat(during.group().value()).isEqualTo("staff");
    assertThat(during).isInstanceOf(Verdict.Forward.class);
    assertThat(after.user()).isNull();
    assertThat(after.group().value()).isEqualTo("pupils");
    assertThat(after).isInstanceOf(Verdict.Reply.class);
  }

  @Test
  void aBindingFromASourceTheNetworkIgnoresDoesNotSpeakForTheAddress(@TempDir Path dir) throws Exception {
    PolicySnapshot ignoring = TestPolicies.compile(dir, ResolverHarness.POLICY + """
        identification:
          networks:
            pupil-pcs: { subnets: [127.0.0.2/32], radius: ignored }
        """);
    AddressBinding smith = new AddressBinding("j.smith", Set.of(), AuthMethod.RADIUS, NOW.plusSeconds(60));
    QueryJudge judge = new QueryJudge((client, now) -> smith, BlockAnswer.NXDOMAIN);

    Verdict v = judge.judge(ignoring, InetAddress.getByName("127.0.0.2"), "dns.google", 1, 1, NOW);

    assertThat(v.user()).as("RADIUS is ignored on this network").isNull();
    assertThat(v.group().value()).isEqualTo("pupils");
    assertThat(judge.judge(policy, InetAddress.getByName("127.0.0.2"), "dns.google", 1, 1, NOW).user())
        .as("trusted where the policy says nothing").isEqualTo("j.smith");
  }

  @Test
  void theLogSeesTheCategoriesAndLevelOfAPolicyDecision() throws Exception {
    Verdict v = new QueryJudge(AddressBindings.NONE, BlockAnswer.NXDOMAIN).judge(policy,
        InetAddress.getByName("127.0.0.2"), "bet.example", 1, 1, NOW);
    assertThat(v.categories()).containsExactly("gambling");
    assertThat(v.level()).isEqualTo("unacceptable");
    assertThat(v.reason()).isEqualTo("gambling is unacceptable for pupils");
  }
}
