package org.schoolgate.identity;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.schoolgate.identity.directory.LdapDirectory;
import org.schoolgate.identity.directory.LdapSettings;
import org.schoolgate.identity.metrics.IdentityMetrics;
import org.schoolgate.identity.verify.CredentialVerifier;
import org.schoolgate.identity.verify.VerifierSettings;
import org.schoolgate.policy.testing.Eventually;
import org.schoolgate.policy.testing.MutableClock;

/**
 * The verifier against a real directory: cached, coalesced, throttled below the lock-out
 * threshold, failing closed when the directory stops or hangs.
 */
class CredentialVerifierTest {
  static final VerifierSettings SETTINGS = new VerifierSettings(Duration.ofMinutes(5), 1000, 5, Duration.ofMinutes(30),
      6, 4, 100, Duration.ofSeconds(30));
  @TempDir Path dir;
  TestDirectory directory;
  FakeTicker ticker = new FakeTicker();
  MutableClock clock = new MutableClock(Instant.parse("2026-11-23T09:00:00Z"));
  SimpleMeterRegistry registry = new SimpleMeterRegistry();
  IdentityMetrics metrics = new IdentityMetrics(registry);
  List<AutoCloseable> closing = new ArrayList<>();
  InetAddress pupilPc;
  InetAddress otherPc;

  @BeforeEach
  void start() throws Exception {
    directory = new TestDirectory(dir);
    pupilPc = InetAddress.getByName("10.20.1.5");
    otherPc = InetAddress.getByName("10.20.1.6");
  }

  @AfterEach
  void stop() throws Exception {
    for (AutoCloseable c : closing) {
      c.close();
    }
    directory.close();
  }

  private CredentialVerifier verifier(VerifierSettings settings, LdapSettings ldap) {
    LdapDirectory source = new LdapDirectory(ldap, metrics);
    CredentialVerifier v = new CredentialVerifier(settings, source, null, null, metrics, ticker, clock);
    closing.add(v);
    closing.add(source);
    return v;
  }

  private CredentialVerifier verifier() {
    return verifier(SETTINGS, directory.settings(LdapSettings.Membership.MEMBER_OF));
  }

  private static ProxyCredentials basic(String user, String password) {
    return new ProxyCredentials.Basic(user, password.toCharArray());
  }

  private static Verification now(CompletableFuture<Verification> f) throws Exception {
    return f.get(20, TimeUnit.SECONDS);
  }

  private double counter(String name, String... tags) {
    return registry.counter(name, tags).count();
  }

  @Test
  void aRightPasswordIsVerifiedOnceAndThenAnsweredFromTheCache() throws Exception {
    CredentialVerifier v = verifier();

    Verification first = now(v.verify(basic("alice", "alice-pass-1"), pupilPc));
    Verification second = now(v.verify(basic("ALICE", "alice-pass-1"), otherPc));

    assertThat(first).isInstanceOf(Verification.Verified.class);
    assertThat(((Verification.Verified) first).directoryGroups()).hasSize(4);
    assertThat(second).isEqualTo(first);
    assertThat(directory.userBinds("alice")).isEqualTo(1);
    assertThat(counter("schoolgate.identity.cache", "result", "hit")).isEqualTo(1);
    assertThat(v.cachedUsers()).isEqualTo(1);
  }

  @Test
  void aWrongPasswordIsRefusedAndNeverCachedAsGood() throws Exception {
    CredentialVerifier v = verifier();

    Verification wrong = now(v.verify(basic("alice", "guess"), pupilPc));
    Verification right = now(v.verify(basic("alice", "alice-pass-1"), pupilPc));
    Verification wrongAgain = now(v.verify(basic("alice", "guess"), pupilPc));

    assertThat(wrong).isEqualTo(new Verification.Refused(Verification.Refusal.WRONG_CREDENTIALS,
        "the user name or password is wrong"));
    assertThat(right).isInstanceOf(Verification.Verified.class);
    assertThat(wrongAgain).isEqualTo(wrong);
    assertThat(directory.userBinds("alice")).isEqualTo(3);
  }

  @Test
  void anUnknownUserGetsTheSameAnswerAndTheSameDirectoryWorkAsAWrongPassword() throws Exception {
    CredentialVerifier v = verifier();

    Verification unknown = now(v.verify(basic("nosuchpupil", "guess"), pupilPc));
    Verification wrong = now(v.verify(basic("alice", "guess"), pupilPc));

    assertThat(unknown).isEqualTo(wrong);
    assertThat(directory.binds("cn=schoolgate-no-such-user," + TestDirectory.PEOPLE)).isEqualTo(1);
    assertThat(directory.userBinds("alice")).isEqualTo(1);
  }

  @Test
  void aDirectoryStoppedMidDayKeepsVerifiedPeopleWorkingAndRefusesOthers() throws Exception {
    CredentialVerifier v = verifier();
    assertThat(now(v.verify(basic("alice", "alice-pass-1"), pupilPc))).isInstanceOf(Verification.Verified.class);

    directory.server.shutDown(true);

    assertThat(now(v.verify(basic("alice", "alice-pass-1"), pupilPc))).isInstanceOf(Verification.Verified.class);
    Verification bob = now(v.verify(basic("bob", "bob-pass-1"), pupilPc));
    assertThat(bob).isInstanceOf(Verification.Unavailable.class);
    assertThat(((Verification.Unavailable) bob).reason()).startsWith("the directory ldaps://localhost:");
    // ... and once the cache period is over, alice is refused too (fail closed), not let through
    ticker.advance(Duration.ofMinutes(5).plusSeconds(1));
    assertThat(now(v.verify(basic("alice", "alice-pass-1"), pupilPc))).isInstanceOf(Verification.Unavailable.class);
    assertThat(counter("schoolgate.identity.verifications", "method", "basic", "outcome", "unavailable"))
        .isEqualTo(2);
  }

  @Test
  void aGroupChangeAndAPasswordChangeTakeEffectAfterTheCachePeriod() throws Exception {
    // one verifier thread: Caffeine stamps bob's entry in a callback on that thread (or on this one),
    // which may land after verify() returned; alice's check, queued behind it, proves it has landed
    // before the test moves the clock (under load the stamp could otherwise land after the move and
    // keep the old password a minute longer than the period)
    CredentialVerifier v = verifier(new VerifierSettings(Duration.ofMinutes(5), 1000, 5, Duration.ofMinutes(30), 6,
        1, 100, Duration.ofSeconds(30)), directory.settings(LdapSettings.Membership.MEMBER_OF));
    Verification.Verified before = (Verification.Verified) now(v.verify(basic("bob", "bob-pass-1"), pupilPc));
    assertThat(now(v.verify(basic("alice", "alice-pass-1"), pupilPc))).isInstanceOf(Verification.Verified.class);
    directory.addToGroup("bob", "Teachers");
    directory.setPassword("bob", "bob-pass-2");

    ticker.advance(Duration.ofMinutes(4));
    Verification.Verified cached = (Verification.Verified) now(v.verify(basic("bob", "bob-pass-1"), pupilPc));
    ticker.advance(Duration.ofMinutes(1).plusSeconds(1)); // just past the 5-minute period from the check
    Verification oldPassword = now(v.verify(basic("bob", "bob-pass-1"), pupilPc));
    Verification.Verified after = (Verification.Verified) now(v.verify(basic("bob", "bob-pass-2"), pupilPc));

    assertThat(cached.directoryGroups()).isEqualTo(before.directoryGroups());
    assertThat(oldPassword).isInstanceOf(Verification.Refused.class);
    assertThat(after.directoryGroups()).hasSize(before.directoryGroups().size() + 2) // Teachers and Staff
        .anyMatch(g -> g.equalsIgnoreCase("cn=Staff,ou=Groups,dc=school,dc=example"));
  }

  @Test
  void theCachePeriodRunsFromTheDirectorysAnswerNotFromCaffeinesLateStamp() throws Exception {
    // Caffeine stamps an async entry in a callback on the load's future, which may run after the
    // caller saw the answer and moved on: here the stamp waits until the test has moved the clock
    // past the period (one verifier thread, so a later check proves the stamp has landed)
    VerifierSettings oneThread = new VerifierSettings(Duration.ofMinutes(5), 1000, 5, Duration.ofMinutes(30), 6, 1,
        100, Duration.ofSeconds(30));
    HeldStampTicker held = new HeldStampTicker(ticker, new CountDownLatch(1));
    LdapDirectory source = new LdapDirectory(directory.settings(LdapSettings.Membership.MEMBER_OF), metrics);
    CredentialVerifier v = new CredentialVerifier(oneThread, source, null, null, metrics, held, clock);
    closing.add(v);
    closing.add(source);
    assertThat(now(v.verify(basic("bob", "bob-pass-1"), pupilPc))).isInstanceOf(Verification.Verified.class);

    ticker.advance(Duration.ofMinutes(5).plusSeconds(1));
    held.release().countDown();
    assertThat(now(v.verify(basic("alice", "alice-pass-1"), pupilPc))).isInstanceOf(Verification.Verified.class);
    directory.setPassword("bob", "bob-pass-2");

    assertThat(now(v.verify(basic("bob", "bob-pass-1"), pupilPc))).isInstanceOf(Verification.Refused.class);
    assertThat(directory.userBinds("bob")).isEqualTo(2);
  }

  /** Reads by Caffeine's code on a verifier thread (its completion stamp) wait for {@code release}. */
  private record HeldStampTicker(FakeTicker base, CountDownLatch release)
      implements com.github.benmanes.caffeine.cache.Ticker {
    @Override
    public long read() {
      boolean caffeineOnVerifierThread = Thread.currentThread().getName().startsWith("schoolgate-identity-")
          && StackWalker.getInstance().walk(frames -> frames.skip(1).findFirst()
              .map(f -> f.getClassName().startsWith("com.github.benmanes.caffeine")).orElse(false));
      if (caffeineOnVerifierThread) {
        try {
          release.await(20, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      return base.read();
    }
  }

  @Test
  void concurrentFirstRequestsForOnePersonBindOnce() throws Exception {
    CredentialVerifier v = verifier();
    CountDownLatch gate = directory.holdBinds();
    List<CompletableFuture<Verification>> all = new CopyOnWriteArrayList<>();
    for (int i = 0; i < 50; i++) {
      all.add(v.verify(basic("carol", "carol-pass-1"), pupilPc));
    }
    Eventually.within(Duration.ofSeconds(20), () -> assertThat(directory.userBinds("carol")).isEqualTo(1));
    gate.countDown();

    for (CompletableFuture<Verification> f : all) {
      assertThat(now(f)).isInstanceOf(Verification.Verified.class);
    }
    assertThat(directory.userBinds("carol")).isEqualTo(1);
    assertThat(counter("schoolgate.identity.cache", "result", "miss")).isEqualTo(1);
    assertThat(counter("schoolgate.identity.cache", "result", "joined")).isEqualTo(49);
  }

  @Test
  void wrongPasswordsStopBeforeTheDirectorysLockOutThreshold() throws Exception {
    CredentialVerifier v = verifier(); // threshold 5: the proxy lets 3 wrong binds through per 30 minutes
    assertThat(now(v.verify(basic("dave", "dave-pass-1"), otherPc))).isInstanceOf(Verification.Verified.class);
    for (int i = 0; i < 3; i++) {
      assertThat(now(v.verify(basic("dave", "guess" + i), pupilPc))).isInstanceOf(Verification.Refused.class);
    }

    Verification fourth = now(v.verify(basic("dave", "guess4"), pupilPc));
    Verification rightButThrottled = now(v.verify(basic("dave", "dave-pass-2"), otherPc));
    Verification cachedStillWorks = now(v.verify(basic("dave", "dave-pass-1"), otherPc));

    assertThat(fourth).isEqualTo(new Verification.Refused(Verification.Refusal.THROTTLED_USER,
        "too many wrong passwords; wait a few minutes and try again"));
    assertThat(rightButThrottled).isEqualTo(fourth);
    assertThat(cachedStillWorks).isInstanceOf(Verification.Verified.class);
    assertThat(directory.userBinds("dave")).isEqualTo(4); // 1 right + 3 wrong: never a 5th
    ticker.advance(Duration.ofMinutes(30).plusSeconds(1));
    assertThat(now(v.verify(basic("dave", "guess5"), pupilPc)).toString()).contains("WRONG_CREDENTIALS");
    assertThat(counter("schoolgate.identity.refusals", "reason", "throttled-user")).isEqualTo(2);
  }

  @Test
  void aConfiguredPerUserLimitStopsWrongPasswordsSooner() throws Exception {
    VerifierSettings oneTry = new VerifierSettings(Duration.ofMinutes(5), 1000, 5, Duration.ofMinutes(10), 6, 4, 100,
        Duration.ofSeconds(30), 1);
    CredentialVerifier v = verifier(oneTry, directory.settings(LdapSettings.Membership.MEMBER_OF));
    assertThat(now(v.verify(basic("dave", "guess1"), pupilPc)).toString()).contains("WRONG_CREDENTIALS");

    Verification second = now(v.verify(basic("dave", "dave-pass-1"), otherPc));

    assertThat(((Verification.Refused) second).refusal()).isEqualTo(Verification.Refusal.THROTTLED_USER);
    assertThat(directory.userBinds("dave")).isEqualTo(1);
    ticker.advance(Duration.ofMinutes(10).plusSeconds(1));
    assertThat(now(v.verify(basic("dave", "dave-pass-1"), otherPc))).isInstanceOf(Verification.Verified.class);
  }

  @Test
  void thePerUserLimitMustStayBelowTheDirectorysLockOutThreshold() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> new VerifierSettings(Duration.ofMinutes(5), 1000, 5,
        Duration.ofMinutes(30), 6, 4, 100, Duration.ofSeconds(30), 5))
        .hasMessage("failures-per-user is 5 (expected: below lockout-threshold 5, so wrong passwords sent through"
            + " the proxy can never lock the account at the directory; the default 3 leaves the person two tries"
            + " of their own)");
    assertThat(new VerifierSettings(Duration.ofMinutes(5), 1000, 0, Duration.ofMinutes(30), 6, 4, 100,
        Duration.ofSeconds(30)).failuresPerUser()).as("no lock-out at the directory").isEqualTo(10);
    assertThat(SETTINGS.failuresPerUser()).isEqualTo(3);
  }

  @Test
  void oneComputerSprayingManyNamesIsStopped() throws Exception {
    CredentialVerifier v = verifier(); // 6 failures per client address
    for (String user : List.of("alice", "bob", "carol", "dave", "erin", "frank")) {
      assertThat(now(v.verify(basic(user, "Summer2026"), pupilPc)).toString()).contains("WRONG_CREDENTIALS");
    }

    Verification seventh = now(v.verify(basic("gina", "Summer2026"), pupilPc));
    Verification elsewhere = now(v.verify(basic("gina", "gina-pass-1"), otherPc));

    assertThat(seventh).isInstanceOf(Verification.Refused.class);
    assertThat(((Verification.Refused) seventh).refusal()).isEqualTo(Verification.Refusal.THROTTLED_CLIENT);
    assertThat(elsewhere).isInstanceOf(Verification.Verified.class);
    assertThat(directory.userBinds("gina")).isEqualTo(1);
  }

  @Test
  void aDirectoryThatHangsTimesOutAndThenIsNotAskedWhileTheCircuitIsOpen() throws Exception {
    try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
      List<Socket> accepted = new CopyOnWriteArrayList<>();
      Thread acceptor = new Thread(() -> {
        try {
          while (true) {
            accepted.add(silent.accept()); // accepts, never answers
          }
        } catch (Exception closed) {
          // the test is over
        }
      }, "silent-directory");
      acceptor.setDaemon(true);
      acceptor.start();
      LdapSettings s = directory.settings(LdapSettings.Membership.MEMBER_OF);
      LdapSettings hanging = new LdapSettings(List.of(URI.create("ldap://127.0.0.1:" + silent.getLocalPort())), false,
          true, null, s.bindDn(), s.bindPassword(), s.userBase(), "uid", s.userFilter(), s.groupBase(), s.membership(),
          5, Duration.ofMillis(500), Duration.ofMillis(300), 1);
      CredentialVerifier v = verifier(SETTINGS, hanging);

      for (int i = 0; i < 5; i++) {
        Verification answer = now(v.verify(basic("user" + i, "pw"), pupilPc));
        assertThat(answer).isInstanceOf(Verification.Unavailable.class);
        assertThat(((Verification.Unavailable) answer).reason()).contains("did not answer in time");
      }
      int connections = accepted.size();
      Verification whileOpen = now(v.verify(basic("user9", "pw"), pupilPc));

      assertThat(((Verification.Unavailable) whileOpen).reason()).contains("is not answering");
      assertThat(accepted).hasSize(connections);
      assertThat(counter("schoolgate.identity.directory.calls", "source", "ldap", "outcome", "timeout")).isEqualTo(5);
      assertThat(counter("schoolgate.identity.directory.calls", "source", "ldap", "outcome", "circuit-open"))
          .isEqualTo(1);
      assertThat(registry.get("schoolgate.identity.circuit.open").gauge().value()).isEqualTo(1);
      clock.advance(Duration.ofSeconds(31));
      assertThat(((Verification.Unavailable) now(v.verify(basic("user10", "pw"), pupilPc))).reason())
          .contains("did not answer in time");
      for (Socket socket : accepted) {
        socket.close();
      }
    }
  }

  @Test
  void aFullQueueAnswersUnavailableAtOnceAndIsCounted() throws Exception {
    VerifierSettings tiny = new VerifierSettings(Duration.ofMinutes(5), 1000, 5, Duration.ofMinutes(30), 6, 1, 1,
        Duration.ofSeconds(30));
    CredentialVerifier v = verifier(tiny, directory.settings(LdapSettings.Membership.MEMBER_OF));
    CountDownLatch gate = directory.holdBinds();
    CompletableFuture<Verification> running = v.verify(basic("alice", "alice-pass-1"), pupilPc);
    Eventually.within(Duration.ofSeconds(20), () -> assertThat(directory.userBinds("alice")).isEqualTo(1));
    CompletableFuture<Verification> queued = v.verify(basic("bob", "bob-pass-1"), pupilPc);

    Verification rejected = now(v.verify(basic("carol", "carol-pass-1"), pupilPc));

    assertThat(rejected).isEqualTo(new Verification.Unavailable(
        "too many sign-ins are being checked at once; try again in a moment"));
    assertThat(counter("schoolgate.identity.rejected")).isEqualTo(1);
    gate.countDown();
    assertThat(now(running)).isInstanceOf(Verification.Verified.class);
    assertThat(now(queued)).isInstanceOf(Verification.Verified.class);
  }

  @Test
  void groupsForABoundPersonAreLookedUpOncePerPeriod() throws Exception {
    CredentialVerifier v = verifier();

    Verification first = now(v.groupsOf("carol", AuthMethod.RADIUS));
    Verification second = now(v.groupsOf("CAROL", AuthMethod.SESSION));
    Verification nobody = now(v.groupsOf("nobody", AuthMethod.SESSION));

    assertThat(first).isInstanceOf(Verification.Verified.class);
    assertThat(((Verification.Verified) first).method()).isEqualTo(AuthMethod.RADIUS);
    assertThat(((Verification.Verified) second).directoryGroups())
        .isEqualTo(((Verification.Verified) first).directoryGroups());
    assertThat(nobody).isInstanceOf(Verification.Refused.class);
    assertThat(directory.userBinds("carol")).isZero();
  }

  @Test
  void malformedAndOversizedHeadersAreTypedRefusals() throws Exception {
    CredentialVerifier v = verifier();
    assertThat(now(v.verify(ProxyCredentials.parse("Basic !!!"), pupilPc)))
        .isEqualTo(new Verification.Refused(Verification.Refusal.MALFORMED, "the Basic credentials are not base64"));
    assertThat(now(v.verify(ProxyCredentials.parse("Basic " + "A".repeat(70_000)), pupilPc)))
        .isEqualTo(new Verification.Refused(Verification.Refusal.TOO_LARGE,
            "the Proxy-Authorization header is 70006 characters long (expected: at most 65536)"));
    assertThat(now(v.verify(ProxyCredentials.parse("Negotiate YWJj"), pupilPc))).isEqualTo(
        new Verification.Refused(Verification.Refusal.NOT_OFFERED,
            "Kerberos sign-in (Negotiate) is not set up on this Schoolgate"));
    assertThat(counter("schoolgate.identity.refusals", "reason", "malformed")).isEqualTo(1);
    assertThat(counter("schoolgate.identity.refusals", "reason", "too-large")).isEqualTo(1);
  }
}
