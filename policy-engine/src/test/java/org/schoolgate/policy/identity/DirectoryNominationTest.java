package org.schoolgate.policy.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.schoolgate.policy.TestPolicies.london;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.schoolgate.policy.Action;
import org.schoolgate.policy.Allocations;
import org.schoolgate.policy.Decision;
import org.schoolgate.policy.GroupId;
import org.schoolgate.policy.Identification;
import org.schoolgate.policy.Person;
import org.schoolgate.policy.PolicySnapshot;
import org.schoolgate.policy.RequestFacts;
import org.schoolgate.policy.Rule;
import org.schoolgate.policy.TestPolicies;
import org.schoolgate.policy.TestUnblocks;
import org.schoolgate.policy.UnblockScope;
import org.schoolgate.policy.UnblockSet;
import org.schoolgate.policy.UnblockTarget;
import org.schoolgate.policy.compile.CompiledPolicy;

/**
 * Matrix cells and unblocks that name directory groups: a nominated staff member gets social
 * media and another does not; an unblock for a class reaches its members only; neither costs an
 * allocation per request.
 */
class DirectoryNominationTest {
  static final String SOCIAL_TEAM = "CN=Social Media Team,OU=Staff,DC=school,DC=example";
  static final String STAFF = "CN=Staff,OU=Groups,DC=school,DC=example";
  static final String CLASS_10X = "CN=10X-Maths,OU=Classes,DC=school,DC=example";
  static final Instant MONDAY_10AM = london("2026-11-23T10:00");
  @TempDir static Path dir;
  static CompiledPolicy compiled;
  static PolicySnapshot policy;

  @BeforeAll
  static void compile() {
    compiled = TestPolicies.compile(dir, DirectoryPolicies.POLICY);
    policy = compiled.withUnblocks(UnblockSet.compile(List.of(TestUnblocks.unblock(31,
        new UnblockTarget.Domain("bet.test"), new UnblockScope(Set.of(), Set.of(), List.of(), Set.of(CLASS_10X)),
        "09:00", "17:00"))));
  }

  private static RequestFacts facts(String client, String user, List<String> groups, String host) throws Exception {
    InetAddress address = InetAddress.getByName(client);
    Identification.Identified id = (Identification.Identified) policy.identify(address, user, groups);
    return new RequestFacts(id.group(), id.user(), host, "/", MONDAY_10AM, address, id.person());
  }

  @Test
  void aNominatedStaffMemberGetsSocialMediaAndAnotherDoesNot() throws Exception {
    Decision nominated = policy.decide(facts("10.30.1.5", "a.khan", List.of(STAFF, SOCIAL_TEAM), "social.test"));
    Decision other = policy.decide(facts("10.30.1.6", "b.jones", List.of(STAFF), "social.test"));

    assertThat(nominated.group()).isEqualTo(new GroupId("staff"));
    assertThat(nominated.action()).as(nominated.reason()).isEqualTo(Action.ALLOW);
    assertThat(nominated.reason()).isEqualTo(
        "social-media is acceptable for nominated users; this user is nominated");
    assertThat(other.action()).as(other.reason()).isEqualTo(Action.BLOCK);
    assertThat(other.reason()).isEqualTo("social-media is acceptable only for nominated users; staff is not nominated");
  }

  @Test
  void aPersonBuiltOutsideThePolicyIsMatchedByNameToo() {
    Person outside = Person.of("a.khan", List.of("cn=social media team, ou=staff, dc=school, dc=example"));
    Decision d = policy.decide(new RequestFacts(new GroupId("staff"), null, "social.test", "/", MONDAY_10AM, null,
        outside));
    assertThat(d.action()).as(d.reason()).isEqualTo(Action.ALLOW);
    assertThat(policy.decide(new RequestFacts(new GroupId("staff"), "a.khan", "social.test", "/", MONDAY_10AM))
        .action()).isEqualTo(Action.BLOCK);
  }

  @Test
  void anUnblockForAClassReachesItsMembersOnly() throws Exception {
    Decision member = policy.decide(facts("10.20.1.5", "pupil1", List.of(CLASS_10X,
        "CN=Year9,OU=Pupils,DC=school,DC=example"), "bet.test"));
    Decision notMember = policy.decide(facts("10.20.1.6", "pupil2", List.of(
        "CN=Year9,OU=Pupils,DC=school,DC=example"), "bet.test"));

    assertThat(member.rule()).as(member.reason()).isEqualTo(Rule.UNBLOCK);
    assertThat(member.unblock().value()).isEqualTo(31);
    assertThat(notMember.rule()).as(notMember.reason()).isEqualTo(Rule.MATRIX);
    assertThat(notMember.blocked()).isTrue();
  }

  @Test
  void decidingForAPersonAllocatesNothing() throws Exception {
    List<RequestFacts> requests = List.of(
        facts("10.30.1.5", "a.khan", List.of(STAFF, SOCIAL_TEAM), "social.test"),
        facts("10.30.1.6", "b.jones", List.of(STAFF), "social.test"),
        facts("10.20.1.6", "pupil2", List.of("CN=Year9,OU=Pupils,DC=school,DC=example"), "bet.test"),
        facts("10.20.1.6", "pupil2", List.of("CN=Year9,OU=Pupils,DC=school,DC=example"), "social.test"),
        new RequestFacts(new GroupId("staff"), null, "social.test", "/", MONDAY_10AM, null,
            Person.of("c.lee", List.of(SOCIAL_TEAM))));

    long allocated = Allocations.bytesAllocatedByDecide(policy, requests, 20_000, 200_000);

    assertThat(allocated).as("bytes allocated by 200,000 decisions").isLessThan(10_000);
  }
}
