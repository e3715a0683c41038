package org.schoolgate.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.schoolgate.policy.sample.SamplePolicy;

/** {@code schoolgate accounts} and {@code schoolgate audit} against the embedded default's SQLite database. */
class MaintenanceCommandsTest {
  @TempDir Path dataDir;

  @BeforeEach
  void samplePolicy() throws Exception {
    SamplePolicy.extractTo(dataDir);
  }

  @Test
  void theFirstAdminIsCreatedFromTheShellWithThePasswordOnStdin() throws Exception {
    Cli add = Cli.run("correct horse battery staple\n", "accounts", "add", "head.it", "--roles", "admin,technician",
        "--display-name", "Head of IT", "--data-dir", dataDir.toString());

    assertThat(add.status()).as(add.err()).isZero();
    assertThat(add.out()).isEqualTo("created head.it (technician,admin)\n");
    Cli list = Cli.run("", "accounts", "list", "--data-dir", dataDir.toString());
    assertThat(list.out()).isEqualTo("head.it\tHead of IT\ttechnician,admin\n");
    assertThat(dataDir.resolve("schoolgate.db")).isRegularFile();
  }

  @Test
  void aTakenUsernameAWeakPasswordAndAnUnknownRoleAreRefusedWithTheReason() throws Exception {
    Cli.run("correct horse battery staple\n", "accounts", "add", "head.it", "--roles", "admin", "--data-dir",
        dataDir.toString());

    Cli taken = Cli.run("another long password\n", "accounts", "add", "HEAD.IT", "--roles", "admin", "--data-dir",
        dataDir.toString());
    assertThat(taken.status()).isEqualTo(1);
    assertThat(taken.err()).startsWith("schoolgate accounts: ").contains("head.it");

    Cli weak = Cli.run("short\n", "accounts", "add", "tom", "--roles", "technician", "--data-dir", dataDir.toString());
    assertThat(weak.status()).isEqualTo(1);
    assertThat(weak.err()).contains("12");

    Cli role = Cli.run("correct horse battery staple\n", "accounts", "add", "tom", "--roles", "wizard",
        "--data-dir", dataDir.toString());
    assertThat(role.status()).isEqualTo(2);
    assertThat(role.err()).isEqualTo("schoolgate accounts: --roles: unknown role 'wizard' (expected: teacher,"
        + " technician, dsl, senior-leader, governor, admin, identity-source)\n");
  }

  @Test
  void auditVerifyPassesOnAnIntactTrailAndNamesTheEditedRecord() throws Exception {
    Cli.run("correct horse battery staple\n", "accounts", "add", "head.it", "--roles", "admin", "--data-dir",
        dataDir.toString());
    Cli.run("another good password\n", "accounts", "add", "tom", "--roles", "technician", "--data-dir",
        dataDir.toString());

    Cli intact = Cli.run("", "audit", "verify", "--data-dir", dataDir.toString());
    assertThat(intact.status()).as(intact.err()).isZero();
    assertThat(intact.out()).startsWith("audit trail intact: 2 records, head ");

    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dataDir.resolve("schoolgate.db"));
        Statement s = c.createStatement()) {
      s.executeUpdate("UPDATE audit SET actor = 'someone-else' WHERE seq = 1");
    }
    Cli broken = Cli.run("", "audit", "verify", "--data-dir", dataDir.toString());
    assertThat(broken.status()).isEqualTo(1);
    assertThat(broken.out()).startsWith("audit trail BROKEN at record 1: ");
  }

  @Test
  void auditExportWritesCsvWithAHeaderAndOneRowPerRecord() throws Exception {
    Cli.run("correct horse battery staple\n", "accounts", "add", "head.it", "--roles", "admin", "--data-dir",
        dataDir.toString());

    Cli export = Cli.run("", "audit", "export", "--type", "account.", "--data-dir", dataDir.toString());

    assertThat(export.status()).as(export.err()).isZero();
    String[] lines = export.out().split("\r?\n");
    assertThat(lines).hasSize(2);
    assertThat(lines[0]).contains("seq").contains("type").contains("actor");
    assertThat(lines[1]).contains("account.created").contains("cli");
  }

  @Test
  void aMaintenanceCommandWithoutAnInstalledPolicySaysWhatItNeeds() throws Exception {
    Path empty = dataDir.resolve("nothing-here");

    Cli run = Cli.run("", "accounts", "list", "--data-dir", empty.toString());

    assertThat(run.status()).isEqualTo(2);
    assertThat(run.err()).isEqualTo("schoolgate accounts: there is no policy at " + empty.resolve("policy.yaml")
        + " (expected: --config FILE, or a data directory 'schoolgate run' has used)\n");
  }

  @Test
  void auditVerifyAndExportOfACopiedDatabaseNeedNothingButTheDatabase() throws Exception {
    Cli.run("correct horse battery staple\n", "accounts", "add", "head.it", "--roles", "admin", "--data-dir",
        dataDir.toString());
    Path copy = Files.createDirectories(dataDir.resolve("evidence"));
    Files.copy(dataDir.resolve("schoolgate.db"), copy.resolve("schoolgate.db"));
    Path renamed = Files.copy(dataDir.resolve("schoolgate.db"), copy.resolve("trail-2026-11.db"));
    Path config = Files.writeString(copy.resolve("schoolgate.yaml"), "policy: /nowhere/policy.yaml\n"
        + "access-log: { dir: /nowhere/logs }\nlists: this key is not even valid here\n");

    Cli byDir = Cli.run("", "audit", "verify", "--data-dir", copy.toString());
    Cli byFile = Cli.run("", "audit", "verify", "--database", renamed.toString());
    Cli byConfig = Cli.run("", "audit", "export", "--config", config.toString());

    assertThat(byDir.status()).as(byDir.err()).isZero();
    assertThat(byDir.out()).startsWith("audit trail intact: 1 records, head ");
    assertThat(byFile.status()).as(byFile.err()).isZero();
    assertThat(byFile.out()).isEqualTo(byDir.out());
    assertThat(byConfig.status()).as(byConfig.err()).isZero();
    assertThat(byConfig.out()).contains("account.created");
  }

  @Test
  void auditVerifyOfADatabaseThatIsNotThereSaysSoAndCreatesNothing() throws Exception {
    Path empty = dataDir.resolve("nothing-here");

    Cli run = Cli.run("", "audit", "verify", "--data-dir", empty.toString());

    assertThat(run.status()).isEqualTo(2);
    assertThat(run.err()).isEqualTo("schoolgate audit: there is no database at " + empty.resolve("schoolgate.db")
        + " (expected: --database FILE, --data-dir DIR holding schoolgate.db, or --config FILE)\n");
    assertThat(empty).doesNotExist();
  }
}
