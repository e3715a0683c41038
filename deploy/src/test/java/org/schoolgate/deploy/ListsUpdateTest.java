package org.schoolgate.deploy;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.schoolgate.store.AuditRecord;
import org.schoolgate.store.AuditTrail;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.schoolgate.policy.CategoryId;

/**
 * {@code schoolgate lists update} against a local HTTPS server (WireMock with a keystore made at
 * test time) serving archives built at test time from the shared UT1 data: a good download is
 * swapped in and picked up by a running Schoolgate; every kind of failure leaves the old list in
 * force and says why.
 */
class ListsUpdateTest {
  private static final String OLD_ENTRY = "old-gambling.example";
  private static final CategoryId GAMBLING = new CategoryId("gambling");

  @TempDir static Path shared;
  static WireMockServer https;
  static byte[] good;

  @TempDir Path dir;
  Path policy;
  Path listDir;

  @BeforeAll
  static void startHttpsServer() throws Exception {
    Path keystore = TestFeeds.keystore(shared);
    https = new WireMockServer(options().bindAddress("127.0.0.1").httpDisabled(true).dynamicHttpsPort()
        .keystorePath(keystore.toString()).keystoreType("PKCS12")
        .keystorePassword(TestFeeds.PASSWORD).keyManagerPassword(TestFeeds.PASSWORD));
    https.start();
    good = TestFeeds.ut1Tarball(shared, List.of("gambling", "games", "vpn"));
    serve("/blacklists.tar.gz", good);
    serve("/truncated.tar.gz", Arrays.copyOf(good, good.length / 2));
    serve("/traversal.tar.gz", TestFeeds.hostileTarball(shared, "blacklists/../../escaped", null));
    serve("/symlink-out.tar.gz", TestFeeds.hostileTarball(shared, "blacklists/gambling/evil", "../../../etc"));
    serve("/no-categories.tar.gz", TestFeeds.tarballWithoutCategories(shared));
    serve("/not-gzip.tar.gz", "<html>maintenance</html>".getBytes(StandardCharsets.UTF_8));
  }

  private static void serve(String path, byte[] body) {
    https.stubFor(get(urlEqualTo(path)).willReturn(aResponse().withStatus(200).withBody(body)));
  }

  @AfterAll
  static void stopHttpsServer() {
    https.stop();
  }

  @BeforeEach
  void oldListsAndPolicy() throws IOException {
    listDir = dir.resolve("lists/ut1");
    Files.createDirectories(listDir.resolve("gambling"));
    Files.writeString(listDir.resolve("gambling/domains"), OLD_ENTRY + "\n");
    policy = policy("/blacklists.tar.gz", null);
  }

  private Path policy(String path, String sha256) throws IOException {
    return Files.writeString(dir.resolve("policy.yaml"), """
        lists:
          - name: ut1
            path: lists/ut1
            url: %s
        %s
        groups:
          pupils: { subnets: [10.0.0.0/8] }
        categories:
          gambling: { sources: [ut1/gambling] }
        matrix:
          gambling: { pupils: unacceptable }
        """.formatted(url(path), sha256 == null ? "" : "    sha256: " + sha256));
  }

  private static String url(String path) {
    return "https://127.0.0.1:" + https.httpsPort() + path;
  }

  private RuntimeConfig config(int adminPort) {
    return TestFeeds.config(policy, dir, adminPort);
  }

  private Cli update(RuntimeConfig config, Path caFile) throws InterruptedException {
    return TestFeeds.update(config, caFile, ListArchive.Limits.DEFAULT, token);
  }

  /** The API token the reload uses (set once Schoolgate runs). */
  private String token;



  private void assertOldListsInForce() throws IOException {
    assertThat(Files.readString(listDir.resolve("gambling/domains"))).isEqualTo(OLD_ENTRY + "\n");
    try (Stream<Path> s = Files.list(listDir.getParent())) {
      assertThat(s.map(p -> p.getFileName().toString()).toList()).as("no temporary directory left").containsExactly("ut1");
    }
    assertThat(dir.resolve("escaped")).doesNotExist();
  }

  @Test
  void aGoodDownloadIsSwappedInAndTheRunningSchoolgateReloadsIt() throws Exception {
    try (Schoolgate running = Schoolgate.start(config(0), Clock.systemUTC())) {
      token = TestAccounts.technicianToken(running);
      assertThat(running.policy().current().categoriesOf(OLD_ENTRY, "/").contains(GAMBLING)).isTrue();
      int adminPort = running.admin().address().getPort();

      Cli r = update(config(adminPort), shared.resolve("ca.pem"));

      assertThat(r.err()).isEmpty();
      assertThat(r.status()).isZero();
      assertThat(r.out()).contains("ut1: downloading " + url("/blacklists.tar.gz"),
          "ut1: installed 4 categories", "reloaded the running Schoolgate");
      assertThat(running.policy().current().categoriesOf("www.bet365.com", "/").contains(GAMBLING)).isTrue();
      assertThat(running.policy().current().categoriesOf(OLD_ENTRY, "/").contains(GAMBLING)).isFalse();
    }
    assertThat(listDir.resolve("games/domains.gz")).exists();
    assertThat(Files.isSymbolicLink(listDir.resolve("betting"))).isTrue();
    try (Stream<Path> s = Files.list(listDir.getParent())) {
      assertThat(s.map(p -> p.getFileName().toString()).toList()).containsExactly("ut1");
    }
  }

  @Test
  void anInstalledListIsInTheAuditTrailAndTheReloadIsAuditedWithTheTokensOwner() throws Exception {
    try (Schoolgate running = Schoolgate.start(config(0), Clock.systemUTC())) {
      token = TestAccounts.technicianToken(running);

      Cli r = update(config(running.admin().address().getPort()), shared.resolve("ca.pem"));

      assertThat(r.status()).as(r.err()).isZero();
      List<AuditRecord> records = running.store().audit().query(AuditTrail.Query.all());
      assertThat(records).anySatisfy(a -> {
        assertThat(a.type()).isEqualTo("lists.updated");
        assertThat(a.actor()).isEqualTo("cli");
        assertThat(a.target()).isEqualTo("list:ut1");
        assertThat(a.after()).contains("installed 4 categories", "sha256");
      });
      assertThat(records).anySatisfy(a -> {
        assertThat(a.type()).isEqualTo("policy.reloaded");
        assertThat(a.actor()).isEqualTo("cron.lists");
      });
      assertThat(running.store().audit().verify()).isInstanceOf(AuditTrail.Verification.Valid.class);
    }
  }

  @Test
  void withoutATokenTheListsAreInstalledAndTheCommandSaysHowToReload() throws Exception {
    try (Schoolgate running = Schoolgate.start(config(0), Clock.systemUTC())) {
      token = null;

      Cli r = update(config(running.admin().address().getPort()), shared.resolve("ca.pem"));

      assertThat(r.status()).isEqualTo(1);
      assertThat(r.out()).contains("ut1: installed 4 categories");
      assertThat(r.err()).contains("did not accept a reload without a token (HTTP 401)", "--token-file",
          "SCHOOLGATE_API_TOKEN", "kill -HUP");
      assertThat(listDir.resolve("games/domains.gz")).exists();
    }
  }

  @Test
  void aReloadTheRunningSchoolgateRefusesIsAnErrorAndItKeepsItsPolicy() throws Exception {
    try (Schoolgate running = Schoolgate.start(config(0), Clock.systemUTC())) {
      token = TestAccounts.technicianToken(running);
      Files.writeString(policy, Files.readString(policy).replace("gambling: { pupils: unacceptable }",
          "gambling: { pupils: unacceptable, teachers: acceptable }"));

      Cli r = update(config(running.admin().address().getPort()), shared.resolve("ca.pem"));

      assertThat(r.status()).isEqualTo(1);
      assertThat(r.out()).contains("ut1: installed 4 categories");
      assertThat(r.err()).contains("the running Schoolgate refused the reload (HTTP 422)", "teachers",
          "it keeps its current policy and lists until the policy loads");
      assertThat(running.policy().current().categoriesOf(OLD_ENTRY, "/").contains(GAMBLING)).isTrue();
    }
  }

  @Test
  void withSchoolgateStoppedTheListsAreInstalledForTheNextStart() throws Exception {
    Cli r = update(config(TestFeeds.closedPort()), shared.resolve("ca.pem"));

    assertThat(r.status()).isZero();
    assertThat(r.out()).contains("is not running at http://127.0.0.1:", "the new lists will be used at next start");
    assertThat(listDir.resolve("gambling/domains")).doesNotExist();
    assertThat(listDir.resolve("gambling/domains.gz")).exists();
  }

  @Test
  void aFirstDownloadCreatesTheListDirectoryThePolicyNeeds() throws Exception {
    ListUpdater.deleteQuietly(dir.resolve("lists"));

    Cli r = update(config(TestFeeds.closedPort()), shared.resolve("ca.pem"));

    assertThat(r.err()).isEmpty();
    assertThat(r.status()).isZero();
    assertThat(listDir.resolve("gambling/domains.gz")).exists();
  }

  @Test
  void aMatchingSha256IsAccepted() throws Exception {
    policy = policy("/blacklists.tar.gz", HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(good)));

    assertThat(update(config(TestFeeds.closedPort()), shared.resolve("ca.pem")).status()).isZero();
    assertThat(listDir.resolve("vpn/domains.gz")).exists();
  }

  static Stream<Arguments> failures() {
    return Stream.of(
        Arguments.of("/missing.tar.gz", null, "download failed: HTTP 404 from https://127.0.0.1:"),
        Arguments.of("/truncated.tar.gz", null, "the archive is broken: it ends early (a truncated download?)"),
        Arguments.of("/not-gzip.tar.gz", null, "the archive is broken: it is not gzip data"),
        Arguments.of("/traversal.tar.gz", null,
            "the archive is broken: entry 'blacklists/../../escaped' would be written outside the list directory"),
        Arguments.of("/symlink-out.tar.gz", null,
            "the archive is broken: entry 'blacklists/gambling/evil' is a symbolic link to '../../../etc', outside its directory"),
        Arguments.of("/no-categories.tar.gz", null, "the archive has no categories: no directory with a domains file"),
        Arguments.of("/blacklists.tar.gz", "0".repeat(64), "but the policy expects " + "0".repeat(64)));
  }

  @ParameterizedTest(name = "{0} (sha256 {1}): {2}")
  @MethodSource("failures")
  void aFailedUpdateLeavesTheOldListsInForceAndSaysWhy(String path, String sha256, String message) throws Exception {
    policy = policy(path, sha256);

    Cli r = update(config(TestFeeds.closedPort()), shared.resolve("ca.pem"));

    assertThat(r.status()).isEqualTo(1);
    assertThat(r.err()).startsWith("schoolgate lists: ut1: ").contains(message).contains("; the old list stays in force");
    assertThat(r.out()).doesNotContain("reloaded", "next start");
    assertOldListsInForce();
  }

  @Test
  void anUntrustedCertificateIsATlsErrorAndTheOldListsStay() throws Exception {
    Cli r = update(config(TestFeeds.closedPort()), null);

    assertThat(r.status()).isEqualTo(1);
    assertThat(r.err()).contains("ut1: download failed: TLS with 127.0.0.1 failed: ",
        "(expected: a certificate trusted by the JDK, or by the list's ca-file / --ca-file)");
    assertOldListsInForce();
  }

  @Test
  void missingCategoriesThePolicyUsesAreRefused() throws Exception {
    Files.writeString(policy, Files.readString(policy)
        .replace("gambling: { sources: [ut1/gambling] }", "gambling: { sources: [ut1/gambling, ut1/arjel] }"));
    Files.createDirectories(listDir.resolve("arjel"));
    Files.writeString(listDir.resolve("arjel/domains"), "old-arjel.example\n");

    Cli r = update(config(TestFeeds.closedPort()), shared.resolve("ca.pem"));

    assertThat(r.status()).isEqualTo(1);
    assertThat(r.err()).contains("the download lacks categories the policy uses: arjel");
    assertOldListsInForce();
  }

  @Test
  void theCommandLineTrustsTheListsOwnCaFile() throws Exception {
    Files.copy(shared.resolve("ca.pem"), dir.resolve("proxy-ca.pem"));
    Files.writeString(policy, Files.readString(policy).replace("    url: ", "    ca-file: proxy-ca.pem\n    url: "));
    Path config = Files.writeString(dir.resolve("schoolgate.yaml"), """
        admin:
          listen: 127.0.0.1:%d
        policy: policy.yaml
        """.formatted(TestFeeds.closedPort()));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();

    int status = Main.execute(new String[] {"lists", "update", "--config", config.toString(), "--list", "ut1"},
        System.in, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));

    assertThat(err.toString(StandardCharsets.UTF_8)).isEmpty();
    assertThat(status).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8)).contains("ut1: installed 4 categories", "next start");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badCommandLines")
  void badCommandLinesExitTwoWithTheReason(List<String> args, String message) throws Exception {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    List<String> all = new java.util.ArrayList<>(List.of("lists"));
    all.addAll(args.stream().map(a -> a.replace("POLICY_DIR", dir.toString())).toList());

    int status = Main.execute(all.toArray(String[]::new), System.in, new PrintStream(new ByteArrayOutputStream()),
        new PrintStream(err, true, StandardCharsets.UTF_8));

    assertThat(status).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains(message);
  }

  static Stream<Arguments> badCommandLines() {
    return Stream.of(
        Arguments.of(List.of("refresh"), "schoolgate lists: expected the command 'update', got refresh"),
        Arguments.of(List.of("update", "--data-dir", "POLICY_DIR", "--list", "nope"),
            "schoolgate lists: the policy has no list 'nope' with a url"),
        Arguments.of(List.of("update", "--data-dir", "POLICY_DIR/absent"), "there is no policy at "),
        Arguments.of(List.of("update", "--config", "x.yaml", "--data-dir", "y"),
            "give either --config FILE or --data-dir DIR, not both"));
  }
}
