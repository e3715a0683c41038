package org.schoolgate.reports.dryrun;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;
import org.duckdb.DuckDBPreparedStatement;
import org.duckdb.QueryProgress;
import org.schoolgate.policy.compile.CompiledPolicy;
import org.schoolgate.reports.logdb.LogDatabase;
import org.schoolgate.reports.logdb.LogSource;
import org.schoolgate.reports.logdb.Sql;

/**
 * One dry run's work: the period's logged requests (requests only, not DNS lines) decided again
 * with the candidate, from the logged group, user, host, path and query, and time (the candidate
 * has no unblocks). Requests whose logged rule is not about the URL — tunnel checks, a refused
 * internal destination, an approved unblock or filter bypass — are kept as logged: the
 * candidate's {@code decide} does not see what decided them.
 *
 * <p>Design: a week of a school's log is tens of millions of lines but far fewer distinct
 * requests, so the job does not decide line by line. DuckDB reads the period (Parquet copies
 * where they are current, JSON lines otherwise) and groups it by exactly what the candidate's
 * decision and the result depend on ({@link GroupingSql}): group, host, path and query (none for
 * a CONNECT), the user only when the candidate could nominate them, the candidate's active
 * schedules ({@link TimeBuckets}) instead of the time, the logged action and deciding category,
 * and scheme and port for the sample URLs. Each distinct combination is then decided once and
 * counted as many times as it was logged ({@link Tally}). The counts are those of deciding every
 * line ({@code DryRunTest.groupedCountsEqualPerLineCounts...}).
 *
 * <p>Progress: while DuckDB reads ({@code stage reading}) it is DuckDB's own estimate of the
 * share of the scan done, scaled to the first {@value #READ_SHARE} of the bar (reading is most
 * of the run: see benchmarks/README.md); while deciding ({@code stage deciding}), the requests
 * whose combination has been decided, out of all re-decided requests.
 */
final class DryRunJob {
  /** URLs kept per category, group and direction. */
  static final int SAMPLES = 5;
  static final Set<String> KEPT_RULES = Set.of("unblock", "filter-bypass", "tunnel-port", "ip-literal",
      "sni-mismatch", "missing-sni", "not-tls", "ech", "internal-destination");
  /** The share of the progress bar given to reading the log. */
  static final double READ_SHARE = 0.9;
  private static final int PROGRESS_EVERY = 1024;

  private final CompiledPolicy candidate;
  private final LogSource source;
  private final Instant from;
  private final Instant to;
  volatile String stage = "reading";
  volatile long total;
  volatile long processed;
  volatile long kept;
  volatile boolean cancelled;
  private volatile Statement running;
  private volatile double readFraction;

  DryRunJob(CompiledPolicy candidate, LogSource source, Instant from, Instant to) {
    this.candidate = candidate;
    this.source = source;
    this.from = from;
    this.to = to;
  }

  /** Runs the job on {@code db}; null when cancelled. */
  DryRun.Result run(LogDatabase db) throws SQLException {
    TimeBuckets time = new TimeBuckets(candidate.config(), from, to);
    GroupingSql sql = new GroupingSql(candidate.config(), time);
    Tally tally = new Tally(candidate);
    try (Connection c = db.connect()) {
      try (Statement s = c.createStatement()) {
        s.execute("SET enable_progress_bar = true");
        s.execute("SET enable_progress_bar_print = false");
      }
      Map<Long, Instant> instants = Map.of(0L, from);
      if (time.used()) {
        try (Statement s = c.createStatement()) {
          s.execute(GroupingSql.STEPS_TABLE);
        }
        try (DuckDBAppender a = c.unwrap(DuckDBConnection.class).createAppender(DuckDBConnection.DEFAULT_SCHEMA,
            GroupingSql.STEPS)) {
          time.forEachStep(from, to, (step, mask) -> a.beginRow().append(step).append(mask).endRow());
        }
        instants = time.firstInstants(from, to);
      }
      if (!execute(c, sql.groups(source, from, to))) {
        return null;
      }
      stage = "deciding";
      try (Statement s = c.createStatement(); ResultSet r = s.executeQuery(GroupingSql.COUNTS)) {
        r.next();
        kept = r.getLong(2);
        processed = kept;
        total = r.getLong(1);
      }
      try (PreparedStatement s = c.prepareStatement(GroupingSql.REDECIDE)) {
        running = s;
        if (cancelled) {
          return null;
        }
        try (ResultSet r = s.executeQuery()) {
          int rows = 0;
          long done = kept;
          while (r.next()) {
            long mask = r.getLong(GroupingSql.MASK);
            done += tally.decide(r, instants.getOrDefault(mask, from));
            if (++rows % PROGRESS_EVERY == 0) {
              processed = done;
              if (cancelled) {
                return null;
              }
            }
          }
          processed = done;
        }
      } finally {
        running = null;
      }
    } catch (SQLException e) {
      if (cancelled) {
        return null;
      }
      throw e;
    }
    return tally.result(total, kept);
  }

  /** Runs {@code ddl} cancellably; false when cancelled. */
  private boolean execute(Connection c, String ddl) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(ddl)) {
      running = s;
      if (cancelled) {
        return false;
      }
      s.execute();
      readFraction = 1.0;
      return !cancelled;
    } finally {
      running = null;
    }
  }

  /** The share of the whole run done, 0 to 1 (see the class comment). */
  double progress() {
    if ("reading".equals(stage)) {
      Statement s = running;
      if (s instanceof DuckDBPreparedStatement p) {
        try {
          QueryProgress q = p.getQueryProgress();
          double f = q.getPercentage() / 100.0;
          if (f > readFraction && f <= 1.0) {
            readFraction = f;
          }
        } catch (SQLException | RuntimeException e) {
          // no estimate now: the last one stands
        }
      }
      return READ_SHARE * readFraction;
    }
    long all = total - kept;
    double decided = all <= 0 ? 1.0 : Math.min(1.0, (double) (processed - kept) / all);
    return READ_SHARE + (1 - READ_SHARE) * decided;
  }

  void cancel() {
    cancelled = true;
    Statement s = running;
    if (s != null) {
      try {
        s.cancel();
      } catch (SQLException e) {
        // it finishes by itself at the next progress check
      }
    }
  }
}
