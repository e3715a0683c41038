package org.schoolgate.reports.staff;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.schoolgate.policy.UnblockScope;
import org.schoolgate.reports.Count;
import org.schoolgate.reports.Period;
import org.schoolgate.reports.Viewer;
import org.schoolgate.store.Alert;
import org.schoolgate.store.AlertStore;
import org.schoolgate.store.AuditRecord;
import org.schoolgate.store.AuditTrail;
import org.schoolgate.store.AuditVisibility;
import org.schoolgate.store.UnblockRecord;
import org.schoolgate.store.UnblockStatus;
import org.schoolgate.store.UnblockStore;

/**
 * Unblocks, alerts and the audit trail over a period, from the store. The store lists at most
 * {@value #STORE_LIMIT} unblocks and alerts (newest first); a period reaching past them says so
 * ({@code complete: false}).
 */
public final class StaffReports {
  static final int STORE_LIMIT = 1000;

  private final UnblockStore unblocks;
  private final AlertStore alerts;
  private final AuditTrail audit;

  public StaffReports(UnblockStore unblocks, AlertStore alerts, AuditTrail audit) {
    this.unblocks = unblocks;
    this.alerts = alerts;
    this.audit = audit;
  }

  /**
   * Unblocks decided in the period.
   *
   * @param granted approved in the period (whatever happened to them since)
   * @param denied denied in the period
   * @param medianHours the median length of the granted ones, in hours
   * @param byCategory granted, by the categories they lifted
   * @param byApprover granted, by who approved
   * @param list the granted ones, newest first
   * @param complete false when the store's list ended before the period's start
   */
  public record Unblocks(Period period, Count granted, Count denied, Count requested, double medianHours,
      double longestHours, List<Total> byCategory, List<Total> byApprover, List<Granted> list, boolean complete) {}

  /** A label and its count. */
  public record Total(String label, Count count) {}

  /**
   * One granted unblock. {@code scope} names groups, and users only for viewers who see names
   * (others read e.g. {@code 2 users}).
   */
  public record Granted(long id, String target, String scope, String categories, boolean sensitive,
      Instant from, Instant until, double hours, String requestedBy, String approvedBy, Instant approvedAt,
      String status, String reason) {}

  public Unblocks unblocks(Viewer viewer, Period period) {
    List<UnblockRecord> all = unblocks.list(new UnblockStore.Query(null, null, STORE_LIMIT));
    boolean complete = all.size() < STORE_LIMIT
        || all.stream().anyMatch(u -> u.requestedAt().isBefore(period.from()));
    List<UnblockRecord> granted = all.stream()
        .filter(u -> u.decidedAt() != null && period.contains(u.decidedAt()) && approved(u.status()))
        .sorted(Comparator.comparing(UnblockRecord::decidedAt).reversed()).toList();
    long denied = all.stream().filter(u -> u.status() == UnblockStatus.DENIED && period.contains(u.decidedAt()))
        .count();
    long requested = all.stream().filter(u -> period.contains(u.requestedAt())).count();
    Map<String, Long> byCategory = new TreeMap<>();
    Map<String, Long> byApprover = new TreeMap<>();
    List<Granted> list = new ArrayList<>();
    double[] hours = new double[granted.size()];
    for (int i = 0; i < granted.size(); i++) {
      UnblockRecord u = granted.get(i);
      double h = Duration.between(u.request().from(), u.request().until()).toMinutes() / 60.0;
      hours[i] = h;
      String categories = u.request().categories() == null || u.request().categories().isBlank()
          ? "(none)" : u.request().categories();
      for (String c : categories.split("\\s*,\\s*")) {
        byCategory.merge(c, 1L, Long::sum);
      }
      byApprover.merge(u.decidedBy() == null ? "(unknown)" : u.decidedBy(), 1L, Long::sum);
      list.add(new Granted(u.id().value(), u.request().target().text(), scope(u.request().scope(), viewer),
          categories, u.request().sensitive(), u.request().from(), u.request().until(), round(h), u.requestedBy(),
          u.decidedBy(), u.decidedAt(), u.status().name().toLowerCase(java.util.Locale.ROOT),
          viewer.seesNames() ? u.request().reason() : null));
    }
    Arrays.sort(hours);
    double median = hours.length == 0 ? 0 : hours.length % 2 == 1 ? hours[hours.length / 2]
        : (hours[hours.length / 2 - 1] + hours[hours.length / 2]) / 2;
    double longest = hours.length == 0 ? 0 : hours[hours.length - 1];
    return new Unblocks(period, Count.of(granted.size(), viewer), Count.of(denied, viewer),
        Count.of(requested, viewer), round(median), round(longest), totals(byCategory, viewer),
        totals(byApprover, viewer), list, complete);
  }

  private static boolean approved(UnblockStatus s) {
    return s == UnblockStatus.APPROVED || s == UnblockStatus.EXPIRED || s == UnblockStatus.REVOKED;
  }

  static String scope(UnblockScope scope, Viewer viewer) {
    List<String> parts = new ArrayList<>();
    if (!scope.groups().isEmpty()) {
      parts.add("groups " + scope.groups().stream().map(Object::toString).sorted().collect(Collectors.joining(", ")));
    }
    if (!scope.users().isEmpty()) {
      parts.add(viewer.seesNames() ? "users " + String.join(", ", new java.util.TreeSet<>(scope.users()))
          : scope.users().size() + (scope.users().size() == 1 ? " user" : " users"));
    }
    if (!scope.subnets().isEmpty()) {
      parts.add("rooms " + String.join(", ", scope.subnets()));
    }
    return parts.isEmpty() ? "everyone" : String.join("; ", parts);
  }

  /**
   * Alerts raised in the period, by kind (the search themes are the kinds {@code search-<theme>}),
   * and how long they waited for someone to acknowledge them.
   */
  public record Alerts(Period period, Count raised, Count acknowledged, Count open, List<Kind> byKind,
      List<Total> bySeverity, Minutes ackMinutes, boolean complete) {}

  /** One kind of alert. {@code theme} is the safeguarding theme for {@code search-*} kinds, else null. */
  public record Kind(String kind, String theme, Count raised, Count acknowledged, Count open, Minutes ackMinutes) {}

  /** Minutes from raised to acknowledged: median, 90th percentile, longest (null when none was acknowledged). */
  public record Minutes(Double median, Double p90, Double longest) {
    static Minutes of(List<Double> values) {
      if (values.isEmpty()) {
        return new Minutes(null, null, null);
      }
      double[] v = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
      return new Minutes(round(percentile(v, 50)), round(percentile(v, 90)), round(v[v.length - 1]));
    }
  }

  public Alerts alerts(Viewer viewer, Period period) {
    List<Alert> all = alerts.list(new AlertStore.Query(null, false, STORE_LIMIT));
    boolean complete = all.size() < STORE_LIMIT || all.stream().anyMatch(a -> a.raisedAt().isBefore(period.from()));
    List<Alert> in = all.stream().filter(a -> period.contains(a.raisedAt())).toList();
    Map<String, List<Alert>> byKind = in.stream().collect(Collectors.groupingBy(a -> a.content().kind(), TreeMap::new,
        Collectors.toList()));
    List<Kind> kinds = new ArrayList<>();
    for (Map.Entry<String, List<Alert>> e : byKind.entrySet()) {
      List<Alert> list = e.getValue();
      long acked = list.stream().filter(Alert::acknowledged).count();
      kinds.add(new Kind(e.getKey(), e.getKey().startsWith("search-") ? e.getKey().substring(7) : null,
          Count.of(list.size(), viewer), Count.of(acked, viewer), Count.of(list.size() - acked, viewer),
          Minutes.of(ackMinutes(list))));
    }
    Map<String, Long> bySeverity = new TreeMap<>();
    for (Alert a : in) {
      bySeverity.merge(a.content().severity().apiName(), 1L, Long::sum);
    }
    long acked = in.stream().filter(Alert::acknowledged).count();
    return new Alerts(period, Count.of(in.size(), viewer), Count.of(acked, viewer), Count.of(in.size() - acked, viewer),
        kinds, totals(bySeverity, viewer), Minutes.of(ackMinutes(in)), complete);
  }

  private static List<Double> ackMinutes(List<Alert> list) {
    return list.stream().filter(Alert::acknowledged)
        .map(a -> Duration.between(a.raisedAt(), a.acknowledgedAt()).toMillis() / 60_000.0).toList();
  }

  /**
   * The audit trail in the period (oldest first, at most {@code limit}) and the whole chain's
   * verification.
   *
   * @param records the records as this viewer may see them
   * @param redacted how many records had their safeguarding details withheld from this viewer
   * @param chain {@code valid} or {@code broken}, with the record count or the first problem
   */
  public record Audit(Period period, List<AuditRecord> records, int redacted, boolean more, Chain chain) {}

  /** The chain's state: {@code valid} with how many records and the head hash, or {@code broken} with the first problem. */
  public record Chain(String status, Long records, String head, Long brokenAt, String problem) {
    public static Chain of(AuditTrail.Verification v) {
      if (v instanceof AuditTrail.Verification.Valid ok) {
        return new Chain("valid", ok.records(), ok.head(), null, null);
      }
      AuditTrail.Verification.Broken b = (AuditTrail.Verification.Broken) v;
      return new Chain("broken", null, null, b.seq(), b.problem());
    }
  }

  public Audit audit(Viewer viewer, Period period, String typePrefix, int limit) {
    List<AuditRecord> stored = audit.query(new AuditTrail.Query(period.from(), period.to(), null, typePrefix, 0,
        limit + 1));
    boolean more = stored.size() > limit;
    List<AuditRecord> records = new ArrayList<>();
    int redacted = 0;
    for (AuditRecord r : more ? stored.subList(0, limit) : stored) {
      AuditRecord shown = viewer.seesNames() ? r : AuditVisibility.redact(r);
      redacted += shown == r ? 0 : 1;
      records.add(shown);
    }
    return new Audit(period, records, redacted, more, Chain.of(audit.verify()));
  }

  private static List<Total> totals(Map<String, Long> counts, Viewer viewer) {
    return counts.entrySet().stream()
        .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
        .map(e -> new Total(e.getKey(), Count.of(e.getValue(), viewer))).toList();
  }

  static double percentile(double[] sorted, int p) {
    int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
  }

  static double round(double v) {
    return Math.round(v * 10) / 10.0;
  }
}
