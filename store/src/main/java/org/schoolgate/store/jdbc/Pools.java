package org.schoolgate.store.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.PosixFilePermissions;
import org.schoolgate.store.DatabaseConfig;
import org.schoolgate.store.StoreUnavailableException;

/**
 * HikariCP pools. SQLite: one connection (the file has one writer anyway) in WAL mode with
 * foreign keys on, a busy timeout for other processes, and IMMEDIATE transactions so a write
 * transaction holds the lock from its start. PostgreSQL: a small pool.
 */
final class Pools {
  static final int SQLITE_BUSY_TIMEOUT_MS = 10_000;

  private Pools() {}

  static HikariDataSource create(DatabaseConfig config) {
    HikariConfig hc = new HikariConfig();
    hc.setJdbcUrl(config.jdbcUrl());
    hc.setPoolName(config.isPostgres() ? "schoolgate-postgresql" : "schoolgate-sqlite");
    hc.setConnectionTimeout(15_000);
    hc.setInitializationFailTimeout(1);
    if (config.isPostgres()) {
      if (config.user() != null) {
        hc.setUsername(config.user());
      }
      if (config.password() != null) {
        hc.setPassword(config.password());
      }
      hc.setMaximumPoolSize(8);
      hc.setMinimumIdle(1);
    } else {
      prepareFile(config);
      hc.setMaximumPoolSize(1);
      hc.addDataSourceProperty("journal_mode", "WAL");
      hc.addDataSourceProperty("foreign_keys", "true");
      hc.addDataSourceProperty("busy_timeout", Integer.toString(SQLITE_BUSY_TIMEOUT_MS));
      hc.addDataSourceProperty("synchronous", "FULL");
      hc.addDataSourceProperty("transaction_mode", "IMMEDIATE");
    }
    try {
      return new HikariDataSource(hc);
    } catch (RuntimeException e) {
      throw new StoreUnavailableException("cannot open the database at " + redact(config.jdbcUrl()) + ": "
          + rootMessage(e), e);
    }
  }

  /**
   * Creates the SQLite file's directory if missing, and a new file readable by its owner only (it
   * holds password hashes); SQLite gives its -wal and -shm files the same permissions.
   */
  private static void prepareFile(DatabaseConfig config) {
    String file = config.jdbcUrl().substring("jdbc:sqlite:".length());
    int query = file.indexOf('?');
    if (query >= 0) {
      file = file.substring(0, query);
    }
    if (file.isEmpty() || file.startsWith(":memory:") || file.startsWith("file:")) {
      return;
    }
    Path path = Paths.get(file).toAbsolutePath();
    try {
      Path parent = path.getParent();
      if (parent != null && !Files.isDirectory(parent)) {
        Files.createDirectories(parent);
      }
      if (!Files.exists(path) && path.getFileSystem().supportedFileAttributeViews().contains("posix")) {
        Files.createFile(path, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      }
    } catch (IOException e) {
      throw new StoreUnavailableException("cannot open the database at " + redact(config.jdbcUrl())
          + ": cannot create " + path + ": " + e.getMessage(), e);
    }
  }

  /** {@code url} with any password parameter or user-info password masked. */
  static String redact(String url) {
    return url.replaceAll("(?i)(password=)[^&;]*", "$1***").replaceAll("(//[^/@:]*:)[^/@]*@", "$1***@");
  }

  static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    String message = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    return message;
  }
}
