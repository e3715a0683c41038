package org.schoolgate.alerts.incident;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.schoolgate.store.Actor;
import org.schoolgate.store.Alert;
import org.schoolgate.store.ConsoleLinks;
import org.schoolgate.store.Incident;
import org.schoolgate.store.IncidentStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The weekly digest for the DSL, as plain text: incidents opened, closed and open at the end of
 * the week, opened by severity and by kind, the top themes, each against the previous week
 * (counts and ±%), the incidents still open, and the top blocked categories per policy group from
 * the proxy's access log. Reads the store ({@link IncidentStore#activity}, audited as {@code
 * incident.listed} by {@code system:digest}) and the access-log files: blocks, so call {@link
 * #build} on a background thread ({@link DigestRunner} does).
 *
 * <pre>{@code
 * WeeklyDigest digest = new WeeklyDigest(store.incidents(), accessLogDir);
 * DigestMessage message = digest.build(DigestSchedule.Week.of(LocalDate.of(2026, 11, 16), zone));
 * }</pre>
 */
public final class WeeklyDigest {
  static final Actor ACTOR = Actor.system("digest");
  static final int TOP = 5;
  static final int MAX_OPEN_LISTED = 20;
  private static final Logger log = LoggerFactory.getLogger(WeeklyDigest.class);
  private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("EEE d MMM yyyy", Locale.UK);
  private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("EEE d MMM HH:mm", Locale.UK);

  private final IncidentStore incidents;
  private final Path accessLogDir;
  private final URI console;

  /** {@code accessLogDir}: the proxy's access-log directory (daily {@code access-YYYY-MM-DD.jsonl}). */
  public WeeklyDigest(IncidentStore incidents, Path accessLogDir) {
    this(incidents, accessLogDir, null);
  }

  /**
   * As above, with links to the console at {@code console} (the admin API's public URL): the
   * digest's own page ({@code /digest/<first day>}) and each open incident's ({@code /incidents/N}).
   */
  public WeeklyDigest(IncidentStore incidents, Path accessLogDir, URI console) {
    this.incidents = Objects.requireNonNull(incidents, "incidents");
    this.accessLogDir = Objects.requireNonNull(accessLogDir, "accessLogDir");
    this.console = console;
  }

  /** The digest of {@code week}, compared with the week before. Blocks (JDBC and file reads). */
  public DigestMessage build(DigestSchedule.Week week) {
    DigestSchedule.Week previous = week.previous();
    List<Incident> all = incidents.activity(previous.from(), week.to(), ACTOR);
    Period now = new Period(week, all);
    Period before = new Period(previous, all);

    StringBuilder b = new StringBuilder();
    String range = DAY.format(week.firstDay()) + " to " + DAY.format(week.lastDay());
    b.append("Safeguarding digest for ").append(range).append(" (").append(week.zone().getId()).append(")\n");
    b.append("Compared with the week before (").append(DAY.format(previous.firstDay())).append(" to ")
        .append(DAY.format(previous.lastDay())).append(").\n\n");

    b.append("INCIDENTS\n");
    line(b, "opened", now.opened.size(), before.opened.size());
    line(b, "closed", now.closed.size(), before.closed.size());
    line(b, "open at the end of the week", now.openAtEnd.size(), before.openAtEnd.size());
    b.append('\n');

    b.append("OPENED BY SEVERITY\n");
    for (Alert.Severity s : List.of(Alert.Severity.CRITICAL, Alert.Severity.WARNING, Alert.Severity.INFO)) {
      line(b, s.apiName(), count(now.opened, i -> i.severity() == s), count(before.opened, i -> i.severity() == s));
    }
    b.append('\n');

    Map<String, Long> kindsNow = countBy(now.opened, Incident::kind);
    Map<String, Long> kindsBefore = countBy(before.opened, Incident::kind);
    b.append("OPENED BY KIND\n");
    Set<String> kinds = new TreeSet<>(kindsNow.keySet());
    kinds.addAll(kindsBefore.keySet());
    if (kinds.isEmpty()) {
      b.append("  none\n");
    }
    for (String kind : kinds) {
      line(b, kind, kindsNow.getOrDefault(kind, 0L), kindsBefore.getOrDefault(kind, 0L));
    }
    b.append('\n');

    b.append("TOP THEMES\n");
    List<Map.Entry<String, Long>> top = top(kindsNow);
    if (top.isEmpty()) {
      b.append("  none this week\n");
    }
    for (int i = 0; i < top.size(); i++) {
      Map.Entry<String, Long> e = top.get(i);
      b.append("  ").append(i + 1).append(". ").append(e.getKey()).append(": ").append(e.getValue())
          .append(" incident").append(e.getValue() == 1 ? "" : "s").append(" (")
          .append(change(e.getValue(), kindsBefore.getOrDefault(e.getKey(), 0L))).append(")\n");
    }
    b.append('\n');

    b.append("STILL OPEN AT THE END OF THE WEEK\n");
    List<Incident> open = new ArrayList<>(now.openAtEnd);
    open.sort(Comparator.comparing(Incident::severity).reversed().thenComparing(Incident::openedAt));
    if (open.isEmpty()) {
      b.append("  none\n");
    }
    for (Incident i : open.subList(0, Math.min(open.size(), MAX_OPEN_LISTED))) {
      b.append("  #").append(i.id()).append(' ').append(i.severity().apiName()).append(' ').append(i.state().apiName())
          .append(", ").append(i.who()).append(", ").append(i.kind()).append(", opened ")
          .append(WHEN.format(i.openedAt().atZone(week.zone()))).append(", ")
          .append(i.owner() == null ? "unassigned" : "assigned to " + i.owner()).append(": ").append(i.subject())
          .append('\n');
      if (console != null) {
        b.append("     ").append(ConsoleLinks.absolute(console, ConsoleLinks.incident(i.id().value()))).append('\n');
      }
    }
    if (open.size() > MAX_OPEN_LISTED) {
      b.append("  ... and ").append(open.size() - MAX_OPEN_LISTED).append(" more (")
          .append(console == null ? "the incident inbox" : ConsoleLinks.absolute(console, "/incidents")).append(")\n");
    }
    b.append('\n');

    appendBlocked(b, week, previous);
    if (console != null) {
      b.append("\nOpen this digest in the console: ")
          .append(ConsoleLinks.absolute(console, ConsoleLinks.digest(week.firstDay()))).append('\n');
    }

    String subject = "Schoolgate safeguarding digest " + DAY.format(week.firstDay()) + " to "
        + DAY.format(week.lastDay()) + ": " + now.opened.size() + " opened, " + now.closed.size() + " closed, "
        + now.openAtEnd.size() + " open";
    return new DigestMessage(subject, b.toString());
  }

  private void appendBlocked(StringBuilder b, DigestSchedule.Week week, DigestSchedule.Week previous) {
    b.append("TOP BLOCKED CATEGORIES BY GROUP\n");
    BlockedCategories.Counts now;
    BlockedCategories.Counts before;
    try {
      now = BlockedCategories.read(accessLogDir, week);
      before = BlockedCategories.read(accessLogDir, previous);
    } catch (IOException e) {
      log.warn("the digest could not read the access log in {}: {}", accessLogDir, e.toString());
      b.append("  the access log in ").append(accessLogDir).append(" could not be read: ").append(e.getMessage())
          .append('\n');
      return;
    }
    if (now.byGroup().isEmpty()) {
      b.append("  no blocked requests in the access log this week\n");
    }
    for (Map.Entry<String, Map<String, Long>> group : now.byGroup().entrySet()) {
      String g = group.getKey();
      b.append("  ").append(g).append(": ").append(now.blocks(g)).append(" blocked (")
          .append(change(now.blocks(g), before.blocks(g))).append(")\n");
      Map<String, Long> previousCategories = before.byGroup().getOrDefault(g, Map.of());
      for (Map.Entry<String, Long> c : top(group.getValue())) {
        b.append("    ").append(c.getKey()).append(": ").append(c.getValue()).append(" (")
            .append(change(c.getValue(), previousCategories.getOrDefault(c.getKey(), 0L))).append(")\n");
      }
    }
    if (now.unreadable() > 0) {
      b.append("  (").append(now.unreadable()).append(" unreadable access-log line")
          .append(now.unreadable() == 1 ? "" : "s").append(" skipped)\n");
    }
  }

  private static void line(StringBuilder b, String label, long now, long before) {
    b.append("  ").append(label).append(": ").append(now).append(" (").append(change(now, before)).append(")\n");
  }

  /** {@code previous week 4, +25%}; {@code previous week 0, new}; {@code previous week 3, ±0%}. */
  static String change(long now, long before) {
    String trend;
    if (before == 0) {
      trend = now == 0 ? "±0%" : "new";
    } else {
      long pct = Math.round((now - before) * 100.0 / before);
      trend = pct > 0 ? "+" + pct + "%" : pct < 0 ? pct + "%" : "±0%";
    }
    return "previous week " + before + ", " + trend;
  }

  private static long count(List<Incident> list, Predicate<Incident> p) {
    return list.stream().filter(p).count();
  }

  private static Map<String, Long> countBy(List<Incident> list, Function<Incident, String> key) {
    return list.stream().collect(Collectors.groupingBy(key, TreeMap::new, Collectors.counting()));
  }

  /** The {@value #TOP} largest, ties by name. */
  private static List<Map.Entry<String, Long>> top(Map<String, Long> counts) {
    return counts.entrySet().stream()
        .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
        .limit(TOP).collect(Collectors.toList());
  }

  /** Incidents opened, closed, and open at the end of one week. */
  private static final class Period {
    final List<Incident> opened;
    final List<Incident> closed;
    final List<Incident> openAtEnd;

    Period(DigestSchedule.Week week, List<Incident> all) {
      Instant from = week.from();
      Instant to = week.to();
      opened = all.stream().filter(i -> within(i.openedAt(), from, to)).collect(Collectors.toList());
      closed = all.stream().filter(i -> i.closedAt() != null && within(i.closedAt(), from, to))
          .collect(Collectors.toList());
      openAtEnd = all.stream().filter(i -> i.openedAt().isBefore(to) && (i.closedAt() == null
          || !i.closedAt().isBefore(to))).collect(Collectors.toList());
    }

    private static boolean within(Instant t, Instant from, Instant to) {
      return !t.isBefore(from) && t.isBefore(to);
    }
  }
}
