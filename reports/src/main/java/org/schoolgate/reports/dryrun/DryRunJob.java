package org.schoolgate.reports.dryrun;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;
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
 * <p>Progress: DuckDB reads the day files one at a time ({@code stage reading}), and the share
 * of their bytes read fills the first {@value #READ_SHARE} of the bar (reading is most of the
 * run: see benchmarks/README.md; DuckDB's own estimate stays at 0 for a filtered Parquet scan, so
 * it is not used); while deciding ({@code stage deciding}), the combinations decided, out of
 * all, fill the rest (each takes about as long; {@code processed} counts the requests they
 * stand for).
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
  /** The distinct combinations decided (known once the log is read). */
  volatile long distinct;
  /** The combinations decided so far. */
  volatile long decided;
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
      List<LogSource> files = eachFile(source);
      long bytes = 0;
      for (LogSource f : files) {
        bytes += size(f);
      }
      long read = 0;
      for (int i = 0; i < files.size(); i++) {
        if (!execute(c, sql.groups(files.get(i), from, to, i == 0))) {
          return null;
        }
        read += size(files.get(i));
        readFraction = bytes == 0 ? (i + 1.0) / files.size() : (double) read / bytes;
      }
      if (!execute(c, GroupingSql.MERGE)) {
        return null;
      }
      readFraction = 1.0;
      try (Statement s = c.createStatement(); ResultSet r = s.executeQuery(GroupingSql.COUNTS)) {
        r.next();
        kept = r.getLong(2);
        processed = kept;
        total = r.getLong(1);
        distinct = r.getLong(3);
      }
      stage = "deciding";
      try (PreparedStatement s = c.prepareStatement(GroupingSql.REDECIDE)) {
        running = s;
        if (cancelled) {
          return null;
        }
        try (ResultSet r = s.executeQuery()) {
          long rows = 0;
          long done = kept;
          while (r.next()) {
            long mask = r.getLong(GroupingSql.MASK);
            done += tally.decide(r, instants.getOrDefault(mask, from));
            if (++rows % PROGRESS_EVERY == 0) {
              processed = done;
              decided = rows;
              if (cancelled) {
                return null;
              }
            }
          }
          processed = done;
          decided = rows;
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
      return !cancelled;
    } finally {
      running = null;
    }
  }

  /** {@code source} one file at a time (itself when it has no files: the empty relation). */
  private static List<LogSource> eachFile(LogSource source) {
    List<LogSource> out = new ArrayList<>();
    source.parquet().forEach(p -> out.add(new LogSource(List.of(p), List.of())));
    source.jsonLines().forEach(j -> out.add(new LogSource(List.of(), List.of(j))));
    return out.isEmpty() ? List.of(source) : out;
  }

  /** The bytes of the files of {@code source} (0 when they cannot be read: then files count). */
  private static long size(LogSource source) {
    long n = 0;
    for (Path f : source.parquet()) {
      n += sizeOf(f);
    }
    for (Path f : source.jsonLines()) {
      n += sizeOf(f);
    }
    return n;
  }

  private static long sizeOf(Path f) {
    try {
      return Files.size(f);
    } catch (IOException e) {
      return 0;
    }
  }

  /** The share of the whole run done, 0 to 1 (see the class comment). */
  double progress() {
    if ("reading".equals(stage)) {
      return READ_SHARE * readFraction;
    }
    long all = distinct;
    double share = all <= 0 ? 1.0 : Math.min(1.0, (double) decided / all);
    return READ_SHARE + (1 - READ_SHARE) * share;
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
