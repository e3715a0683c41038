package org.schoolgate.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.schoolgate.policy.testing.MutableClock;
import org.schoolgate.proxy.ca.SchoolCa;

/** {@code schoolgate ca init} and {@code schoolgate ca show} in a data directory. */
class CaCommandTest {
  @TempDir Path dataDir;

  @Test
  void initWritesTheCertificateAndAnOwnerOnlyKeyAndSaysHowToDeployIt() throws Exception {
    Cli init = Cli.run("", "ca", "init", "--name", "Example School", "--data-dir", dataDir.toString());

    assertThat(init.status()).as(init.err()).isZero();
    Path cert = dataDir.resolve("ca/schoolgate-ca.pem");
    Path key = dataDir.resolve("ca/schoolgate-ca.key");
    X509Certificate ca = SchoolCa.readCertificate(cert);
    assertThat(ca.getSubjectX500Principal().getName()).isEqualTo("CN=Example School Schoolgate CA,O=Schoolgate");
    assertThat(Files.getPosixFilePermissions(key)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
    assertThat(init.out())
        .startsWith("Created the school's interception CA.\n\n"
            + "  certificate  " + cert + "   (give this file to the school's devices)\n"
            + "  private key  " + key + "   (permissions 0600; never copy it off this server)\n"
            + "  subject      CN=Example School Schoolgate CA,O=Schoolgate\n")
        .contains("  SHA-256      " + SchoolCa.fingerprintSha256(ca) + "\n")
        .contains("(3652 days left)")
        .contains("Group Policy", "certutil -addstore -f Root", "Google Admin console", "security add-trusted-cert",
            "Certificate Trust Settings", "Android", "apps", "never-intercept", "docs/interception-ca.md")
        .doesNotContain("PRIVATE KEY");
    assertThat(SchoolCa.load(cert, key)).isNotNull();
  }

  @Test
  void initRefusesToReplaceTheSchoolsCaUnlessForced() throws Exception {
    Cli.run("", "ca", "init", "--data-dir", dataDir.toString());
    Path cert = dataDir.resolve("ca/schoolgate-ca.pem");
    String first = Files.readString(cert);

    Cli again = Cli.run("", "ca", "init", "--data-dir", dataDir.toString());

    assertThat(again.status()).isEqualTo(1);
    assertThat(again.err()).isEqualTo("schoolgate ca: " + cert + " already exists; refusing to overwrite the"
        + " school's CA (devices trust it). Use --force to replace it, then deploy the new certificate\n");
    assertThat(Files.readString(cert)).isEqualTo(first);

    Cli forced = Cli.run("", "ca", "init", "--force", "--data-dir", dataDir.toString());

    assertThat(forced.status()).as(forced.err()).isZero();
    assertThat(forced.out()).startsWith("Replaced the school's interception CA.");
    assertThat(Files.readString(cert)).isNotEqualTo(first);
    assertThat(Files.getPosixFilePermissions(dataDir.resolve("ca/schoolgate-ca.key")))
        .isEqualTo(PosixFilePermissions.fromString("rw-------"));
  }

  @Test
  void initWithoutANameNamesTheCaAfterASchoolAndDirIsTheSameAsDataDir() throws Exception {
    Cli init = Cli.run("", "ca", "init", "--dir", dataDir.toString());

    assertThat(init.status()).as(init.err()).isZero();
    assertThat(SchoolCa.readCertificate(dataDir.resolve("ca/schoolgate-ca.pem")).getSubjectX500Principal().getName())
        .isEqualTo("CN=School Schoolgate CA,O=Schoolgate");
  }

  @Test
  void showPrintsTheSubjectValidityAndFingerprintAndChecksTheKey() throws Exception {
    Cli.run("", "ca", "init", "--name", "Example School", "--data-dir", dataDir.toString());
    Path cert = dataDir.resolve("ca/schoolgate-ca.pem");
    X509Certificate ca = SchoolCa.readCertificate(cert);

    Cli show = Cli.run("", "ca", "show", "--data-dir", dataDir.toString());

    assertThat(show.status()).as(show.err()).isZero();
    assertThat(show.out()).isEqualTo("  certificate  " + cert + "\n"
        + "  subject      CN=Example School Schoolgate CA,O=Schoolgate\n"
        + "  serial       " + ca.getSerialNumber().toString(16) + "\n"
        + "  valid        " + ca.getNotBefore().toInstant() + " to " + ca.getNotAfter().toInstant() + " ("
        + Duration.between(Instant.now(), ca.getNotAfter().toInstant()).toDays() + " days left)\n"
        + "  SHA-256      " + SchoolCa.fingerprintSha256(ca) + "\n"
        + "  key          " + dataDir.resolve("ca/schoolgate-ca.key") + " (matches the certificate, permissions"
        + " rw-------)\n");
  }

  @Test
  void showRefusesAKeyOtherUsersCanReadAndSaysHowToFixIt() throws Exception {
    Cli.run("", "ca", "init", "--data-dir", dataDir.toString());
    Path key = dataDir.resolve("ca/schoolgate-ca.key");
    Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r--r--"));

    Cli show = Cli.run("", "ca", "show", "--data-dir", dataDir.toString());

    assertThat(show.status()).isEqualTo(1);
    assertThat(show.out()).endsWith("  key          " + key + ": NOT USABLE\n");
    assertThat(show.err()).isEqualTo("schoolgate ca: the CA key " + key + " can be read or written by other users"
        + " (permissions rw-r--r--); refusing to use it. Run: chmod 600 " + key + "\n");
  }

  @Test
  void showMarksAnExpiredCaAndFails() throws Exception {
    MutableClock clock = new MutableClock(Instant.parse("2026-09-01T08:00:00Z"));
    run(clock, "init", "--data-dir", dataDir.toString());
    clock.advance(Duration.ofDays(3654));

    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status = CaCommand.run(List.of("show", "--data-dir", dataDir.toString()),
        new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8), clock);

    assertThat(status).isEqualTo(1);
    assertThat(out.toString(StandardCharsets.UTF_8))
        .contains("  valid        2026-09-01T07:00:00Z to 2036-09-01T08:00:00Z (EXPIRED)\n");
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("expired on 2036-09-01T08:00:00Z; make a new CA"
        + " ('schoolgate ca init --force') and deploy it to the school's devices");
  }

  @Test
  void showWithoutACaSaysHowToMakeOne() throws Exception {
    Cli show = Cli.run("", "ca", "show", "--data-dir", dataDir.toString());

    assertThat(show.status()).isEqualTo(1);
    assertThat(show.err()).isEqualTo("schoolgate ca: there is no CA certificate at "
        + dataDir.resolve("ca/schoolgate-ca.pem") + " (expected: a PEM file, e.g. made by 'schoolgate ca init')\n");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "''|schoolgate ca: expected 'init' or 'show', got nothing (see schoolgate ca --help)",
      "rotate|schoolgate ca: expected 'init' or 'show', got rotate (see schoolgate ca --help)",
      "show --force|schoolgate ca: --name and --force apply to 'ca init' only",
      "init --dir a --data-dir b|schoolgate ca: give --data-dir or --dir, not both (they are the same option)",
      "init --colour red|schoolgate ca: unknown option --colour (expected one of: --data-dir, --dir, --name, --help)",
      "init --name|schoolgate ca: option --name needs a value"})
  void aWrongCommandLineSaysWhatWasExpected(String line, String message) throws Exception {
    String[] words = line.isEmpty() ? new String[0] : line.split(" ");
    String[] args = new String[words.length + 1];
    args[0] = "ca";
    System.arraycopy(words, 0, args, 1, words.length);

    Cli run = Cli.run("", args);

    assertThat(run.status()).isEqualTo(2);
    assertThat(run.err()).isEqualTo(message + "\n");
  }

  @Test
  void aSchoolNameThatCannotNameACaIsAUsageError() throws Exception {
    Cli run = Cli.run("", "ca", "init", "--name", "x".repeat(49), "--data-dir", dataDir.toString());

    assertThat(run.status()).isEqualTo(2);
    assertThat(run.err()).startsWith("schoolgate ca: --name: school name '" + "x".repeat(49) + "' is 49 characters");
    assertThat(dataDir.resolve("ca")).doesNotExist();
  }

  @Test
  void helpDescribesInitAndShow() throws Exception {
    Cli help = Cli.run("", "ca", "--help");
    Cli top = Cli.run("", "--help");

    assertThat(help.status()).isZero();
    assertThat(help.out()).startsWith("Usage: schoolgate ca init [--name \"SCHOOL NAME\"] [--data-dir DIR] [--force]");
    assertThat(top.out()).contains("schoolgate ca init|show");
  }

  private static void run(Clock clock, String... args) {
    ByteArrayOutputStream sink = new ByteArrayOutputStream();
    PrintStream print = new PrintStream(sink, true, StandardCharsets.UTF_8);
    assertThat(CaCommand.run(List.of(args), print, print, clock)).isZero();
  }
}
