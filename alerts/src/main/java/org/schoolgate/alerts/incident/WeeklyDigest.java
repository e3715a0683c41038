package org.schoolgate.alerts.incident;

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
import org.schoolgate.store.ConsoleLinks;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.schoolgate.store.Actor;
import org.schoolgate.store.Alert;
import org.schoolgate.store.Incident;
import org.schoolgate.store.IncidentStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The weekly digest for the DSL, as plain text: incidents opened, closed and open at the end of
 * the week, opened by severity and by kind, the top themes, each against the previous week
 * (counts and ±%), the incidents still open, and the top blocked categories per policy group and
 * the use of generative-AI chat tools per group (requests, people, blocked) from the proxy's
 * access log. Reads the store ({@link IncidentStore#activity}, audited as {@code
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
  /** The access-log directories to read: this node's, and with several nodes every node's. */
  private final java.util.concurrent.Callable<List<Path>> logDirs;
  private final String logName;
  /** The console's base address for links, or null (no links). */
  private final URI console;
  /** The policy's generative-AI chat categories, read at each build. */
  private final java.util.function.Supplier<Set<String>> aiCategories;

  /** {@code accessLogDir}: the proxy's access-log directory (daily {@code access-YYYY-MM-DD.jsonl}). */
  public WeeklyDigest(IncidentStore incidents, Path accessLogDir) {
    this(incidents, accessLogDir, null);
  }

  /**
   * As above, with links to the console at {@code console} (the admin API's public URL): each open
   * incident's page and the digest's own page.
   */
  public WeeklyDigest(IncidentStore incidents, Path accessLogDir, URI console) {
    this(incidents, accessLogDir, console, () -> Set.of("ai-chat"));
  }

  /**
   * As above; {@code aiCategories} gives the policy's generative-AI chat categories
   * ({@code content.ai-chat.categories}) whose requests are counted per group.
   */
  public WeeklyDigest(IncidentStore incidents, Path accessLogDir, URI console,
      java.util.function.Supplier<Set<String>> aiCategories) {
    this(incidents, logDirs(Objects.requireNonNull(accessLogDir, "accessLogDir")), accessLogDir.toString(), console,
        aiCategories);
  }

  /**
   * As above with the sample's {@code ai-chat} category, reading the access log from every
   * directory {@code logDirs} lists when the digest is built (each node's access log:
   * {@code reports.node-logs}); {@code logName} names them in messages.
   */
  public WeeklyDigest(IncidentStore incidents, java.util.concurrent.Callable<List<Path>> logDirs, String logName,
      URI console) {
    this(incidents, logDirs, logName, console, () -> Set.of("ai-chat"));
  }

  /** As above, with the policy's generative-AI chat categories {@code aiCategories}. */
  public WeeklyDigest(IncidentStore incidents, java.util.concurrent.Callable<List<Path>> logDirs, String logName,
      URI console, java.util.function.Supplier<Set<String>> aiCategories) {
    this.incidents = Objects.requireNonNull(incidents, "incidents");
    this.logDirs = Objects.requireNonNull(logDirs, "logDirs");
    this.logName = Objects.requireNonNull(logName, "logName");
    this.console = console;
    this.aiCategories = Objects.requireNonNull(aiCategories, "aiCategories");
  }

  private static java.util.concurrent.Callable<List<Path>> logDirs(Path dir) {
    return () -> List.of(dir);
  }

  /** The digest of {@code week}, compared with the week before, as text. Blocks (JDBC and file reads). */
  public DigestMessage build(DigestSchedule.Week week) {
    return render(data(week), console);
  }

  /**
   * The digest of {@code week} as data (what {@link #build} writes as text), for the console and
   * the reports API. Blocks (JDBC and file reads); audited as {@code incident.listed} by
   * {@code system:digest}.
   */
  public DigestData data(DigestSchedule.Week week) {
    DigestSchedule.Week previous = week.previous();
    List<Incident> all = incidents.activity(previous.from(), week.to(), ACTOR);
    Period now = new Period(week, all);
    Period before = new Period(previous, all);

    List<DigestData.Change> bySeverity = new ArrayList<>();
    for (Alert.Severity s : List.of(Alert.Severity.CRITICAL, Alert.Severity.WARNING, Alert.Severity.INFO)) {
      bySeverity.add(new DigestData.Change(s.apiName(), count(now.opened, i -> i.severity() == s),
          count(before.opened, i -> i.severity() == s)));
    }
    Map<String, Long> kindsNow = countBy(now.opened, Incident::kind);
    Map<String, Long> kindsBefore = countBy(before.opened, Incident::kind);
    Set<String> kinds = new TreeSet<>(kindsNow.keySet());
    kinds.addAll(kindsBefore.keySet());
    List<DigestData.Change> byKind = kinds.stream()
        .map(k -> new DigestData.Change(k, kindsNow.getOrDefault(k, 0L), kindsBefore.getOrDefault(k, 0L))).toList();
    List<DigestData.Change> topThemes = top(kindsNow).stream()
        .map(e -> new DigestData.Change(e.getKey(), e.getValue(), kindsBefore.getOrDefault(e.getKey(), 0L))).toList();
    List<Incident> open = new ArrayList<>(now.openAtEnd);
    LogCounts logCounts = fromLog(week, previous);
    open.sort(Comparator.comparing(Incident::severity).reversed().thenComparing(Incident::openedAt));

    return new DigestData(week.firstDay(), week.lastDay(), week.zone(), previous.firstDay(), previous.lastDay(),
        new DigestData.Change("opened", now.opened.size(), before.opened.size()),
        new DigestData.Change("closed", now.closed.size(), before.closed.size()),
        new DigestData.Change("open at the end of the week", now.openAtEnd.size(), before.openAtEnd.size()),
        bySeverity, byKind, topThemes, List.copyOf(open.subList(0, Math.min(open.size(), MAX_OPEN_LISTED))),
        open.size(), logCounts.blocked, logCounts.ai);
  }

  /** What the access log says: blocks per group and category, AI-tool use per group. */
  private record LogCounts(DigestData.Blocked blocked, List<DigestData.GroupAiUse> ai) {}

  private LogCounts fromLog(DigestSchedule.Week week, DigestSchedule.Week previous) {
    BlockedCategories.Counts now;
    BlockedCategories.Counts before;
    try {
      List<Path> dirs = logDirs.call();
      Set<String> ai = Set.copyOf(aiCategories.get());
      now = BlockedCategories.read(dirs, week, ai);
      before = BlockedCategories.read(dirs, previous, ai);
    } catch (Exception e) {
      log.warn("the digest could not read the access log in {}: {}", logName, e.toString());
      return new LogCounts(new DigestData.Blocked(List.of(), 0, "the access log in " + logName
          + " could not be read: " + e.getMessage()), List.of());
    }
    List<DigestData.GroupAiUse> ai = new ArrayList<>();
    for (String g : now.aiByGroup().keySet()) {
      BlockedCategories.AiUse n = now.ai(g);
      BlockedCategories.AiUse b = before.ai(g);
      ai.add(new DigestData.GroupAiUse(g, new DigestData.Change("requests", n.allowed, b.allowed),
          new DigestData.Change("blocked", n.blocked, b.blocked),
          new DigestData.Change("people", n.people.size(), b.people.size())));
    }
    return new LogCounts(blocked(now, before), ai);
  }

  private static DigestData.Blocked blocked(BlockedCategories.Counts now, BlockedCategories.Counts before) {
    List<DigestData.GroupBlocks> groups = new ArrayList<>();
    for (Map.Entry<String, Map<String, Long>> group : now.byGroup().entrySet()) {
      String g = group.getKey();
      Map<String, Long> previousCategories = before.byGroup().getOrDefault(g, Map.of());
      List<DigestData.Change> categories = top(group.getValue()).stream()
          .map(c -> new DigestData.Change(c.getKey(), c.getValue(), previousCategories.getOrDefault(c.getKey(), 0L)))
          .toList();
      groups.add(new DigestData.GroupBlocks(g, new DigestData.Change(g, now.blocks(g), before.blocks(g)),
          categories));
    }
    return new DigestData.Blocked(groups, now.unreadable(), null);
  }

  /** {@code data} as the email's plain text, with links to the {@code console} (may be null: none). */
  static DigestMessage render(DigestData data, URI console) {
    StringBuilder b = new StringBuilder();
    String range = DAY.format(data.firstDay()) + " to " + DAY.format(data.lastDay());
    b.append("Safeguarding digest for ").append(range).append(" (").append(data.zone().getId()).append(")\n");
    b.append("Compared with the week before (").append(DAY.format(data.previousFirstDay())).append(" to ")
        .append(DAY.format(data.previousLastDay())).append(").\n\n");

    b.append("INCIDENTS\n");
    line(b, data.opened());
    line(b, data.closed());
    line(b, data.openAtEnd());
    b.append('\n');

    b.append("OPENED BY SEVERITY\n");
    data.openedBySeverity().forEach(c -> line(b, c));
    b.append('\n');

    b.append("OPENED BY KIND\n");
    if (data.openedByKind().isEmpty()) {
      b.append("  none\n");
    }
    data.openedByKind().forEach(c -> line(b, c));
    b.append('\n');

    b.append("TOP THEMES\n");
    if (data.topThemes().isEmpty()) {
      b.append("  none this week\n");
    }
    for (int i = 0; i < data.topThemes().size(); i++) {
      DigestData.Change e = data.topThemes().get(i);
      b.append("  ").append(i + 1).append(". ").append(e.label()).append(": ").append(e.now())
          .append(" incident").append(e.now() == 1 ? "" : "s").append(" (")
          .append(change(e.now(), e.before())).append(")\n");
    }
    b.append('\n');

    b.append("STILL OPEN AT THE END OF THE WEEK\n");
    if (data.stillOpen().isEmpty()) {
      b.append("  none\n");
    }
    for (Incident i : data.stillOpen()) {
      b.append("  #").append(i.id()).append(' ').append(i.severity().apiName()).append(' ').append(i.state().apiName())
          .append(", ").append(i.who()).append(", ").append(i.kind()).append(", opened ")
          .append(WHEN.format(i.openedAt().atZone(data.zone()))).append(", ")
          .append(i.owner() == null ? "unassigned" : "assigned to " + i.owner()).append(": ").append(i.subject())
          .append('\n');
      if (console != null) {
        b.append("     ").append(ConsoleLinks.absolute(console, ConsoleLinks.incident(i.id().value()))).append('\n');
      }
    }
    if (data.stillOpenTotal() > data.stillOpen().size()) {
      b.append("  ... and ").append(data.stillOpenTotal() - data.stillOpen().size()).append(" more (")
          .append(console == null ? "the incident inbox" : ConsoleLinks.absolute(console, "/incidents")).append(")\n");
    }
    b.append('\n');

    appendBlocked(b, data.blocked());
    appendAiUse(b, data);
    if (console != null) {
      b.append("\nOpen this digest in the console: ")
          .append(ConsoleLinks.absolute(console, ConsoleLinks.digest(data.firstDay()))).append('\n');
    }

    String subject = "Schoolgate safeguarding digest " + DAY.format(data.firstDay()) + " to "
        + DAY.format(data.lastDay()) + ": " + data.opened().now() + " opened, " + data.closed().now() + " closed, "
        + data.openAtEnd().now() + " open";
    return new DigestMessage(subject, b.toString());
  }

  private static void appendBlocked(StringBuilder b, DigestData.Blocked blocked) {
    b.append("TOP BLOCKED CATEGORIES BY GROUP\n");
    if (blocked.problem() != null) {
      b.append("  ").append(blocked.problem()).append('\n');
      return;
    }
    if (blocked.groups().isEmpty()) {
      b.append("  no blocked requests in the access log this week\n");
    }
    for (DigestData.GroupBlocks group : blocked.groups()) {
      b.append("  ").append(group.group()).append(": ").append(group.blocked().now()).append(" blocked (")
          .append(change(group.blocked().now(), group.blocked().before())).append(")\n");
      for (DigestData.Change c : group.topCategories()) {
        b.append("    ").append(c.label()).append(": ").append(c.now()).append(" (")
            .append(change(c.now(), c.before())).append(")\n");
      }
    }
    if (blocked.unreadable() > 0) {
      b.append("  (").append(blocked.unreadable()).append(" unreadable access-log line")
          .append(blocked.unreadable() == 1 ? "" : "s").append(" skipped)\n");
    }
  }

  private static void appendAiUse(StringBuilder b, DigestData data) {
    b.append("\nGENERATIVE-AI TOOL USE BY GROUP\n");
    if (data.blocked().problem() != null) {
      b.append("  ").append(data.blocked().problem()).append('\n');
      return;
    }
    if (data.aiUse().isEmpty()) {
      b.append("  no requests to AI chat tools in the access log this week\n");
    }
    for (DigestData.GroupAiUse g : data.aiUse()) {
      b.append("  ").append(g.group()).append(": ").append(g.requests().now()).append(" request")
          .append(g.requests().now() == 1 ? "" : "s").append(" (").append(change(g.requests().now(),
              g.requests().before())).append("), ").append(g.people().now()).append(" signed-in ")
          .append(g.people().now() == 1 ? "person" : "people").append(" (")
          .append(change(g.people().now(), g.people().before())).append("), ").append(g.blocked().now())
          .append(" blocked (").append(change(g.blocked().now(), g.blocked().before())).append(")\n");
    }
  }

  private static void line(StringBuilder b, DigestData.Change c) {
    line(b, c.label(), c.now(), c.before());
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
