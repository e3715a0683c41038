package org.schoolgate.deploy;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.schoolgate.policy.CategoryId;
import org.schoolgate.policy.compile.PolicyCompiler;

/**
 * {@code schoolgate lists update} for single-file lists ({@code format: hosts} and
 * {@code format: plain} with a {@code url} and a {@code category}) against a local HTTPS server
 * (WireMock, keystore made at test time) serving files built at test time from the shared UT1
 * data: a good file is swapped in atomically and picked up by a running Schoolgate; every kind of
 * bad download leaves the old file in force and says why.
 */
class ListFileUpdateTest {
  private static final String OLD_ENTRY = "old-ads.example";
  private static final CategoryId ADS = new CategoryId("ads");
  /** Small enough for the unpacking bomb below, large enough for the real files. */
  private static final ListArchive.Limits LIMITS = new ListArchive.Limits(10, 8L << 20, 8L << 20);

  @TempDir static Path shared;
  static WireMockServer https;
  static List<String> gambling;
  static byte[] hosts;
  static byte[] plainGz;

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
    plainGz = gzip(Files.readAllBytes(TestFeeds.ut1(shared).resolve("gambling/domains")));
    gambling = gunzipLines(plainGz);
    StringBuilder h = new StringBuilder("# built from UT1 gambling\r\n127.0.0.1 localhost\r\n");
    for (String d : gambling.subList(0, 1000)) {
      h.append("0.0.0.0 ").append(d).append("\r\n");
    }
    hosts = h.toString().getBytes(StandardCharsets.UTF_8);
    serve("/hosts", hosts);
    serve("/hosts.gz", gzip(hosts));
    serve("/domains.gz", plainGz);
    serve("/truncated.gz", Arrays.copyOf(plainGz, plainGz.length / 2));
    serve("/maintenance.html", "<html>\n<body>down for maintenance</body>\n</html>\n".getBytes(StandardCharsets.UTF_8));
    serve("/mostly-invalid", ("ads.example\n" + "not a domain\n".repeat(5)).getBytes(StandardCharsets.UTF_8));
    serve("/only-localhost", "127.0.0.1 localhost\n::1 localhost ip6-localhost\n".getBytes(StandardCharsets.UTF_8));
    serve("/long-line", ("ads.example\n" + "a".repeat(70_000) + "\n").getBytes(StandardCharsets.UTF_8));
    serve("/bomb.gz", gzip("0.0.0.0 ads.example\n".repeat(1 << 20).getBytes(StandardCharsets.UTF_8)));
  }

  private static void serve(String path, byte[] body) {
    https.stubFor(get(urlEqualTo(path)).willReturn(aResponse().withStatus(200).withBody(body)));
  }

  @AfterAll
  static void stopHttpsServer() {
    https.stop();
  }

  private static byte[] gzip(byte[] bytes) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(bytes);
    }
    return out.toByteArray();
  }

  private static List<String> gunzipLines(byte[] gz) throws IOException {
    List<String> lines = new ArrayList<>();
    try (BufferedReader r = new BufferedReader(new InputStreamReader(
        new GZIPInputStream(new java.io.ByteArrayInputStream(gz)), StandardCharsets.UTF_8))) {
      for (String line = r.readLine(); line != null; line = r.readLine()) {
        if (!line.isBlank() && !line.startsWith("#")) {
          lines.add(line.strip());
        }
      }
    }
    return lines;
  }

  @BeforeEach
  void oldListAndPolicy() throws IOException {
    listDir = dir.resolve("lists/blocklist");
    Files.createDirectories(listDir);
    Files.writeString(listDir.resolve("ads"), "0.0.0.0 " + OLD_ENTRY + "\n");
    policy = policy("hosts", "/hosts", null);
  }

  private Path policy(String format, String path, String sha256) throws IOException {
    return Files.writeString(dir.resolve("policy.yaml"), """
        lists:
          - name: blocklist
            format: %s
            path: lists/blocklist
            url: %s
            category: ads
        %s
        groups:
          pupils: { subnets: [10.0.0.0/8] }
        categories:
          ads: { sources: [blocklist/ads] }
        matrix:
          ads: { pupils: unacceptable }
        """.formatted(format, url(path), sha256 == null ? "" : "    sha256: " + sha256));
  }

  private static String url(String path) {
    return "https://127.0.0.1:" + https.httpsPort() + path;
  }

  private RuntimeConfig config(int adminPort) {
    return TestFeeds.config(policy, dir, adminPort);
  }

  private Cli update(RuntimeConfig config) throws InterruptedException {
    return TestFeeds.update(config, shared.resolve("ca.pem"), LIMITS, token);
  }

  /** The API token the reload uses (set once Schoolgate runs). */
  private String token;



  private List<String> files(Path d) throws IOException {
    try (Stream<Path> s = Files.list(d)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  private boolean listed(String host) throws Exception {
    return PolicyCompiler.compileFile(policy, Clock.systemUTC()).categoriesOf(host, "/").contains(ADS);
  }

  @Test
  void aHostsFileIsSwappedInAndTheRunningSchoolgateReloadsIt() throws Exception {
    try (Schoolgate running = Schoolgate.start(config(0), Clock.systemUTC())) {
      token = TestAccounts.technicianToken(running);
      assertThat(running.policy().current().categoriesOf(OLD_ENTRY, "/").contains(ADS)).isTrue();

      Cli r = update(config(running.admin().address().getPort()));

      assertThat(r.err()).isEmpty();
      assertThat(r.status()).isZero();
      assertThat(r.out()).contains("blocklist: downloading " + url("/hosts"),
          "blocklist: installed category ads (1000 entries, 0 invalid lines; ",
          "as " + listDir.resolve("ads").toAbsolutePath(), "reloaded the running Schoolgate");
      assertThat(running.policy().current().categoriesOf("www." + gambling.get(0), "/").contains(ADS)).isTrue();
      assertThat(running.policy().current().categoriesOf(gambling.get(999), "/").contains(ADS)).isTrue();
      assertThat(running.policy().current().categoriesOf(OLD_ENTRY, "/").contains(ADS)).isFalse();
    }
    assertThat(Files.readAllBytes(listDir.resolve("ads"))).isEqualTo(hosts);
    assertThat(files(dir.resolve("lists"))).as("no temporary directory left").containsExactly("blocklist");
  }

  @Test
  void aGzipHostsFileReplacesAnOldPlainOneAndStaysCompressed() throws Exception {
    policy = policy("hosts", "/hosts.gz", null);

    Cli r = update(config(TestFeeds.closedPort()));

    assertThat(r.status()).isZero();
    assertThat(r.out()).contains("blocklist: installed category ads (1000 entries, 0 invalid lines; ",
        "as " + listDir.resolve("ads.gz").toAbsolutePath(), "the new lists will be used at next start");
    assertThat(files(listDir)).containsExactly("ads.gz");
    assertThat(listed(gambling.get(5))).isTrue();
    assertThat(listed(OLD_ENTRY)).isFalse();
  }

  @Test
  void aPlainListTakesTheWholeUt1CategoryAndAPlainDownloadReplacesAnOldGzipOne() throws Exception {
    Files.delete(listDir.resolve("ads"));
    Files.write(listDir.resolve("ads.gz"), gzip((OLD_ENTRY + "\n").getBytes(StandardCharsets.UTF_8)));
    policy = policy("plain", "/domains.gz", HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(plainGz)));

    Cli r = update(config(TestFeeds.closedPort()));

    assertThat(r.err()).isEmpty();
    assertThat(r.status()).isZero();
    assertThat(r.out()).contains("blocklist: installed category ads (" + gambling.size() + " entries, 0 invalid lines; ");
    assertThat(files(listDir)).containsExactly("ads.gz");
    assertThat(listed(gambling.get(gambling.size() - 1))).isTrue();
    assertThat(listed(OLD_ENTRY)).isFalse();

    serve("/plain-again", "fresh.example\n".getBytes(StandardCharsets.UTF_8));
    policy = policy("plain", "/plain-again", null);
    assertThat(update(config(TestFeeds.closedPort())).status()).isZero();
    assertThat(files(listDir)).containsExactly("ads");
    assertThat(listed("fresh.example")).isTrue();
    assertThat(listed(gambling.get(0))).isFalse();
  }

  static Stream<Arguments> failures() {
    return Stream.of(
        Arguments.of("hosts", "/missing", null, "download failed: HTTP 404 from https://127.0.0.1:"),
        Arguments.of("hosts", "/maintenance.html", null, "the download has no valid entries (3 lines, 3 invalid;"
            + " the first invalid line: line 1: not a hosts line (expected: address name, e.g. 0.0.0.0 ads.example):"
            + " <html>) (expected: a hosts file, lines such as 0.0.0.0 ads.example)"),
        Arguments.of("plain", "/maintenance.html", null, "the download has no valid entries (3 lines, 3 invalid;"
            + " the first invalid line: line 1: host '<html>' contains '<'"),
        Arguments.of("hosts", "/only-localhost", null, "the download has no valid entries (2 lines, 0 invalid)"),
        Arguments.of("hosts", "/domains.gz", null, "the download has no valid entries ("),
        Arguments.of("plain", "/mostly-invalid", null, "the download is mostly invalid: 5 invalid lines, 1 entries;"
            + " the first invalid line: line 2: host 'not a domain' contains ' '"),
        Arguments.of("plain", "/truncated.gz", null, "the download is broken: the gzip data ends early"),
        Arguments.of("plain", "/long-line", null,
            "the download's line 2 is longer than 65536 bytes (expected: a list file, one entry per line)"),
        Arguments.of("hosts", "/bomb.gz", null, "the download unpacks to more than 8388608 bytes"),
        Arguments.of("hosts", "/hosts", "0".repeat(64), "but the policy expects " + "0".repeat(64)));
  }

  @ParameterizedTest(name = "{0} {1} (sha256 {2}): {3}")
  @MethodSource("failures")
  void aRefusedDownloadLeavesTheOldFileInForceAndSaysWhy(String format, String path, String sha256, String message)
      throws Exception {
    policy = policy(format, path, sha256);

    Cli r = update(config(TestFeeds.closedPort()));

    assertThat(r.status()).isEqualTo(1);
    assertThat(r.err()).startsWith("schoolgate lists: blocklist: ").contains(message)
        .endsWith("; the old list stays in force\n");
    assertThat(r.out()).doesNotContain("installed", "reloaded", "next start");
    assertThat(Files.readString(listDir.resolve("ads"))).isEqualTo("0.0.0.0 " + OLD_ENTRY + "\n");
    assertThat(files(listDir)).containsExactly("ads");
    assertThat(files(dir.resolve("lists"))).as("no temporary directory left").containsExactly("blocklist");
  }

  @Test
  void aFirstDownloadCreatesTheListDirectory() throws Exception {
    ListUpdater.deleteQuietly(dir.resolve("lists"));

    Cli r = update(config(TestFeeds.closedPort()));

    assertThat(r.err()).isEmpty();
    assertThat(r.status()).isZero();
    assertThat(listDir.resolve("ads")).exists();
    assertThat(listed(gambling.get(0))).isTrue();
  }
}
