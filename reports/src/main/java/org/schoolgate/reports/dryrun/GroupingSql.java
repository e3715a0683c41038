package org.schoolgate.reports.dryrun;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.schoolgate.policy.model.Cell;
import org.schoolgate.policy.model.MatrixRow;
import org.schoolgate.policy.model.PolicyConfig;
import org.schoolgate.reports.logdb.LogSource;
import org.schoolgate.reports.logdb.Sql;

/**
 * The dry run's SQL: the period's requests grouped by what the candidate's decision and the
 * result depend on, file by file into {@value #FILE_GROUPS}, then summed over the files into
 * {@value #GROUPS}. A kept request (its rule is in
 * {@link DryRunJob#KEPT_RULES}, or it has no host) is counted with no other key.
 *
 * <p>The user is a key only when the candidate could nominate them: a user who is nominated
 * exactly, or (as the compiled cell compares) once stripped and lower-cased; a user with
 * characters outside ASCII is kept as logged, so the candidate itself decides. Every other user
 * is grouped as null, which no cell nominates — the same decision.
 */
final class GroupingSql {
  /** The steps and their active schedules ({@link TimeBuckets}). */
  static final String STEPS = "dry_run_steps";
  static final String STEPS_TABLE = "CREATE TEMP TABLE " + STEPS + " (step BIGINT, mask BIGINT)";
  /** Each file's groups, then ({@link #MERGE}) the groups of all files. */
  static final String FILE_GROUPS = "dry_run_file_groups";
  static final String GROUPS = "dry_run_groups";
  /** The groups of every file summed, as {@value #GROUPS}. */
  static final String MERGE = "CREATE TEMP TABLE " + GROUPS + " AS SELECT * EXCLUDE (n), sum(n) AS n FROM "
      + FILE_GROUPS + " GROUP BY ALL";
  /** All requests, then the kept ones, then the distinct combinations to decide. */
  static final String COUNTS = "SELECT coalesce(sum(n), 0), coalesce(sum(n) FILTER (WHERE kept), 0),"
      + " count(*) FILTER (WHERE NOT kept) FROM " + GROUPS;
  /** The columns of {@link #REDECIDE}, 1-based. */
  static final int GROUP = 1;
  static final int USER = 2;
  static final int HOST = 3;
  static final int TUNNEL = 4;
  static final int PATH = 5;
  static final int QUERY = 6;
  static final int SCHEME = 7;
  static final int PORT = 8;
  static final int BLOCKED = 9;
  static final int CATEGORY = 10;
  static final int MASK = 11;
  static final int COUNT = 12;
  static final String REDECIDE = "SELECT grp, usr, host, tunnel, path, query, scheme, port, blocked, category,"
      + " coalesce(mask, 0), n FROM " + GROUPS + " WHERE NOT kept";
  /** Java's {@code Character.isWhitespace} characters in ASCII: what {@code String.strip} removes there. */
  private static final String ASCII_WHITESPACE = "(' ' || chr(9) || chr(10) || chr(11) || chr(12) || chr(13)"
      + " || chr(28) || chr(29) || chr(30) || chr(31))";

  private final Set<String> nominees;
  private final TimeBuckets time;

  GroupingSql(PolicyConfig candidate, TimeBuckets time) {
    this.nominees = nominatedUsers(candidate);
    this.time = time;
  }

  /**
   * The statement that adds the groups of {@code source} between {@code from} and {@code to} to
   * {@value #FILE_GROUPS}, creating it when {@code first}.
   */
  String groups(LogSource source, Instant from, Instant to, boolean first) {
    String kept = "(coalesce(split_part(rule, ':', 1), '') IN (" + literals(new TreeSet<>(DryRunJob.KEPT_RULES))
        + ") OR host IS NULL)";
    String user;
    if (nominees.isEmpty()) {
      user = "NULL::VARCHAR";
    } else {
      String list = literals(nominees);
      user = "CASE WHEN \"user\" IN (" + list + ") OR lower(trim(\"user\", " + ASCII_WHITESPACE + ")) IN (" + list
          + ") OR strlen(\"user\") <> length(\"user\") THEN \"user\" END";
    }
    String mask = time.used() ? "s.mask" : "0::BIGINT";
    String join = time.used() ? " LEFT JOIN " + STEPS + " s ON s.step = epoch_ms(l.time) // " + time.stepMillis() : "";
    String connect = "l.method = 'CONNECT'";
    List<String> columns = new ArrayList<>();
    columns.add("l.k AS kept");
    columns.add(unlessKept("l.\"group\"") + " AS grp");
    columns.add(unlessKept(user) + " AS usr");
    columns.add(unlessKept("l.host") + " AS host");
    columns.add(unlessKept("coalesce(" + connect + ", false)") + " AS tunnel");
    columns.add("CASE WHEN l.k OR " + connect + " THEN NULL ELSE l.path END AS path");
    columns.add("CASE WHEN l.k OR " + connect + " THEN NULL ELSE l.query END AS query");
    columns.add(unlessKept("l.scheme") + " AS scheme");
    columns.add(unlessKept("l.port") + " AS port");
    columns.add(unlessKept("coalesce(l.action = 'block', false)") + " AS blocked");
    columns.add("CASE WHEN l.k OR l.action IS DISTINCT FROM 'block' THEN NULL ELSE " + Sql.DECIDING_CATEGORY + " END AS category");
    columns.add(unlessKept(mask) + " AS mask");
    return (first ? "CREATE TEMP TABLE " + FILE_GROUPS + " AS" : "INSERT INTO " + FILE_GROUPS)
        + " SELECT *, count(*) AS n FROM (SELECT " + String.join(", ", columns)
        + " FROM (SELECT *, " + kept + " AS k FROM " + source.requests() + " WHERE " + Sql.between(from, to)
        + ") l" + join + ") GROUP BY ALL";
  }

  private static String unlessKept(String expression) {
    return "CASE WHEN l.k THEN NULL ELSE " + expression + " END";
  }

  /** Every user any cell of the candidate nominates (lower case, as the reader keeps them), sorted. */
  static Set<String> nominatedUsers(PolicyConfig config) {
    Set<String> out = new TreeSet<>();
    for (MatrixRow row : config.matrix()) {
      if (row.defaultCell() != null) {
        out.addAll(row.defaultCell().nominatedUsers());
      }
      for (Cell c : row.cells().values()) {
        out.addAll(c.nominatedUsers());
      }
    }
    return out;
  }

  private static String literals(Set<String> values) {
    StringBuilder b = new StringBuilder();
    for (String v : values) {
      b.append(b.length() == 0 ? "" : ", ").append('\'').append(v.replace("'", "''")).append('\'');
    }
    return b.toString();
  }
}
