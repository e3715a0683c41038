package org.schoolgate.reports.traffic;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.schoolgate.reports.Count;
import org.schoolgate.reports.Period;
import org.schoolgate.reports.ReportException;
import org.schoolgate.reports.Viewer;
import org.schoolgate.reports.logdb.DaySummary;
import org.schoolgate.reports.logdb.LogDatabase;
import org.schoolgate.reports.logdb.Rollup;
import org.schoolgate.reports.logdb.Sql;

/**
 * Blocked requests over time, the most blocked sites and filter bypasses, each one query over the
 * period's day files. Requests only: the filtering resolver's DNS lines are not counted here (a
 * page load would count twice). A blocked request counts once, under the category that decided
 * it ({@link Sql#DECIDING_CATEGORY}).
 */
public final class TrafficReports {
  /** The most series points a report returns (a year by hour would be 8,784 per series). */
  static final int MAX_BUCKETS = 2000;

  private final LogDatabase db;

  public TrafficReports(LogDatabase db) {
    this.db = db;
  }

  /**
   * Blocked requests by bucket, group and category.
   *
   * @param buckets the start of each bucket, oldest first (local times in the school's zone)
   * @param series one per group and category with a count per bucket
   * @param byCategory totals per category, largest first
   * @param byGroup totals per group, largest first
   */
  public record BlockedOverTime(Period period, String bucket, List<ZonedDateTime> buckets, List<Series> series,
      List<Total> byCategory, List<Total> byGroup, Count total) {}

  /** One line of a chart: a group's blocks in one category, per bucket. */
  public record Series(String group, String category, List<Count> counts, Count total) {}

  /** A total for one label. */
  public record Total(String label, Count count) {}

  public BlockedOverTime blocked(Viewer viewer, Period period, Bucket bucket) {
    long points = switch (bucket) {
      case HOUR -> java.time.Duration.between(period.from(), period.to()).toHours();
      case DAY -> java.time.Duration.between(period.from(), period.to()).toDays();
      case WEEK -> java.time.Duration.between(period.from(), period.to()).toDays() / 7;
    };
    if (points > MAX_BUCKETS) {
      throw ReportException.invalid("bucket", "a period of " + period.from() + " to " + period.to() + " by "
          + bucket.apiName() + " is " + points + " points (expected: at most " + MAX_BUCKETS
          + "; choose a longer bucket)");
    }
    // from the hourly summaries of whole finished days, and the lines of the rest (DaySummary)
    String sql = "SELECT epoch_ms(date_trunc('" + bucket.apiName() + "', hour)) AS b, \"group\" AS g, category AS c,"
        + " sum(n)::BIGINT AS n FROM " + rollup(period).relation(DaySummary.HOURS) + " WHERE action = 'block' GROUP BY ALL";
    TreeMap<Long, Integer> bucketIndex = new TreeMap<>();
    record Row(long bucket, String group, String category, long n) {}
    List<Row> rows = new ArrayList<>();
    try (Connection c = db.connect(); PreparedStatement s = c.prepareStatement(sql); ResultSet r = s.executeQuery()) {
      while (r.next()) {
        Row row = new Row(r.getLong(1), r.getString(2), r.getString(3), r.getLong(4));
        rows.add(row);
        bucketIndex.put(row.bucket, 0);
      }
    } catch (SQLException e) {
      throw unreadable(e);
    }
    // every bucket of the period, also the empty ones, so a chart's axis is even
    List<ZonedDateTime> starts = bucketStarts(period, bucket);
    bucketIndex.clear();
    for (int i = 0; i < starts.size(); i++) {
      bucketIndex.put(starts.get(i).toInstant().toEpochMilli(), i);
    }
    Map<String, long[]> bySeries = new TreeMap<>();
    Map<String, Long> byCategory = new TreeMap<>();
    Map<String, Long> byGroup = new TreeMap<>();
    long total = 0;
    for (Row row : rows) {
      Map.Entry<Long, Integer> at = bucketIndex.floorEntry(row.bucket);
      int index = at == null ? 0 : at.getValue();
      bySeries.computeIfAbsent(row.group + "\u0000" + row.category, k -> new long[starts.size()])[index] += row.n;
      byCategory.merge(row.category, row.n, Long::sum);
      byGroup.merge(row.group, row.n, Long::sum);
      total += row.n;
    }
    List<Series> series = new ArrayList<>();
    for (Map.Entry<String, long[]> e : bySeries.entrySet()) {
      String[] key = e.getKey().split("\u0000", 2);
      List<Count> counts = new ArrayList<>(starts.size());
      long sum = 0;
      for (long n : e.getValue()) {
        counts.add(Count.of(n, viewer));
        sum += n;
      }
      series.add(new Series(key[0], key[1], counts, Count.of(sum, viewer)));
    }
    return new BlockedOverTime(period, bucket.apiName(), starts, series, totals(byCategory, viewer),
        totals(byGroup, viewer), Count.of(total, viewer));
  }

  /**
   * The most blocked sites.
   *
   * @param people how many different people (user, else client address) were blocked there
   */
  public record Site(String host, String category, Count blocked, Count people) {}

  public record TopSites(Period period, List<Site> sites, Count blockedRequests) {}

  public TopSites topBlocked(Viewer viewer, Period period, int limit) {
    // from the day summaries of whole finished days and the lines of the rest (DaySummary); a
    // site's category is the one most of its blocks were decided by (ties: the first by name)
    Rollup rollup = rollup(period);
    String bySite = rollup.relation(DaySummary.SITES);
    String sql = "WITH s AS (SELECT host, who, category, sum(n)::BIGINT AS n FROM " + bySite + " GROUP BY ALL),"
        + " c AS (SELECT host, category FROM (SELECT host, category, sum(n) AS n FROM s GROUP BY ALL)"
        + " QUALIFY row_number() OVER (PARTITION BY host ORDER BY n DESC, category) = 1)"
        + " SELECT s.host, any_value(c.category), sum(s.n)::BIGINT AS n, count(DISTINCT s.who) AS people"
        + " FROM s JOIN c USING (host) GROUP BY s.host ORDER BY n DESC, s.host LIMIT " + limit;
    String totalSql = "SELECT coalesce(sum(n), 0)::BIGINT FROM " + rollup.relation(DaySummary.HOURS)
        + " WHERE action = 'block'";
    List<Site> sites = new ArrayList<>();
    long total;
    try (Connection c = db.connect(); PreparedStatement s = c.prepareStatement(sql);
        PreparedStatement t = c.prepareStatement(totalSql)) {
      try (ResultSet r = s.executeQuery()) {
        while (r.next()) {
          sites.add(new Site(r.getString(1), r.getString(2), Count.of(r.getLong(3), viewer),
              Count.of(r.getLong(4), viewer)));
        }
      }
      try (ResultSet r = t.executeQuery()) {
        r.next();
        total = r.getLong(1);
      }
    } catch (SQLException e) {
      throw unreadable(e);
    }
    return new TopSites(period, sites, Count.of(total, viewer));
  }

  /**
   * Filter bypasses: {@code bypass-used} (allowed by an approved filter bypass), {@code
   * bypass-site} (a blocked request to a site in the {@code filter-bypass} category: VPNs, proxies,
   * DNS over HTTPS), {@code tunnel-check} (a CONNECT refused by a tunnel check: SNI mismatch,
   * missing SNI, not TLS, Encrypted ClientHello, an IP address), {@code internal-destination}.
   *
   * @param people the people with most attempts (user, else client address); only for viewers
   *     who see names, else empty
   */
  public record Bypasses(Period period, List<Total> byKind, List<Total> byGroup, List<Person> people, Count total) {}

  /** One person's bypass attempts. */
  public record Person(String who, String group, Count attempts, List<String> kinds) {}

  static final String BYPASS_KIND = Sql.BYPASS_KIND;

  public Bypasses bypasses(Viewer viewer, Period period, int limit) {
    String src = rollup(period).relation(DaySummary.BYPASSES);
    Map<String, Long> byKind = new LinkedHashMap<>();
    Map<String, Long> byGroup = new TreeMap<>();
    List<Person> people = new ArrayList<>();
    long total = 0;
    try (Connection c = db.connect()) {
      try (PreparedStatement s = c.prepareStatement("SELECT kind, \"group\", sum(n)::BIGINT FROM " + src
          + " GROUP BY ALL ORDER BY 1, 2"); ResultSet r = s.executeQuery()) {
        while (r.next()) {
          byKind.merge(r.getString(1), r.getLong(3), Long::sum);
          byGroup.merge(r.getString(2), r.getLong(3), Long::sum);
          total += r.getLong(3);
        }
      }
      if (viewer.seesNames()) {
        try (PreparedStatement s = c.prepareStatement("WITH k AS (SELECT who, \"group\", kind, sum(n) AS n FROM "
            + src + " GROUP BY ALL), g AS (SELECT who, \"group\" FROM (SELECT who, \"group\", sum(n) AS n FROM k"
            + " GROUP BY ALL) QUALIFY row_number() OVER (PARTITION BY who ORDER BY n DESC, \"group\") = 1)"
            + " SELECT k.who, any_value(g.\"group\"), sum(k.n)::BIGINT AS total, list(DISTINCT k.kind ORDER BY k.kind)"
            + " FROM k JOIN g USING (who) GROUP BY k.who ORDER BY total DESC, k.who LIMIT " + limit);
            ResultSet r = s.executeQuery()) {
          while (r.next()) {
            List<String> kinds = new ArrayList<>();
            for (Object k : (Object[]) r.getArray(4).getArray()) {
              kinds.add(String.valueOf(k));
            }
            people.add(new Person(r.getString(1), r.getString(2), Count.of(r.getLong(3), viewer), kinds));
          }
        }
      }
    } catch (SQLException e) {
      throw unreadable(e);
    }
    return new Bypasses(period, totals(byKind, viewer), totals(byGroup, viewer), people, Count.of(total, viewer));
  }

  private Rollup rollup(Period period) {
    try {
      return db.rollup(period);
    } catch (IOException e) {
      throw ReportException.unavailable("cannot list the access log in " + db.dir() + ": " + e.getMessage(), e);
    }
  }

  static ReportException unreadable(SQLException e) {
    return ReportException.unavailable("the access log could not be read: " + e.getMessage(), e);
  }

  private static List<Total> totals(Map<String, Long> counts, Viewer viewer) {
    return counts.entrySet().stream()
        .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
        .map(e -> new Total(e.getKey(), Count.of(e.getValue(), viewer))).toList();
  }

  /** The start of every bucket that overlaps the period, in the school's zone. */
  static List<ZonedDateTime> bucketStarts(Period period, Bucket bucket) {
    ZonedDateTime t = period.from().atZone(period.zone());
    t = switch (bucket) {
      case HOUR -> t.truncatedTo(java.time.temporal.ChronoUnit.HOURS);
      case DAY -> t.toLocalDate().atStartOfDay(period.zone());
      case WEEK -> t.toLocalDate().with(java.time.temporal.TemporalAdjusters.previousOrSame(java.time.DayOfWeek.MONDAY))
          .atStartOfDay(period.zone());
    };
    List<ZonedDateTime> starts = new ArrayList<>();
    Instant end = period.to();
    while (t.toInstant().isBefore(end)) {
      starts.add(t);
      t = switch (bucket) {
        case HOUR -> t.plusHours(1);
        case DAY -> t.plusDays(1);
        case WEEK -> t.plusWeeks(1);
      };
    }
    return starts;
  }
}
