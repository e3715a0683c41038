package org.schoolgate.reports.dryrun;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.schoolgate.alerts.AccessInput;
import org.schoolgate.policy.CategoryId;
import org.schoolgate.policy.Decision;
import org.schoolgate.policy.GroupId;
import org.schoolgate.policy.PolicySnapshot;
import org.schoolgate.policy.RequestFacts;

/**
 * Decides each distinct logged request ({@link GroupingSql#REDECIDE} row) with the candidate
 * and counts it as often as it was logged: unchanged, newly blocked or newly allowed, per
 * category and group, with the most frequent URLs of each direction as samples.
 */
final class Tally {
  /** URLs kept per category, group and direction. */
  static final int SAMPLES = DryRunJob.SAMPLES;
  /** Distinct URLs counted per category, group and direction when choosing the samples. */
  static final int SAMPLE_CANDIDATES = 10_000;

  private final PolicySnapshot candidate;
  private final Map<String, GroupId> groups = new HashMap<>();
  private final Map<String, Change> changes = new HashMap<>();
  private long unchanged;
  private long toBlocked;
  private long toAllowed;

  Tally(PolicySnapshot candidate) {
    this.candidate = candidate;
  }

  /** The changes in one category for one group. */
  private static final class Change {
    long toBlocked;
    long toAllowed;
    final Map<String, Long> blockedUrls = new HashMap<>();
    final Map<String, Long> allowedUrls = new HashMap<>();
  }

  /** Decides the row at {@code at} (an instant with the row's active schedules); its count. */
  long decide(ResultSet r, Instant at) throws SQLException {
    long n = r.getLong(GroupingSql.COUNT);
    String groupName = r.getString(GroupingSql.GROUP);
    GroupId group = groupName == null ? new GroupId("unknown") : groups.computeIfAbsent(groupName, GroupId::new);
    String host = r.getString(GroupingSql.HOST);
    boolean tunnel = r.getBoolean(GroupingSql.TUNNEL);
    String path = r.getString(GroupingSql.PATH);
    String query = r.getString(GroupingSql.QUERY);
    String pathAndQuery = tunnel || path == null ? "" : query == null ? path : path + "?" + query;
    Decision d = candidate.decide(new RequestFacts(group, r.getString(GroupingSql.USER), host, pathAndQuery, at));
    boolean wasBlocked = r.getBoolean(GroupingSql.BLOCKED);
    if (d.blocked() == wasBlocked) {
      unchanged += n;
      return n;
    }
    String category;
    if (d.blocked()) {
      toBlocked += n;
      CategoryId dc = d.decidingCategory();
      category = dc != null ? dc.value() : d.rule().logName();
    } else {
      toAllowed += n;
      category = r.getString(GroupingSql.CATEGORY);
    }
    String g = groupName == null ? "(no group)" : groupName;
    Change c = changes.computeIfAbsent(category + "\u0000" + g, k -> new Change());
    String url = AccessInput.url(tunnel ? "CONNECT" : "GET", r.getString(GroupingSql.SCHEME), host,
        r.getInt(GroupingSql.PORT), path, query);
    Map<String, Long> urls = d.blocked() ? c.blockedUrls : c.allowedUrls;
    if (d.blocked()) {
      c.toBlocked += n;
    } else {
      c.toAllowed += n;
    }
    if (urls.containsKey(url) || urls.size() < SAMPLE_CANDIDATES) {
      urls.merge(url, n, Long::sum);
    }
    return n;
  }

  /** The result, with {@code requests} read of which {@code kept} were kept as logged. */
  DryRun.Result result(long requests, long kept) {
    List<DryRun.Change> out = new ArrayList<>();
    for (Map.Entry<String, Change> e : changes.entrySet()) {
      String[] key = e.getKey().split("\u0000", 2);
      Change c = e.getValue();
      List<String> samples = new ArrayList<>();
      addMostFrequent(c.blockedUrls, samples);
      addMostFrequent(c.allowedUrls, samples);
      out.add(new DryRun.Change(key[0], key[1], c.toBlocked, c.toAllowed, List.copyOf(samples)));
    }
    out.sort(Comparator.comparingLong((DryRun.Change ch) -> ch.allowedToBlocked() + ch.blockedToAllowed())
        .reversed().thenComparing(DryRun.Change::category).thenComparing(DryRun.Change::group));
    return new DryRun.Result(requests, requests - kept, kept, unchanged, toBlocked, toAllowed, out);
  }

  /** Up to {@link #SAMPLES} of {@code urls} not yet in {@code samples}, most frequent first, then by URL. */
  private static void addMostFrequent(Map<String, Long> urls, List<String> samples) {
    List<Map.Entry<String, Long>> sorted = new ArrayList<>(urls.entrySet());
    sorted.sort(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()));
    int added = 0;
    for (Map.Entry<String, Long> e : sorted) {
      if (added == SAMPLES) {
        break;
      }
      if (!samples.contains(e.getKey())) {
        samples.add(e.getKey());
        added++;
      }
    }
  }
}
