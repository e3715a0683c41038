package org.schoolgate.store;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where the database is.
 *
 * @param jdbcUrl {@code jdbc:sqlite:/path/schoolgate.db} or {@code jdbc:postgresql://host/db}
 * @param user user name (PostgreSQL), or null
 * @param password password (PostgreSQL), or null; never logged
 */
public record DatabaseConfig(String jdbcUrl, String user, String password) {
  public DatabaseConfig {
    Objects.requireNonNull(jdbcUrl, "jdbcUrl");
    if (!jdbcUrl.startsWith("jdbc:sqlite:") && !jdbcUrl.startsWith("jdbc:postgresql:")) {
      throw new IllegalArgumentException("database url '" + jdbcUrl
          + "' is not supported (expected: jdbc:sqlite:<file> or jdbc:postgresql://<host>/<database>)");
    }
  }

  /** The embedded default: {@code schoolgate.db} in {@code dataDir}. */
  public static DatabaseConfig sqlite(Path dataDir) {
    return new DatabaseConfig("jdbc:sqlite:" + dataDir.resolve("schoolgate.db").toAbsolutePath(), null, null);
  }

  public boolean isPostgres() {
    return jdbcUrl.startsWith("jdbc:postgresql:");
  }

  @Override
  public String toString() {
    return "DatabaseConfig[" + jdbcUrl + (user == null ? "" : ", user=" + user) + "]";
  }
}
