package org.schoolgate.identity;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.schoolgate.identity.directory.LdapDirectory;
import org.schoolgate.identity.directory.LdapSettings;
import org.schoolgate.identity.kerberos.SpnegoAcceptor;
import org.schoolgate.identity.kerberos.TokenCheck;
import org.schoolgate.identity.metrics.IdentityMetrics;
import org.schoolgate.identity.verify.CredentialVerifier;
import org.schoolgate.policy.GroupId;
import org.schoolgate.policy.PolicySnapshot;
import org.schoolgate.policy.TestPolicies;
import org.schoolgate.policy.testing.MutableClock;

/**
 * Negotiate with a real KDC: a client gets a service ticket for {@code HTTP/proxy.school.example}
 * and sends it as SPNEGO; the proxy accepts it with its keytab, reads the person's groups from the
 * directory and decides for their group. Bad, forged, replayed, misdirected and oversized tokens
 * are refused with their own reasons.
 */
class KerberosTest {
  @TempDir static Path dir;
  static TestKdc kdc;
  static TestDirectory directory;
  static SpnegoAcceptor acceptor;
  static Path aliceKeytab;
  static Path carolKeytab;

  @BeforeAll
  static void start() throws Exception {
    kdc = new TestKdc(Files.createDirectories(dir.resolve("kdc")));
    directory = new TestDirectory(Files.createDirectories(dir.resolve("ldap")));
    aliceKeytab = kdc.user("alice");
    carolKeytab = kdc.user("carol");
    acceptor = SpnegoAcceptor.fromKeytab(kdc.keytab, TestKdc.SERVICE);
  }

  @AfterAll
  static void stop() throws Exception {
    directory.close();
    kdc.close();
  }

  @Test
  void aServiceTicketFromTheKdcIsAccepted() throws Exception {
    byte[] token = kdc.token("alice", aliceKeytab, TestKdc.SERVICE);

    TokenCheck check = acceptor.accept(token);

    assertThat(check).isEqualTo(new TokenCheck.Accepted("alice@SCHOOL.EXAMPLE"));
    assertThat(((TokenCheck.Accepted) check).user()).isEqualTo("alice");
  }

  @Test
  void theSameTokenSentAgainIsAReplay() throws Exception {
    byte[] token = kdc.token("carol", carolKeytab, TestKdc.SERVICE);
    assertThat(acceptor.accept(token)).isInstanceOf(TokenCheck.Accepted.class);

    TokenCheck again = acceptor.accept(token);

    assertThat(again).isInstanceOf(TokenCheck.Rejected.class);
    assertThat(((TokenCheck.Rejected) again).refusal()).isEqualTo(Verification.Refusal.REPLAYED);
  }

  @Test
  void aTicketForAnotherServiceATamperedTokenAndNoiseAreBadTokens() throws Exception {
    byte[] other = kdc.token("alice", aliceKeytab, "HTTP/other.school.example@" + TestKdc.REALM);
    byte[] tampered = kdc.token("alice", aliceKeytab, TestKdc.SERVICE);
    tampered[tampered.length - 20] ^= 0x5a;
    byte[] noise = "this is not a kerberos ticket at all".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    for (byte[] token : List.of(other, tampered, noise)) {
      TokenCheck check = acceptor.accept(token);
      assertThat(check).isInstanceOf(TokenCheck.Rejected.class);
      assertThat(((TokenCheck.Rejected) check).refusal()).isEqualTo(Verification.Refusal.BAD_TOKEN);
    }
  }

  @Test
  void aComputerWhoseClockIsAnHourOutIsToldSoAndCounted() throws Exception {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    IdentityMetrics metrics = new IdentityMetrics(registry);
    try (CredentialVerifier verifier = new CredentialVerifier(CredentialVerifierTest.SETTINGS, null, null, acceptor,
        metrics, new FakeTicker(), new MutableClock(Instant.parse("2026-11-23T10:00:00Z")))) {
      byte[] skewed = kdc.skewedToken("alice", java.time.Duration.ofHours(1).toMillis());
      byte[] onTime = kdc.skewedToken("alice", 0);

      Verification late = verifier.verify(new ProxyCredentials.Negotiate(skewed), null).get(20, TimeUnit.SECONDS);
      Verification fine = verifier.verify(new ProxyCredentials.Negotiate(onTime), null).get(20, TimeUnit.SECONDS);

      assertThat(late).isInstanceOf(Verification.Refused.class);
      assertThat(((Verification.Refused) late).refusal()).isEqualTo(Verification.Refusal.CLOCK_SKEW);
      assertThat(((Verification.Refused) late).message()).startsWith("the computer's clock differs from the proxy's"
          + " by more than Kerberos allows (5 minutes); correct its time");
      assertThat(registry.counter("schoolgate.identity.refusals", "reason", "clock-skew").count()).isEqualTo(1);
      // the same hand-made token with the right time passes the clock check; it is refused only
      // because Kerby does not add the GSS checksum a browser's token carries
      assertThat(fine).isEqualTo(new Verification.Refused(Verification.Refusal.BAD_TOKEN, "the Kerberos ticket is"
          + " not valid for this proxy (Failure unspecified at GSS-API level: No cksum in AP_REQ's authenticator)"));
    }
  }

  @Test
  void anOversizedTokenIsRefusedUnread() {
    TokenCheck check = acceptor.accept(new byte[SpnegoAcceptor.MAX_TOKEN_BYTES + 1]);
    assertThat(check).isEqualTo(new TokenCheck.Rejected(Verification.Refusal.TOO_LARGE,
        "the Negotiate token is 49153 bytes (expected: at most 49152)"));
  }

  @Test
  void throughTheVerifierAPupilWithATicketGetsTheirGroupsAndThePupilsPolicy() throws Exception {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    IdentityMetrics metrics = new IdentityMetrics(registry);
    MutableClock clock = new MutableClock(Instant.parse("2026-11-23T10:00:00Z"));
    try (LdapDirectory ldap = new LdapDirectory(directory.settings(LdapSettings.Membership.MEMBER), metrics);
        CredentialVerifier verifier = new CredentialVerifier(CredentialVerifierTest.SETTINGS, ldap, null, acceptor,
            metrics, new FakeTicker(), clock)) {
      PolicySnapshot policy = TestPolicies.compile(Files.createDirectories(dir.resolve("policy")),
          PolicyFixtures.SCHOOL);
      IdentityService identity = new IdentityService(verifier, AddressBindings.NONE, clock);
      InetAddress staffPc = InetAddress.getByName("10.30.1.5");

      String header = "Negotiate " + Base64.getEncoder().encodeToString(kdc.token("alice", aliceKeytab,
          TestKdc.SERVICE));
      Who who = identity.identify(policy, staffPc, header).get(20, TimeUnit.SECONDS);
      Who replayed = identity.identify(policy, staffPc, header).get(20, TimeUnit.SECONDS);

      assertThat(who).isInstanceOf(Who.Known.class);
      Who.Known known = (Who.Known) who;
      assertThat(known.user()).isEqualTo("alice");
      assertThat(known.group()).isEqualTo(new GroupId("ks3-4"));
      assertThat(known.method()).isEqualTo(AuthMethod.NEGOTIATE);
      assertThat(replayed).isInstanceOf(Who.Challenge.class);
      assertThat(((Who.Challenge) replayed).reason()).isEqualTo("the Kerberos ticket was sent before (a replay)");
      assertThat(registry.counter("schoolgate.identity.refusals", "reason", "replayed").count()).isEqualTo(1);
      assertThat(registry.counter("schoolgate.identity.verifications", "method", "negotiate", "outcome", "verified")
          .count()).isEqualTo(1);
    }
  }
}
