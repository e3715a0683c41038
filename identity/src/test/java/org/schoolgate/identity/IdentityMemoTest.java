package org.schoolgate.identity;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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
import org.schoolgate.policy.GroupId;
import org.schoolgate.policy.PolicySnapshot;
import org.schoolgate.policy.testing.MutableClock;
import org.schoolgate.policy.TestPolicies;

/**
 * The proxy's per-connection memo: Basic credentials repeated on a keep-alive connection give the
 * very same answer while the verifier's cache holds them (no person compiled again), yet a wrong
 * password, another policy and the end of the cache period are each seen at once.
 */
class IdentityMemoTest {
  @TempDir Path dir;
  TestDirectory directory;
  MutableClock clock = new MutableClock(Instant.parse("2026-11-23T10:00:00Z"));
  FakeTicker ticker = new FakeTicker();
  LdapDirectory ldap;
  CredentialVerifier verifier;
  IdentityService identity;
  PolicySnapshot policy;
  InetAddress staffPc;
  SimpleMeterRegistry registry = new SimpleMeterRegistry();

  @BeforeEach
  void start() throws Exception {
    directory = new TestDirectory(Files.createDirectories(dir.resolve("ldap")));
    IdentityMetrics metrics = new IdentityMetrics(registry);
    ldap = new LdapDirectory(directory.settings(LdapSettings.Membership.MEMBER_OF), metrics);
    verifier = new CredentialVerifier(CredentialVerifierTest.SETTINGS, ldap, null, null, metrics, ticker, clock);
    identity = new IdentityService(verifier, AddressBindings.NONE, clock);
    policy = TestPolicies.compile(Files.createDirectories(dir.resolve("policy")), PolicyFixtures.SCHOOL);
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

  private Who who(PolicySnapshot p, String header, IdentityService.Memo memo) throws Exception {
    return identity.identify(p, staffPc, header, memo).get(20, TimeUnit.SECONDS);
  }

  @Test
  void repeatedCredentialsGiveTheSameAnswerUntilTheCacheForgetsThem() throws Exception {
    IdentityService.Memo memo = new IdentityService.Memo();
    Who first = who(policy, basic("dave", "dave-pass-1"), memo);
    Who again = who(policy, basic("dave", "dave-pass-1"), memo);

    assertThat(again).as("a cache hit with the same verification: the same answer").isSameAs(first);
    assertThat(((Who.Known) again).group()).isEqualTo(new GroupId("staff"));

    assertThat(who(policy, basic("dave", "not-his-password"), memo))
        .as("other credentials are checked").isInstanceOf(Who.Challenge.class);
    PolicySnapshot reloaded = TestPolicies.compile(Files.createDirectories(dir.resolve("reloaded")),
        PolicyFixtures.SCHOOL);
    assertThat(who(reloaded, basic("dave", "dave-pass-1"), memo)).as("another policy: identified again")
        .isNotSameAs(first).isInstanceOf(Who.Known.class);

    directory.addToGroup("dave", "KS2");
    ticker.advance(Duration.ofMinutes(6));
    Who later = who(reloaded, basic("dave", "dave-pass-1"), memo);
    assertThat(later).as("the cache period is over: the directory is asked again").isNotSameAs(first);
    assertThat(((Who.Known) later).group()).as("KS2 is mapped before Staff").isEqualTo(new GroupId("ks2"));
  }

  @Test
  void peopleInterleavingOnManyConnectionsAreNotCompiledAgainWhileTheirCredentialsAreCached() throws Exception {
    Who dave = who(policy, basic("dave", "dave-pass-1"), null);
    Who bob = who(policy, basic("bob", "bob-pass-1"), new IdentityService.Memo());
    Who daveElsewhere = who(policy, basic("dave", "dave-pass-1"), new IdentityService.Memo());
    Who bobAgain = who(policy, basic("bob", "bob-pass-1"), null);

    assertThat(daveElsewhere).as("another connection, the same verification: the same answer").isSameAs(dave);
    assertThat(bobAgain).isSameAs(bob);
    assertThat(identity.identify(policy, InetAddress.getByName("10.30.3.5"), basic("dave", "dave-pass-1"), null)
        .get(20, TimeUnit.SECONDS)).as("another computer: identified for it").isNotSameAs(dave);

    directory.setPassword("dave", "dave-pass-2");
    directory.addToGroup("dave", "KS2");
    ticker.advance(Duration.ofMinutes(6));
    assertThat(who(policy, basic("dave", "dave-pass-1"), null)).as("the old password, once the period is over")
        .isInstanceOf(Who.Challenge.class);
    Who changed = who(policy, basic("dave", "dave-pass-2"), null);
    assertThat(((Who.Known) changed).group()).as("the new verification's groups").isEqualTo(new GroupId("ks2"));
  }

  @Test
  void aRepeatedHeaderIsReusedOnlyUntilThePeriodThatBeganWithTheDirectorysAnswerEnds() throws Exception {
    Who checked = who(policy, basic("dave", "dave-pass-1"), null);
    ticker.advance(Duration.ofMinutes(4));
    IdentityService.Memo laterConnection = new IdentityService.Memo();
    assertThat(who(policy, basic("dave", "dave-pass-1"), laterConnection))
        .as("a connection opened 4 minutes into the period gets the cached answer").isSameAs(checked);
    assertThat(who(policy, basic("dave", "dave-pass-1"), laterConnection)).isSameAs(checked);

    directory.setPassword("dave", "dave-pass-2");
    ticker.advance(Duration.ofMinutes(1).plusSeconds(1));
    assertThat(who(policy, basic("dave", "dave-pass-1"), laterConnection))
        .as("5 minutes after the directory's answer the old password is checked again, however late the connection"
            + " remembered it")
        .isInstanceOf(Who.Challenge.class);
  }

  @Test
  void clearedCachesEndEveryRememberedHeader() throws Exception {
    IdentityService.Memo memo = new IdentityService.Memo();
    Who first = who(policy, basic("dave", "dave-pass-1"), memo);
    assertThat(who(policy, basic("dave", "dave-pass-1"), memo)).isSameAs(first);

    directory.setPassword("dave", "dave-pass-2");
    verifier.invalidateAll();
    assertThat(who(policy, basic("dave", "dave-pass-1"), memo))
        .as("the verifier's caches were cleared: the header is checked, and the directory refuses it")
        .isInstanceOf(Who.Challenge.class);
  }

  @Test
  void aReusedAnswerIsCountedAsTheCacheHitItStandsFor() throws Exception {
    IdentityService.Memo memo = new IdentityService.Memo();
    who(policy, basic("dave", "dave-pass-1"), memo);
    double hits = registry.get("schoolgate.identity.cache").tag("result", "hit").counter().count();
    double verified = registry.get("schoolgate.identity.verifications").tag("method", "basic")
        .tag("outcome", "verified").counter().count();

    for (int i = 0; i < 5; i++) {
      who(policy, basic("dave", "dave-pass-1"), memo);
    }

    assertThat(registry.get("schoolgate.identity.cache").tag("result", "hit").counter().count()).isEqualTo(hits + 5);
    assertThat(registry.get("schoolgate.identity.verifications").tag("method", "basic").tag("outcome", "verified")
        .counter().count()).isEqualTo(verified + 5);
  }

  @Test
  void anotherHeaderOnTheSameConnectionIsAlwaysChecked() throws Exception {
    IdentityService.Memo memo = new IdentityService.Memo();
    Who dave = who(policy, basic("dave", "dave-pass-1"), memo);
    Who bob = who(policy, basic("bob", "bob-pass-1"), memo);
    assertThat(bob).isNotSameAs(dave);
    assertThat(((Who.Known) bob).user()).isEqualTo("bob");
    assertThat(who(policy, basic("dave", "dave-pass-1") + "x", memo))
        .as("one byte more is other credentials").isInstanceOf(Who.Challenge.class);
    assertThat(who(policy, basic("dave", "dave-pass-1"), memo)).isSameAs(dave);
  }

  @Test
  void aRepeatedHeaderAllocatesNothing() throws Exception {
    IdentityService.Memo memo = new IdentityService.Memo();
    who(policy, basic("dave", "dave-pass-1"), memo);
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
    long id = Thread.currentThread().getId();
    long least = Long.MAX_VALUE;
    for (int round = 0; round < 5; round++) {
      String[] headers = new String[10_000];
      for (int i = 0; i < headers.length; i++) {
        headers[i] = new String(basic("dave", "dave-pass-1")); // a new string per request, as the decoder makes
      }
      long before = threads.getThreadAllocatedBytes(id);
      for (String h : headers) {
        identity.identify(policy, staffPc, h, memo);
      }
      least = Math.min(least, threads.getThreadAllocatedBytes(id) - before);
    }
    assertThat(least).as("bytes allocated by 10,000 repeated identifications (least of five rounds)")
        .isLessThan(10_000);
  }
}
