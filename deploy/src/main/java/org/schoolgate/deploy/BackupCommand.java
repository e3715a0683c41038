package org.schoolgate.deploy;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.schoolgate.store.AuditTrail;
import org.schoolgate.store.DatabaseConfig;
import org.schoolgate.store.Store;
import org.schoolgate.store.backup.DatabaseBackup;

/**
 * {@code schoolgate backup FILE} and {@code schoolgate restore FILE}: the database (a consistent
 * copy while Schoolgate runs: {@link DatabaseBackup}), the school CA's files, the policy with its
 * {@code lists/} directory and the runtime configuration, in one owner-only archive
 * ({@link BackupArchive}). Restore puts each back where this node's configuration says (with
 * {@code --config FILE} that does not exist yet, the backup's own configuration is written there
 * first: a new machine), keeps secrets owner-only, then opens the store — which runs the
 * migrations, so a backup of an older release is upgraded — and checks the audit chain.
 */
final class BackupCommand {
  static final String USAGE = """
      Usage: schoolgate backup FILE [--config FILE | --data-dir DIR]
             schoolgate restore FILE [--config FILE | --data-dir DIR] [--force]

        backup    write the database (consistent while Schoolgate runs), the school CA, the policy and
                  its lists/ directory and the configuration to FILE (a .tar.gz, owner-only: it holds
                  the CA key and password hashes); on PostgreSQL it runs pg_dump (postgresql-client)
        restore   put a backup back: stop Schoolgate (every node) first; --force replaces an existing
                  database; then the migrations run and the audit chain is checked
        --config FILE     the runtime configuration (restore writes the backup's copy there if missing)
        --data-dir DIR    the embedded default's data directory (default ./schoolgate-data)
      """;
  private static final Set<String> OPTIONS = Set.of("--config", "--data-dir");

  private BackupCommand() {}

  static int run(String command, List<String> argv, PrintStream out, PrintStream err, Clock clock) {
    String name = "schoolgate " + command;
    boolean force = argv.contains("--force");
    List<String> rest = argv.stream().filter(a -> !a.equals("--force")).toList();
    Args args;
    try {
      args = Args.parse(name, rest, OPTIONS);
      if (args.help()) {
        out.print(USAGE);
        return 0;
      }
      if (args.positional().size() != 1) {
        throw new UsageException(name + ": expected one FILE, got " + args.positional().size()
            + " (see schoolgate " + command + " --help)");
      }
      if (args.value("--config") != null && args.value("--data-dir") != null) {
        throw new UsageException(name + ": give --config FILE or --data-dir DIR, not both");
      }
      Path file = Path.of(args.positional().get(0)).toAbsolutePath().normalize();
      return command.equals("backup") ? backup(file, args, out, clock) : restore(file, args, force, out);
    } catch (UsageException e) {
      err.println(e.getMessage());
      return 2;
    } catch (ConfigException e) {
      err.println("schoolgate: the configuration has errors:");
      e.errors().forEach(p -> err.println("  " + p));
      return 2;
    } catch (IOException | RuntimeException e) {
      err.println(name + ": " + e.getMessage());
      return 1;
    }
  }

  private static BackupPlaces places(Args args) throws ConfigException {
    String config = args.value("--config");
    if (config != null) {
      return BackupPlaces.ofConfig(Path.of(config));
    }
    String dir = args.value("--data-dir");
    return BackupPlaces.ofDataDir(dir == null ? RunCommand.DEFAULT_DATA_DIR : Path.of(dir));
  }

  private static int backup(Path file, Args args, PrintStream out, Clock clock) throws ConfigException, IOException {
    BackupPlaces places = places(args);
    if (!places.database().isPostgres() && !Files.isRegularFile(DatabaseBackup.sqliteFile(places.database()))) {
      throw new IOException("there is no database at " + DatabaseBackup.sqliteFile(places.database())
          + " (expected: --data-dir DIR holding schoolgate.db, or --config FILE)");
    }
    Files.createDirectories(file.getParent());
    Path work = Files.createTempDirectory(file.getParent(), ".schoolgate-backup",
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    try {
      List<BackupArchive.Item> items = new ArrayList<>();
      DatabaseBackup.Format format = DatabaseBackup.formatOf(places.database());
      Path db = work.resolve(format.fileName());
      DatabaseBackup.snapshot(places.database(), db);
      items.add(new BackupArchive.Item("database/" + format.fileName(), "database", db));
      for (Map.Entry<String, Path> ca : places.ca().entrySet()) {
        if (Files.isRegularFile(ca.getValue())) {
          items.add(new BackupArchive.Item("ca/" + ca.getKey() + "/" + ca.getValue().getFileName(), ca.getKey(),
              ca.getValue()));
        }
      }
      if (Files.isRegularFile(places.policy())) {
        items.add(new BackupArchive.Item("policy/policy.yaml", "policy", places.policy()));
      }
      if (Files.isDirectory(places.lists())) {
        try (Stream<Path> files = Files.walk(places.lists())) {
          for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
            String relative = places.lists().relativize(f).toString().replace('\\', '/');
            items.add(new BackupArchive.Item("policy/lists/" + relative, "list", f));
          }
        }
      }
      if (places.config() != null) {
        items.add(new BackupArchive.Item("config/schoolgate.yaml", "config", places.config()));
      }
      BackupArchive.write(file, clock.instant(), format.name().toLowerCase(java.util.Locale.ROOT), items);
      out.println("backup written to " + file + " (owner-only): the " + (places.database().isPostgres()
          ? "PostgreSQL" : "SQLite") + " database, " + count(items, "list") + " list file(s), "
          + (items.stream().anyMatch(i -> i.role().equals("policy")) ? "the policy, " : "no policy, ")
          + (items.stream().anyMatch(i -> i.role().equals(BackupPlaces.CA_KEY) || i.role().equals("pkcs12"))
              ? "the school CA" : "no school CA")
          + (places.config() != null ? ", the configuration" : ""));
      return 0;
    } finally {
      deleteTree(work);
    }
  }

  private static int restore(Path file, Args args, boolean force, PrintStream out) throws ConfigException, IOException {
    if (!Files.isRegularFile(file)) {
      throw new IOException("there is no backup at " + file);
    }
    Path work = Files.createTempDirectory(".schoolgate-restore",
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    try {
      BackupArchive.Contents contents = BackupArchive.read(file, work);
      String config = args.value("--config");
      if (config != null && !Files.exists(Path.of(config))) {
        List<BackupArchive.Item> saved = contents.withRole("config");
        if (saved.isEmpty()) {
          throw new IOException("--config " + config + " does not exist and the backup holds no configuration"
              + " (expected: the node's schoolgate.yaml, or --data-dir for the embedded default)");
        }
        put(saved.get(0).file(), Path.of(config), true);
        out.println("configuration written to " + config + " from the backup");
      }
      BackupPlaces places = places(args);
      if (!force && hasDatabase(places.database())) {
        throw new IOException("a database is there already (" + places.database() + "); restoring replaces it:"
            + " stop Schoolgate on every node, then run again with --force");
      }
      BackupArchive.Item db = contents.withRole("database").stream().findFirst()
          .orElseThrow(() -> new IOException(file + " holds no database"));
      DatabaseBackup.restore(places.database(), DatabaseBackup.Format.valueOf(contents.database().toUpperCase(
          java.util.Locale.ROOT)), db.file());
      for (BackupArchive.Item item : contents.items()) {
        Path target = switch (item.role()) {
          case "policy" -> places.policy();
          case "list" -> places.lists().resolve(item.name().substring("policy/lists/".length())).normalize();
          case "database", "config" -> null;
          default -> places.ca().get(item.role());
        };
        if (target == null && !item.role().equals("database") && !item.role().equals("config")) {
          out.println("note: the backup holds the CA's " + item.role() + " but this configuration names no"
              + " interception: file for it; left out");
        } else if (target != null && (!item.role().equals("list") || target.startsWith(places.lists()))) {
          put(item.file(), target, BackupPlaces.secret(item.role()));
        }
      }
      try (Store store = Store.open(places.database(), Clock.systemUTC())) {
        AuditTrail.Verification v = store.audit().verify();
        if (v instanceof AuditTrail.Verification.Broken broken) {
          out.println("restored from " + file + " (made " + contents.created() + "), but the audit trail is BROKEN at"
              + " record " + broken.seq() + ": " + broken.problem());
          return 1;
        }
        out.println("restored from " + file + " (made " + contents.created() + "): the database (migrated to this"
            + " release; audit trail intact, " + ((AuditTrail.Verification.Valid) v).records() + " records), "
            + count(contents.items(), "list") + " list file(s)" + (contents.withRole("policy").isEmpty() ? ""
                : ", the policy") + (contents.withRole(BackupPlaces.CA_KEY).isEmpty() ? "" : ", the school CA"));
      }
      return 0;
    } finally {
      deleteTree(work);
    }
  }

  /** True when restoring would replace data: the SQLite file exists, or PostgreSQL has Schoolgate's tables. */
  private static boolean hasDatabase(DatabaseConfig database) {
    if (!database.isPostgres()) {
      return Files.exists(DatabaseBackup.sqliteFile(database));
    }
    try (Connection c = DriverManager.getConnection(database.jdbcUrl(), database.user(), database.password());
        ResultSet rs = c.createStatement().executeQuery("SELECT to_regclass('audit_head') IS NOT NULL")) {
      return rs.next() && rs.getBoolean(1);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot reach the database " + database + ": " + e.getMessage(), e);
    }
  }

  /** Copies {@code from} to {@code to} (temp file + move), owner-only when {@code secret}. */
  private static void put(Path from, Path to, boolean secret) throws IOException {
    Files.createDirectories(to.toAbsolutePath().getParent());
    Path temp = to.resolveSibling(to.getFileName() + ".restoring");
    Files.deleteIfExists(temp);
    Files.createFile(temp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(
        secret ? "rw-------" : "rw-r-----")));
    try (var out = Files.newOutputStream(temp)) {
      Files.copy(from, out);
    }
    Files.move(temp, to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  private static long count(List<BackupArchive.Item> items, String role) {
    return items.stream().filter(i -> i.role().equals(role)).count();
  }

  private static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
