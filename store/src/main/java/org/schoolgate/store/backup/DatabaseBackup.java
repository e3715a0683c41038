package org.schoolgate.store.backup;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.schoolgate.store.DatabaseConfig;
import org.schoolgate.store.StoreUnavailableException;

/**
 * Copies the database to one file and back.
 *
 * <p>SQLite: {@code VACUUM INTO} on a connection of its own writes the database as one read
 * transaction saw it (WAL mode: the running node's writers are not held up, and what they commit
 * meanwhile is simply not in the copy), compact and without a WAL file. Restoring moves such a
 * copy into place (temp file + atomic move, owner-only) and removes the old WAL and shared-memory
 * files, which belong to the replaced file. Only with the node stopped: a running node would keep
 * writing to the file it has open.
 *
 * <p>PostgreSQL: {@code pg_dump --format=custom} (one REPEATABLE READ snapshot, consistent while
 * every node runs) and {@code pg_restore --clean --if-exists --no-owner --single-transaction}
 * from the PATH (Debian: {@code postgresql-client}; its major version must be at least the
 * server's). The password, if any, goes in {@code PGPASSWORD}, never on the command line.
 */
public final class DatabaseBackup {
  /** How the database part of a backup was made; also its file name in the archive. */
  public enum Format {
    SQLITE("schoolgate.db"), PG_DUMP("schoolgate.pgdump");

    private final String fileName;

    Format(String fileName) {
      this.fileName = fileName;
    }

    public String fileName() {
      return fileName;
    }
  }

  private static final long TOOL_TIMEOUT_MINUTES = 60;

  private DatabaseBackup() {}

  /** The format a backup of {@code config}'s database has. */
  public static Format formatOf(DatabaseConfig config) {
    return config.isPostgres() ? Format.PG_DUMP : Format.SQLITE;
  }

  /**
   * Writes a consistent copy of {@code config}'s database to {@code target} (created owner-only;
   * must not exist), while the database may be in use.
   *
   * @throws StoreUnavailableException when the database cannot be read or the tool fails
   */
  public static Format snapshot(DatabaseConfig config, Path target) {
    if (Files.exists(target)) {
      throw new IllegalArgumentException(target + " exists already (expected: a new file)");
    }
    if (config.isPostgres()) {
      List<String> command = new ArrayList<>(List.of("pg_dump", "--format=custom", "--no-owner",
          "--file=" + target, "--dbname=" + libpqUri(config.jdbcUrl())));
      if (config.user() != null) {
        command.add("--username=" + config.user());
      }
      run(command, config, "copying the PostgreSQL database with pg_dump");
      ownerOnly(target);
      return Format.PG_DUMP;
    }
    try (Connection c = DriverManager.getConnection(config.jdbcUrl()); Statement s = c.createStatement()) {
      s.execute("PRAGMA busy_timeout = 30000");
      s.execute("VACUUM INTO '" + target.toAbsolutePath().toString().replace("'", "''") + "'");
    } catch (SQLException e) {
      throw new StoreUnavailableException("cannot copy the SQLite database " + config.jdbcUrl() + ": "
          + e.getMessage() + " (is the disk full, or the directory not writable?)", e);
    }
    ownerOnly(target);
    return Format.SQLITE;
  }

  /**
   * Replaces {@code config}'s database with the copy in {@code source} ({@code format}). SQLite:
   * the node must be stopped. PostgreSQL: every object of the dump is dropped and made again in
   * one transaction. Migrations are not run here: opening the store afterwards runs them.
   */
  public static void restore(DatabaseConfig config, Format format, Path source) {
    if (format != formatOf(config)) {
      throw new IllegalArgumentException("the backup holds a " + (format == Format.SQLITE ? "SQLite" : "PostgreSQL")
          + " database but the configuration names a " + (config.isPostgres() ? "PostgreSQL" : "SQLite")
          + " one (expected: restore into the same kind of database; to move between them, export and"
          + " import is not supported yet)");
    }
    if (config.isPostgres()) {
      List<String> command = new ArrayList<>(List.of("pg_restore", "--clean", "--if-exists", "--no-owner",
          "--single-transaction", "--exit-on-error", "--dbname=" + libpqUri(config.jdbcUrl())));
      if (config.user() != null) {
        command.add("--username=" + config.user());
      }
      command.add(source.toString());
      run(command, config, "restoring the PostgreSQL database with pg_restore");
      return;
    }
    Path db = sqliteFile(config);
    try {
      Files.createDirectories(db.toAbsolutePath().getParent());
      Path temp = db.resolveSibling(db.getFileName() + ".restoring");
      Files.deleteIfExists(temp);
      Files.createFile(temp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      try (var out = Files.newOutputStream(temp)) {
        Files.copy(source, out);
      }
      Files.deleteIfExists(db.resolveSibling(db.getFileName() + "-wal"));
      Files.deleteIfExists(db.resolveSibling(db.getFileName() + "-shm"));
      Files.move(temp, db, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new StoreUnavailableException("cannot put the database back at " + db + ": " + e.getMessage(), e);
    }
  }

  /** The SQLite file of {@code config}. */
  public static Path sqliteFile(DatabaseConfig config) {
    String url = config.jdbcUrl();
    String path = url.substring("jdbc:sqlite:".length());
    int query = path.indexOf('?');
    return Path.of(query < 0 ? path : path.substring(0, query));
  }

  /** {@code jdbc:postgresql://h:5432/db?sslmode=require} as libpq reads it: {@code postgresql://h:5432/db?sslmode=require}. */
  static String libpqUri(String jdbcUrl) {
    String uri = jdbcUrl.substring("jdbc:".length());
    // the JDBC driver's own parameters mean nothing to libpq; keep the ones both know
    int q = uri.indexOf('?');
    if (q < 0) {
      return uri;
    }
    List<String> kept = new ArrayList<>();
    for (String p : uri.substring(q + 1).split("&")) {
      String key = p.contains("=") ? p.substring(0, p.indexOf('=')) : p;
      if (List.of("sslmode", "sslrootcert", "sslcert", "sslkey", "user", "password", "connect_timeout",
          "application_name").contains(key)) {
        kept.add(p);
      }
    }
    return uri.substring(0, q) + (kept.isEmpty() ? "" : "?" + String.join("&", kept));
  }

  private static void run(List<String> command, DatabaseConfig config, String what) {
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    Map<String, String> env = pb.environment();
    if (config.password() != null) {
      env.put("PGPASSWORD", config.password());
    }
    try {
      Path log = Files.createTempFile("schoolgate-pg", ".log");
      try {
        pb.redirectOutput(log.toFile());
        Process p = pb.start();
        if (!p.waitFor(TOOL_TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
          p.destroyForcibly();
          throw new StoreUnavailableException(what + ": " + command.get(0) + " did not finish in "
              + TOOL_TIMEOUT_MINUTES + " minutes", null);
        }
        if (p.exitValue() != 0) {
          String output = Files.readString(log, StandardCharsets.UTF_8).strip();
          throw new StoreUnavailableException(what + ": " + command.get(0) + " exited with " + p.exitValue()
              + (output.isEmpty() ? "" : ": " + output), null);
        }
      } finally {
        Files.deleteIfExists(log);
      }
    } catch (IOException e) {
      throw new StoreUnavailableException(what + ": cannot run " + command.get(0) + " (" + e.getMessage()
          + "; install PostgreSQL's client tools, e.g. apt-get install postgresql-client, version at least"
          + " the server's)", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StoreUnavailableException(what + ": interrupted", e);
    }
  }

  private static void ownerOnly(Path file) {
    try {
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    } catch (UnsupportedOperationException | IOException e) {
      // not a POSIX file system: the directory's permissions decide
    }
  }
}
