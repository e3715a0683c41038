package org.schoolgate.store;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where the database is.
 *
 * @param jdbcUrl {@code jdbc:sqlite:/path/schoolgate.db} or {@code jdbc:postgresql://host/db}
 * @param user user name (PostgreSQL), or null
 * @param password password (PostgreSQL), or null; never logged
 * @param node the name of this Schoolgate node, written into every audit record it appends (so
 *     the audit says which node did what when several share one database), or null
 */
public record DatabaseConfig(String jdbcUrl, String user, String password, String node) {
  private static final java.util.regex.Pattern NODE = java.util.regex.Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

  /** A database without a node name. */
  public DatabaseConfig(String jdbcUrl, String user, String password) {
    this(jdbcUrl, user, password, null);
  }

  public DatabaseConfig {
    if (node != null && !NODE.matcher(node).matches()) {
      throw new IllegalArgumentException("node '" + node + "' is not a node name (expected: 1 to 64 letters, digits,"
          + " dots, dashes or underscores, starting with a letter or digit, such as proxy-a or gate1.school)");
    }
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

  /** The same database, written to as node {@code name}. */
  public DatabaseConfig withNode(String name) {
    return new DatabaseConfig(jdbcUrl, user, password, name);
  }

  public boolean isPostgres() {
    return jdbcUrl.startsWith("jdbc:postgresql:");
  }

  @Override
  public String toString() {
    return "DatabaseConfig[" + jdbcUrl + (user == null ? "" : ", user=" + user)
        + (node == null ? "" : ", node=" + node) + "]";
  }
}
