package org.schoolgate.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import java.util.Comparator;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.schoolgate.store.Actor;
import org.schoolgate.store.AuditEntry;
import org.schoolgate.store.AuditTrail;
import org.schoolgate.store.DatabaseConfig;
import org.schoolgate.store.Role;
import org.schoolgate.store.Store;

/**
 * {@code schoolgate backup} while the database is being written, everything wiped, {@code
 * schoolgate restore}: the data, the CA (owner-only), the policy and its lists come back, and the
 * audit chain verifies. On SQLite (the embedded default's data directory) and on PostgreSQL
 * (embedded server; pg_dump and pg_restore from Debian's postgresql-client).
 */
class BackupRestoreTest {
  private static final String POLICY = """
      clients:
        allow: [10.0.0.0/8]
      groups:
        pupils: { subnets: [10.0.0.0/8] }
      lists:
        school: { path: lists/school }
      categories:
        gambling: { lists: [school/gambling] }
      matrix:
        gambling: { default: unacceptable }
      default: acceptable
      """;

  @TempDir Path tmp;

  @Test
  void aSqliteRoundTripWhileWritingBringsEverythingBackWithTheAuditChainWhole() throws Exception {
    Path data = tmp.resolve("data");
    assertThat(Cli.run("", "ca", "init", "--data-dir", data.toString(), "--name", "Test School").status()).isZero();
    Files.writeString(data.resolve("policy.yaml"), POLICY);
    Files.createDirectories(data.resolve("lists/school/gambling"));
    Files.writeString(data.resolve("lists/school/gambling/domains"), "bet.example\n");
    Path backup = tmp.resolve("backups/monday.tar.gz");
    DatabaseConfig database = DatabaseConfig.sqlite(data);

    int beforeBackup;
    Cli made;
    try (Store store = Store.open(database, Clock.systemUTC())) {
      store.accounts().create("head.it", "Head of IT", "a long pass phrase".toCharArray(), Set.of(Role.ADMIN),
          Actor.system("test"));
      AtomicInteger written = new AtomicInteger();
      AtomicBoolean stop = new AtomicBoolean();
      Thread writer = new Thread(() -> {
        while (!stop.get()) {
          store.audit().append(new AuditEntry("test.write", Actor.system("test"), "n" + written.get(), "", null, null));
          written.incrementAndGet();
        }
      }, "test-writer");
      writer.start();
      try {
        poll(() -> written.get() >= 20);
        beforeBackup = written.get();
        made = Cli.run("", "backup", backup.toString(), "--data-dir", data.toString());
      } finally {
        stop.set(true);
        writer.join();
      }
    }
    assertThat(made.status()).as(made.err()).isZero();
    assertThat(made.out()).contains("the SQLite database, 1 list file(s), the policy, the school CA");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(backup))).isEqualTo("rw-------");
    byte[] key = Files.readAllBytes(data.resolve("ca/schoolgate-ca.key"));
    byte[] certificate = Files.readAllBytes(data.resolve("ca/schoolgate-ca.pem"));
    deleteTree(data);

    Cli restored = Cli.run("", "restore", backup.toString(), "--data-dir", data.toString());

    assertThat(restored.status()).as(restored.err() + restored.out()).isZero();
    assertThat(restored.out()).contains("audit trail intact");
    assertThat(Files.readAllBytes(data.resolve("ca/schoolgate-ca.key"))).isEqualTo(key);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(data.resolve("ca/schoolgate-ca.key"))))
        .isEqualTo("rw-------");
    assertThat(Files.readAllBytes(data.resolve("ca/schoolgate-ca.pem"))).isEqualTo(certificate);
    assertThat(Files.readString(data.resolve("policy.yaml"))).isEqualTo(POLICY);
    assertThat(Files.readString(data.resolve("lists/school/gambling/domains"))).isEqualTo("bet.example\n");
    try (Store store = Store.open(database, Clock.systemUTC())) {
      assertThat(store.accounts().byUsername("head.it")).isPresent();
      AuditTrail.Verification v = store.audit().verify();
      assertThat(v).isInstanceOf(AuditTrail.Verification.Valid.class);
      assertThat(((AuditTrail.Verification.Valid) v).records()).isGreaterThanOrEqualTo(beforeBackup + 1);
    }
    Cli again = Cli.run("", "restore", backup.toString(), "--data-dir", data.toString());
    assertThat(again.status()).isEqualTo(1);
    assertThat(again.err()).contains("a database is there already", "--force");
    assertThat(Cli.run("", "restore", backup.toString(), "--data-dir", data.toString(), "--force").status()).isZero();
  }

  @Test
  void aDamagedBackupIsRefusedAndNothingIsReplaced() throws Exception {
    Path data = tmp.resolve("data");
    Files.createDirectories(data);
    try (Store store = Store.open(DatabaseConfig.sqlite(data), Clock.systemUTC())) {
      store.audit().append(new AuditEntry("test.write", Actor.system("test"), "x", "", null, null));
    }
    Path backup = tmp.resolve("b.tar.gz");
    assertThat(Cli.run("", "backup", backup.toString(), "--data-dir", data.toString()).status()).isZero();
    byte[] bytes = Files.readAllBytes(backup);
    Files.write(backup, java.util.Arrays.copyOf(bytes, bytes.length / 2));
    Path other = tmp.resolve("other");

    Cli restored = Cli.run("", "restore", backup.toString(), "--data-dir", other.toString());

    assertThat(restored.status()).isEqualTo(1);
    assertThat(restored.err()).contains("cannot read the backup");
    assertThat(other.resolve("schoolgate.db")).doesNotExist();
  }

  @Test
  void aPostgresqlRoundTripWithPgDumpBringsTheDataBackIntoAnEmptyDatabase() throws Exception {
    try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().start()) {
      try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
        s.execute("CREATE DATABASE first");
        s.execute("CREATE DATABASE second");
      }
      Path config = writeConfig("first.yaml", postgres.getJdbcUrl("postgres", "first"));
      DatabaseConfig first = new DatabaseConfig(postgres.getJdbcUrl("postgres", "first"), "postgres", null);
      try (Store store = Store.open(first, Clock.systemUTC())) {
        store.accounts().create("head.it", "Head of IT", "a long pass phrase".toCharArray(), Set.of(Role.ADMIN),
            Actor.system("test"));
        for (int i = 0; i < 5; i++) {
          store.audit().append(new AuditEntry("test.write", Actor.system("test"), "n" + i, "", null, null));
        }
      }
      Path backup = tmp.resolve("pg.tar.gz");
      Cli made = Cli.run("", "backup", backup.toString(), "--config", config.toString());
      assertThat(made.status()).as(made.err()).isZero();
      assertThat(made.out()).contains("the PostgreSQL database", "the configuration");
      Path second = writeConfig("second.yaml", postgres.getJdbcUrl("postgres", "second"));

      Cli restored = Cli.run("", "restore", backup.toString(), "--config", second.toString());

      assertThat(restored.status()).as(restored.err() + restored.out()).isZero();
      assertThat(restored.out()).contains("audit trail intact, 6 records");
      try (Store store = Store.open(new DatabaseConfig(postgres.getJdbcUrl("postgres", "second"), "postgres", null),
          Clock.systemUTC())) {
        assertThat(store.accounts().byUsername("head.it")).isPresent();
      }
      Cli again = Cli.run("", "restore", backup.toString(), "--config", second.toString());
      assertThat(again.err()).contains("a database is there already");
      Cli forced = Cli.run("", "restore", backup.toString(), "--config", second.toString(), "--force");
      assertThat(forced.status()).as(forced.err()).isZero();
    }
  }

  private Path writeConfig(String name, String url) throws Exception {
    Files.writeString(tmp.resolve("policy.yaml"), POLICY);
    Path config = tmp.resolve(name);
    Files.writeString(config, "policy: policy.yaml\ndatabase:\n  url: " + url + "\n  user: postgres\n");
    return config;
  }

  private static void poll(java.util.function.BooleanSupplier condition) {
    long deadline = System.nanoTime() + 60_000_000_000L;
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not reached in 60 s");
      }
      Thread.onSpinWait();
    }
  }

  private static void deleteTree(Path dir) throws Exception {
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
