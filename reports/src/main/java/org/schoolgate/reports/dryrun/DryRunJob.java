package org.schoolgate.reports.dryrun;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.schoolgate.policy.CategoryId;
import org.schoolgate.policy.Decision;
import org.schoolgate.policy.GroupId;
import org.schoolgate.policy.PolicySnapshot;
import org.schoolgate.policy.RequestFacts;
import org.schoolgate.reports.logdb.LogDatabase;
import org.schoolgate.reports.logdb.LogSource;
import org.schoolgate.reports.logdb.Sql;

/**
 * One dry run's work: reads the period's logged requests (requests only, not DNS lines) in time
 * order and decides each again with the candidate, from the logged group, user, host, path and
 * query, and time (the candidate has no unblocks). Requests whose logged rule is not about the
 * URL — tunnel checks, a refused internal destination, an approved unblock or filter bypass — are
 * kept as logged: the candidate's {@code decide} does not see what decided them.
 */
final class DryRunJob {
  /** URLs kept per category, group and direction. */
  static final int SAMPLES = 5;
  static final Set<String> KEPT_RULES = Set.of("unblock", "filter-bypass", "tunnel-port", "ip-literal",
      "sni-mismatch", "missing-sni", "not-tls", "ech", "internal-destination");
  private static final int PROGRESS_EVERY = 8192;

  private final PolicySnapshot candidate;
  private final LogSource source;
  private final Instant from;
  private final Instant to;
  volatile long total;
  volatile long processed;
  volatile boolean cancelled;
  private volatile Statement running;

  DryRunJob(PolicySnapshot candidate, LogSource source, Instant from, Instant to) {
    this.candidate = candidate;
    this.source = source;
    this.from = from;
    this.to = to;
  }

  /** Counts for one category and group. */
  private static final class Tally {
    long toBlocked;
    long toAllowed;
    final List<String> samples = new ArrayList<>();
    int blockedSamples;
    int allowedSamples;
  }

  /** Runs the job on {@code db}; null when cancelled. */
  DryRun.Result run(LogDatabase db) throws SQLException {
    String requests = source.requests();
    String where = " WHERE " + Sql.between(from, to);
    long requestsRead = 0;
    long kept = 0;
    long unchanged = 0;
    long toBlocked = 0;
    long toAllowed = 0;
    Map<String, Tally> tallies = new HashMap<>();
    Map<String, GroupId> groups = new HashMap<>();
    try (Connection c = db.connect()) {
      try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT count(*) FROM " + requests + where)) {
        r.next();
        total = r.getLong(1);
      }
      String sql = "SELECT epoch_ms(time), \"group\", \"user\", host, method, path, query, action, rule, "
          + Sql.DECIDING_CATEGORY + ", scheme, port FROM " + requests + where;
      try (PreparedStatement s = c.prepareStatement(sql)) {
        running = s;
        if (cancelled) {
          return null;
        }
        try (ResultSet r = s.executeQuery()) {
          while (r.next()) {
            requestsRead++;
            if ((requestsRead & (PROGRESS_EVERY - 1)) == 0) {
              processed = requestsRead;
              if (cancelled) {
                return null;
              }
            }
            String rule = r.getString(9);
            String ruleName = rule == null ? "" : rule.indexOf(':') < 0 ? rule : rule.substring(0, rule.indexOf(':'));
            String host = r.getString(4);
            if (KEPT_RULES.contains(ruleName) || host == null) {
              kept++;
              continue;
            }
            String groupName = r.getString(2);
            GroupId group = groupName == null ? new GroupId("unknown")
                : groups.computeIfAbsent(groupName, GroupId::new);
            String method = r.getString(5);
            String path = r.getString(6);
            String query = r.getString(7);
            String pathAndQuery = "CONNECT".equals(method) || path == null ? ""
                : query == null ? path : path + "?" + query;
            Decision d = candidate.decide(new RequestFacts(group, r.getString(3), host, pathAndQuery,
                Instant.ofEpochMilli(r.getLong(1))));
            boolean wasBlocked = "block".equals(r.getString(8));
            if (d.blocked() == wasBlocked) {
              unchanged++;
              continue;
            }
            String category;
            if (d.blocked()) {
              toBlocked++;
              CategoryId dc = d.decidingCategory();
              category = dc != null ? dc.value() : d.rule().logName();
            } else {
              toAllowed++;
              category = r.getString(10);
            }
            String g = groupName == null ? "(no group)" : groupName;
            Tally t = tallies.computeIfAbsent(category + "\u0000" + g, k -> new Tally());
            String url = org.schoolgate.alerts.AccessInput.url(method, r.getString(11), host, r.getInt(12), path,
                query);
            if (d.blocked()) {
              t.toBlocked++;
              if (t.blockedSamples < SAMPLES && !t.samples.contains(url)) {
                t.samples.add(url);
                t.blockedSamples++;
              }
            } else {
              t.toAllowed++;
              if (t.allowedSamples < SAMPLES && !t.samples.contains(url)) {
                t.samples.add(url);
                t.allowedSamples++;
              }
            }
          }
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
    processed = requestsRead;
    List<DryRun.Change> changes = new ArrayList<>();
    for (Map.Entry<String, Tally> e : tallies.entrySet()) {
      String[] key = e.getKey().split("\u0000", 2);
      Tally t = e.getValue();
      changes.add(new DryRun.Change(key[0], key[1], t.toBlocked, t.toAllowed, List.copyOf(t.samples)));
    }
    changes.sort(Comparator.comparingLong((DryRun.Change ch) -> ch.allowedToBlocked() + ch.blockedToAllowed())
        .reversed().thenComparing(DryRun.Change::category).thenComparing(DryRun.Change::group));
    return new DryRun.Result(requestsRead, requestsRead - kept, kept, unchanged, toBlocked, toAllowed, changes);
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
