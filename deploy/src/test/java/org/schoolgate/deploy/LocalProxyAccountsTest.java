package org.schoolgate.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.schoolgate.identity.AuthMethod;
import org.schoolgate.identity.ProxyCredentials;
import org.schoolgate.identity.Verification;
import org.schoolgate.identity.binding.BindingTable;
import org.schoolgate.identity.metrics.IdentityMetrics;
import org.schoolgate.identity.verify.VerifierSettings;
import org.schoolgate.policy.sample.SamplePolicy;
import org.schoolgate.store.DatabaseConfig;
import org.schoolgate.store.Store;

/**
 * Local proxy accounts from the shell ({@code schoolgate accounts proxy-add}) to a verified proxy
 * sign-in: the store's accounts behind the identity module's verifier, as {@code identity:
 * local-accounts: true} wires them, on the embedded default's SQLite database.
 */
class LocalProxyAccountsTest {
  @TempDir Path dataDir;
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  @BeforeEach
  void samplePolicy() throws Exception {
    SamplePolicy.extractTo(dataDir);
  }

  @Test
  void aPupilAddedFromTheShellSignsInToTheProxyWithTheirGroups() throws Exception {
    Cli add = Cli.run("correct horse battery\n", "accounts", "proxy-add", "Sam.Jones", "--groups", "Year9; Pupils",
        "--data-dir", dataDir.toString());
    assertThat(add.status()).as(add.err()).isZero();
    assertThat(add.out()).isEqualTo("created proxy account sam.jones (groups: Year9;Pupils)\n");
    assertThat(Cli.run("", "accounts", "proxy-list", "--data-dir", dataDir.toString()).out())
        .isEqualTo("sam.jones\tYear9;Pupils\n");
    assertThat(Cli.run("", "accounts", "list", "--data-dir", dataDir.toString()).out()).isEmpty();

    InetAddress pc = InetAddress.getByName("10.20.1.5");
    try (Store store = Store.open(DatabaseConfig.sqlite(dataDir), Clock.systemUTC());
        Identity identity = start(store)) {
      var verifier = identity.verifier();
      assertThat(verifier.verify(new ProxyCredentials.Basic("sam.jones", "correct horse battery".toCharArray()), pc)
          .get(20, TimeUnit.SECONDS))
          .isEqualTo(new Verification.Verified("sam.jones", java.util.List.of("Year9", "Pupils"), AuthMethod.BASIC));
      assertThat(verifier.verify(new ProxyCredentials.Basic("sam.jones", "wrong password!!".toCharArray()), pc)
          .get(20, TimeUnit.SECONDS))
          .isEqualTo(new Verification.Refused(Verification.Refusal.WRONG_CREDENTIALS, Verification.WRONG));
      assertThat(verifier.verify(new ProxyCredentials.Basic("nobody", "correct horse battery".toCharArray()), pc)
          .get(20, TimeUnit.SECONDS))
          .isEqualTo(new Verification.Refused(Verification.Refusal.WRONG_CREDENTIALS, Verification.WRONG));
      assertThat(verifier.groupsOf("SAM.JONES", AuthMethod.SESSION).get(20, TimeUnit.SECONDS))
          .isInstanceOfSatisfying(Verification.Verified.class,
              v -> assertThat(v.directoryGroups()).containsExactly("Year9", "Pupils"));
    }
    assertThat(registry.find("schoolgate.identity.directory.calls").tag("source", "local").counters().stream()
        .mapToDouble(io.micrometer.core.instrument.Counter::count).sum()).isGreaterThanOrEqualTo(3);
  }

  @Test
  void removedAccountsCannotSignInAndUnknownOnesAreReported() throws Exception {
    Cli.run("correct horse battery\n", "accounts", "proxy-add", "sam", "--data-dir", dataDir.toString());
    Cli missing = Cli.run("", "accounts", "proxy-remove", "ann", "--data-dir", dataDir.toString());
    assertThat(missing.status()).isEqualTo(1);
    assertThat(missing.err()).isEqualTo("schoolgate accounts: there is no proxy account 'ann' (see proxy-list)\n");
    Cli removed = Cli.run("", "accounts", "proxy-remove", "sam", "--data-dir", dataDir.toString());
    assertThat(removed.out()).isEqualTo("removed sam\n");
    Cli weak = Cli.run("short\n", "accounts", "proxy-add", "ann", "--data-dir", dataDir.toString());
    assertThat(weak.status()).isEqualTo(1);
    assertThat(weak.err()).contains("password must be at least 12 characters");

    try (Store store = Store.open(DatabaseConfig.sqlite(dataDir), Clock.systemUTC());
        Identity identity = start(store)) {
      assertThat(identity.verifier().verify(new ProxyCredentials.Basic("sam", "correct horse battery".toCharArray()),
          InetAddress.getByName("10.20.1.5")).get(20, TimeUnit.SECONDS))
          .isInstanceOf(Verification.Refused.class);
    }
  }

  @Test
  void guestVouchersAreIssuedListedAndWithdrawnFromTheShell() throws Exception {
    Cli add = Cli.run("", "accounts", "voucher-add", "Jane Smith", "--data-dir", dataDir.toString());
    assertThat(add.status()).as(add.err()).isZero();
    assertThat(add.out()).matches("voucher 1 for Jane Smith on \\d{4}-\\d\\d-\\d\\d: code [A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}"
        + " \\(shown once; signs in as guest:Jane Smith\\)\n");
    assertThat(Cli.run("", "accounts", "voucher-list", "--data-dir", dataDir.toString()).out())
        .startsWith("1\tJane Smith\t").endsWith("\t0 sign-ins\n");
    Cli past = Cli.run("", "accounts", "voucher-add", "Jo", "--day", "2020-01-01", "--data-dir", dataDir.toString());
    assertThat(past.status()).isEqualTo(2);
    assertThat(past.err()).startsWith("schoolgate accounts: --day 2020-01-01 is in the past");
    assertThat(Cli.run("", "accounts", "voucher-remove", "1", "--data-dir", dataDir.toString()).out())
        .isEqualTo("withdrew voucher 1\n");
    assertThat(Cli.run("", "accounts", "voucher-remove", "1", "--data-dir", dataDir.toString()).status()).isEqualTo(1);
  }

  private Identity start(Store store) {
    IdentityMetrics metrics = new IdentityMetrics(registry);
    VerifierSettings verifier = new VerifierSettings(Duration.ofMinutes(5), 1000, 0, Duration.ofMinutes(30), 20, 2,
        100, Duration.ofSeconds(30));
    SignInSettings settings = new SignInSettings(null, null, null, null, true, verifier);
    BindingTable bindings = BindingTable.inMemory(Clock.systemUTC(), metrics);
    return Identity.start(settings, store.proxyAccounts(), bindings, metrics, Clock.systemUTC());
  }
}
