package org.schoolgate.deploy;

import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Set;
import org.schoolgate.store.AuditTrail;
import org.schoolgate.store.DatabaseConfig;
import org.schoolgate.store.Store;

/**
 * {@code schoolgate audit verify} checks the audit trail's hash chain (exit 0 when intact, 1 with
 * the first broken record); {@code schoolgate audit export [--from T] [--to T] [--type P]} writes
 * it as CSV to standard output for governors. Both need only the database: {@code --database
 * FILE} (a copy of {@code schoolgate.db}, say), {@code --data-dir DIR}, or the {@code database:}
 * section of {@code --config FILE}; the policy and everything else are never read, and a database
 * that is not there is an error, never a new empty one.
 */
final class AuditCommand {
  static final String NAME = "schoolgate audit";
  static final String USAGE = """
      Usage: schoolgate audit verify [--database FILE | --data-dir DIR | --config FILE]
             schoolgate audit export [--from TIME] [--to TIME] [--type PREFIX] [--database FILE | --data-dir DIR | --config FILE]

        verify   check that no audit record was edited, deleted or reordered (exit 1 if one was)
        export   write the audit trail as CSV (UTF-8) to standard output
        --database FILE   a SQLite database file, e.g. a copy of schoolgate.db
        --data-dir DIR    the directory holding schoolgate.db (default ./schoolgate-data)
        --config FILE     the runtime configuration: only its database section is read
        --from, --to      ISO-8601 instants such as 2026-09-01T00:00:00Z
        --type            only records whose type starts with PREFIX, e.g. unblock. or login
      """;
  private static final Set<String> OPTIONS = Set.of("--config", "--data-dir", "--database", "--from", "--to",
      "--type");

  private AuditCommand() {}

  static int run(List<String> argv, PrintStream out, PrintStream err, Clock clock) {
    Args args;
    DatabaseConfig database;
    AuditTrail.Query query;
    try {
      args = Args.parse(NAME, argv, OPTIONS);
      if (args.help()) {
        out.print(USAGE);
        return 0;
      }
      if (!args.positional().equals(List.of("verify")) && !args.positional().equals(List.of("export"))) {
        throw new UsageException(NAME + ": expected 'verify' or 'export', got "
            + (args.positional().isEmpty() ? "nothing" : String.join(" ", args.positional()))
            + " (see schoolgate audit --help)");
      }
      database = database(args);
      query = new AuditTrail.Query(instant(args, "--from"), instant(args, "--to"), null, args.value("--type"), 0,
          10_000);
    } catch (UsageException e) {
      err.println(e.getMessage());
      return 2;
    } catch (ConfigException e) {
      err.println("schoolgate: the configuration has errors:");
      e.errors().forEach(p -> err.println("  " + p));
      return 2;
    }
    try (Store store = Store.open(database, clock)) {
      if (args.positional().get(0).equals("export")) {
        Writer w = new OutputStreamWriter(out, StandardCharsets.UTF_8);
        store.audit().exportCsv(query, w);
        w.flush();
        return 0;
      }
      AuditTrail.Verification v = store.audit().verify();
      if (v instanceof AuditTrail.Verification.Valid ok) {
        out.println("audit trail intact: " + ok.records() + " records, head " + ok.head());
        return 0;
      }
      AuditTrail.Verification.Broken broken = (AuditTrail.Verification.Broken) v;
      out.println("audit trail BROKEN at record " + broken.seq() + ": " + broken.problem());
      return 1;
    } catch (RuntimeException | java.io.IOException e) {
      err.println(NAME + ": " + e.getMessage());
      return 1;
    }
  }

  /** The database the options name, and nothing else; an SQLite file must exist. */
  static DatabaseConfig database(Args args) throws UsageException, ConfigException {
    String file = args.value("--database");
    String dir = args.value("--data-dir");
    String config = args.value("--config");
    if ((file != null ? 1 : 0) + (dir != null ? 1 : 0) + (config != null ? 1 : 0) > 1) {
      throw new UsageException(NAME + ": give one of --database FILE, --data-dir DIR or --config FILE");
    }
    DatabaseConfig database;
    if (config != null) {
      database = RuntimeConfigLoader.loadDatabase(Path.of(config));
    } else if (file != null) {
      database = new DatabaseConfig("jdbc:sqlite:" + Path.of(file).toAbsolutePath().normalize(), null, null);
    } else {
      database = DatabaseConfig.sqlite((dir == null ? RunCommand.DEFAULT_DATA_DIR : Path.of(dir))
          .toAbsolutePath().normalize());
    }
    String url = database.jdbcUrl();
    if (url.startsWith("jdbc:sqlite:")) {
      Path db = Path.of(url.substring("jdbc:sqlite:".length()));
      if (!Files.isRegularFile(db)) {
        throw new UsageException(NAME + ": there is no database at " + db
            + " (expected: --database FILE, --data-dir DIR holding schoolgate.db, or --config FILE)");
      }
    }
    return database;
  }

  private static Instant instant(Args args, String option) throws UsageException {
    String v = args.value(option);
    try {
      return v == null ? null : Instant.parse(v);
    } catch (DateTimeParseException e) {
      throw new UsageException(NAME + ": " + option + " '" + v + "' is not a time (expected: ISO-8601 such as 2026-09-01T00:00:00Z)");
    }
  }
}
