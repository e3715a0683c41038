package org.schoolgate.identity;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.schoolgate.identity.directory.LdapDirectory;
import org.schoolgate.identity.directory.LdapSettings;
import org.schoolgate.identity.metrics.IdentityMetrics;
import org.schoolgate.identity.verify.CredentialVerifier;
import org.schoolgate.policy.Action;
import org.schoolgate.policy.GroupId;
import org.schoolgate.policy.PolicySnapshot;
import org.schoolgate.policy.RequestFacts;
import org.schoolgate.policy.TestPolicies;
import org.schoolgate.policy.testing.MutableClock;

/**
 * From a {@code Proxy-Authorization} header to a decision, against a real directory: Basic sign-in
 * gives pupils and staff their group by (nested) directory group, a nominated staff member gets
 * social media and another does not, and the staff network fails closed.
 */
class IdentityServiceTest {
  @TempDir Path dir;
  TestDirectory directory;
  MutableClock clock = new MutableClock(Instant.parse("2026-11-23T10:00:00Z"));
  LdapDirectory ldap;
  CredentialVerifier verifier;
  IdentityService identity;
  PolicySnapshot policy;
  InetAddress pupilPc;
  InetAddress staffPc;

  @BeforeEach
  void start() throws Exception {
    directory = new TestDirectory(Files.createDirectories(dir.resolve("ldap")));
    IdentityMetrics metrics = new IdentityMetrics(new SimpleMeterRegistry());
    ldap = new LdapDirectory(directory.settings(LdapSettings.Membership.MEMBER_OF), metrics);
    verifier = new CredentialVerifier(CredentialVerifierTest.SETTINGS, ldap, null, null, metrics, new FakeTicker(),
        clock);
    identity = new IdentityService(verifier, AddressBindings.NONE, clock);
    policy = TestPolicies.compile(Files.createDirectories(dir.resolve("policy")), PolicyFixtures.SCHOOL);
    pupilPc = InetAddress.getByName("10.20.3.4");
    staffPc = InetAddress.getByName("10.30.3.4");
  }

  @AfterEach
  void stop() {
    verifier.close();
    ldap.close();
    directory.close();
  }

  private static String basic(String user, String password) {
    return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  private Who who(InetAddress client, String header) throws Exception {
    return identity.identify(policy, client, header).get(20, TimeUnit.SECONDS);
  }

  @Test
  void basicSignInGivesPupilsAndStaffTheirGroupByDirectoryGroup() throws Exception {
    Who.Known pupil = (Who.Known) who(staffPc, basic("alice", "alice-pass-1"));
    Who.Known primary = (Who.Known) who(staffPc, basic("bob", "bob-pass-1"));
    Who.Known teacher = (Who.Known) who(pupilPc, basic("carol", "carol-pass-1"));

    assertThat(pupil.group()).isEqualTo(new GroupId("ks3-4")); // Year9 ⊂ KS3
    assertThat(primary.group()).isEqualTo(new GroupId("ks2"));
    assertThat(teacher.group()).isEqualTo(new GroupId("staff")); // Teachers ⊂ Staff
    assertThat(pupil.method()).isEqualTo(AuthMethod.BASIC);
    assertThat(pupil.person().directoryGroups()).hasSize(4);
  }

  @Test
  void aNominatedStaffMemberGetsSocialMediaAndAnotherDoesNot() throws Exception {
    Who.Known carol = (Who.Known) who(staffPc, basic("carol", "carol-pass-1"));
    Who.Known dave = (Who.Known) who(staffPc, basic("dave", "dave-pass-1"));

    Action forCarol = policy.decide(new RequestFacts(carol.group(), carol.user(), "social.test", "/", clock.instant(),
        staffPc, carol.person())).action();
    Action forDave = policy.decide(new RequestFacts(dave.group(), dave.user(), "social.test", "/", clock.instant(),
        staffPc, dave.person())).action();

    assertThat(carol.group()).isEqualTo(dave.group());
    assertThat(forCarol).isEqualTo(Action.ALLOW);
    assertThat(forDave).isEqualTo(Action.BLOCK);
  }

  @Test
  void theStaffNetworkAsksAgainForWrongOrMissingCredentialsAndFailsClosedWhenTheDirectoryIsDown() throws Exception {
    assertThat(who(staffPc, null)).isInstanceOf(Who.Challenge.class);
    assertThat(who(staffPc, basic("carol", "wrong"))).isEqualTo(new Who.Challenge(
        java.util.List.of(org.schoolgate.policy.model.NetworkConfig.Scheme.NEGOTIATE,
            org.schoolgate.policy.model.NetworkConfig.Scheme.BASIC), "the user name or password is wrong"));
    assertThat(who(staffPc, "Bearer abc")).isInstanceOf(Who.Challenge.class);
    assertThat(who(staffPc, basic("carol", "carol-pass-1"))).isInstanceOf(Who.Known.class);

    directory.server.shutDown(true);

    assertThat(who(staffPc, basic("carol", "carol-pass-1"))).isInstanceOf(Who.Known.class); // cached
    assertThat(who(staffPc, basic("dave", "dave-pass-1"))).isInstanceOf(Who.Unavailable.class);
    // where sign-in is optional, the pupil PC falls back to its subnet's group, never wider
    Who.Known fallback = (Who.Known) who(pupilPc, basic("dave", "dave-pass-1"));
    assertThat(fallback.group()).isEqualTo(new GroupId("ks3-4"));
    assertThat(fallback.method()).isEqualTo(AuthMethod.SUBNET);
  }

  @Test
  void credentialsAreNotReadWhereTheNetworkDoesNotAskForThem() throws Exception {
    // the BYOD network reads no credentials and requires its sign-in page
    Who.Known byod = ((Who.SignInPage) who(InetAddress.getByName("10.99.0.7"), basic("carol", "carol-pass-1")))
        .beforeSigningIn();

    assertThat(byod.group()).isEqualTo(new GroupId("guests"));
    assertThat(byod.user()).isNull();
    assertThat(directory.userBinds("carol")).isZero();
  }
}
