package org.schoolgate.alerts;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.schoolgate.policy.content.ContentTheme;
import org.schoolgate.policy.download.FileKind;
import org.schoolgate.policy.search.AlertPolicy;
import org.schoolgate.policy.search.DownloadAlerts;
import org.schoolgate.policy.search.Theme;
import org.schoolgate.policy.search.ThemeMatch;
import org.schoolgate.policy.search.ThemeSetting;
import org.schoolgate.store.Alert;
import org.schoolgate.store.AlertTally;
import org.schoolgate.store.NewAlert;

/**
 * The built-in rules, tuned by the policy's {@code alerts:} section ({@link AlertPolicy}, read per
 * event so a reload applies at once):
 * <ul>
 *   <li>a search term matching a safeguarding theme → {@code search-<theme>} (the theme's
 *       severity, DSL), for allowed and blocked requests alike;
 *   <li>content analysis that alerted or blocked (a page, an AI tool's prompt or answer) →
 *       {@code content-<theme>} (the theme's severity, DSL) with the URL, the top phrases and,
 *       for AI tools, the prompt and the answer's start;
 *   <li>an attempt at an illegal category → {@code illegal-category} (critical, DSL, at once);
 *   <li>repeated blocked attempts by one person in one category within a window →
 *       {@code repeated-attempts} (warning, DSL, once per window);
 *   <li>circumvention — category {@code filter-bypass}, a tunnel check, or a refused internal
 *       destination (rule {@code internal-destination}: the proxy host, the school's network,
 *       cloud metadata) → {@code circumvention} (warning, technicians, once per person per
 *       window);
 *   <li>a burst of blocked requests (any category) by one person → {@code block-burst} (warning,
 *       technicians, once per window);
 *   <li>blocked downloads (rule {@code download:<kind>}) → {@code blocked-downloads} (warning, to the
 *       technicians or the DSL as {@code alerts.downloads.to} says): the threshold of them by one
 *       person within the window (any kinds, once per window; the same URL again within seconds is
 *       one attempt), and at once for one of a kind in {@code at-once}.
 * </ul>
 * DNS queries answered by the filtering resolver feed the same rules, with two differences: the
 * resolver's own answers (rules {@code dns-*}: the DNS-over-HTTPS canary, HTTPS records withheld,
 * refusals) are the device's doing and count for nothing; and a person's lookups of one blocked
 * name count once per repeated-attempts window, because browsers and operating systems look a
 * name up again and again (A and AAAA, prefetching, every time the answer's TTL runs out), and a
 * DSL counts visits. Within that window the first lookup raises what a request would (an illegal
 * category at once, circumvention for a filter-bypass name, one attempt towards repeated attempts
 * and the burst); a request through the proxy for the same host within seconds of it is the same
 * visit (see {@link #ONE_VISIT}).
 *
 * <p>Times are the events' own; the state is kept per person (and category) and pruned as event time
 * moves on. With an {@link AlertTally} (several nodes on PostgreSQL) the two threshold rules count
 * the other nodes' attempts too ({@link SharedCounts}: the alert engine's thread publishes this
 * node's counts and reads the others' about once a second, then {@link #othersRead} checks the
 * thresholds again), and a node claims the person's window in the database before it alerts, so
 * attempts spread over the nodes raise one alert per window; when the claim cannot be made (the
 * database down) the node alerts anyway — a duplicate rather than a loss. Thread-safe: {@link #evaluate} holds a lock while it runs (the engine's thread and,
 * when its queue is full, the caller's).
 */
public final class AlertRules {
  /** Tunnel-check rules that mean someone is getting round the filter. */
  static final Set<String> TUNNEL_RULES = Set.of("sni-mismatch", "not-tls", "ech", "ip-literal", "missing-sni");
  static final String BYPASS_CATEGORY = "filter-bypass";
  /** Rules of the resolver's own answers (not a person's attempt): {@code dns-canary}, {@code dns-https-record}. */
  static final String RESOLVER_RULE_PREFIX = "dns-";
  /** The proxy refused the address a request would have connected to. */
  static final String DESTINATION_RULE = "internal-destination";
  static final String ILLEGAL_CATEGORY = "illegal-category";
  static final String REPEATED_ATTEMPTS = "repeated-attempts";
  static final String BLOCK_BURST = "block-burst";
  static final String CIRCUMVENTION = "circumvention";
  static final String BLOCKED_DOWNLOADS = "blocked-downloads";
  /** The rule of a download refused for its file kind: {@code download:<kind>}. */
  static final String DOWNLOAD_RULE = "download";
  private static final String SEARCH_PREFIX = "search-";
  /** Content analysis alerts: {@code content-<theme>}. */
  static final String CONTENT_PREFIX = "content-";
  /**
   * Blocked requests by one person to one host within this long are one attempt: a browser asks
   * several times for one blocked page (the page, its favicon, retries), and a DSL counts visits.
   */
  static final Duration ONE_VISIT = Duration.ofSeconds(30);
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("EEE d MMM yyyy HH:mm:ss");
  private static final int PRUNE_EVERY = 1024;

  private final Supplier<AlertPolicy> policy;
  private final ReentrantLock lock = new ReentrantLock();
  /** who + '\0' + category → recent blocked attempts not yet alerted on. */
  private final Map<String, Repeats> repeats = new HashMap<>();
  /** who → recent blocked requests of any category not yet alerted on. */
  private final Map<String, Repeats> bursts = new HashMap<>();
  /** who → recent blocked downloads not yet alerted on. */
  private final Map<String, Repeats> downloads = new HashMap<>();
  /** who → end of the circumvention window already alerted on. */
  private final Map<String, Instant> circumvention = new HashMap<>();
  /** who + '\0' + name → end of the window in which further DNS lookups of the name are echoes. */
  private final Map<String, Instant> lookups = new HashMap<>();
  private int sincePrune;
  /** Null: one node, counts in memory only. */
  private final AlertTally tally;
  private final SharedCounts shared;
  /** The latest event time seen: "now" for checks after the other nodes' counts are read. */
  private Instant lastEvent;

  /** Rules tuned by {@code settings} alone ({@link AlertSettings#toPolicy()}). */
  public AlertRules(AlertSettings settings) {
    AlertPolicy fixed = settings.toPolicy();
    this.policy = () -> fixed;
    this.tally = null;
    this.shared = null;
  }

  /**
   * Rules tuned by the current policy: {@code policy} is asked once per event (e.g.
   * {@code () -> holder.current().alertPolicy()}); when it returns null the {@code fallback}
   * settings apply.
   */
  public AlertRules(AlertSettings fallback, Supplier<AlertPolicy> policy) {
    this(fallback, policy, null);
  }

  /**
   * As {@link #AlertRules(AlertSettings, Supplier)}, the threshold rules counting across the nodes
   * that share {@code tally} (null: this node alone).
   */
  public AlertRules(AlertSettings fallback, Supplier<AlertPolicy> policy, AlertTally tally) {
    Objects.requireNonNull(policy, "policy");
    this.tally = tally;
    this.shared = tally == null ? null : new SharedCounts();
    AlertPolicy fixed = fallback.toPolicy();
    this.policy = () -> {
      AlertPolicy p = policy.get();
      return p == null ? fixed : p;
    };
  }

  /** The policy the rules read now. */
  AlertPolicy policy() {
    return policy.get();
  }

  /** The alerts {@code event} raises (often none), under the current policy. */
  public List<NewAlert> evaluate(AccessInput event) {
    return evaluate(event, policy.get());
  }

  /** The alerts {@code event} raises (often none), under {@code p}. */
  public List<NewAlert> evaluate(AccessInput event, AlertPolicy p) {
    lock.lock();
    try {
      return evaluateLocked(event, p);
    } finally {
      lock.unlock();
    }
  }

  private List<NewAlert> evaluateLocked(AccessInput event, AlertPolicy p) {
    List<NewAlert> out = new ArrayList<>(1);
    if (event.search() != null) {
      for (ThemeMatch m : p.match(event.search())) {
        ThemeSetting setting = p.setting(m.theme());
        if (setting.enabled()) {
          out.add(search(event, m, setting));
        }
      }
    }
    if (event.content() != null) {
      NewAlert c = content(event);
      if (c != null) {
        out.add(c);
      }
    }
    if (!event.blocked()) {
      return out;
    }
    if (lastEvent == null || event.time().isAfter(lastEvent)) {
      lastEvent = event.time();
    }
    if (event.dnsQuery() && !firstLookup(event, p)) {
      return out;
    }
    if ("illegal".equals(event.level()) || "illegal-category".equals(event.ruleName())) {
      out.add(illegal(event));
    }
    for (String category : event.categories()) {
      NewAlert repeated = repeated(event, category, p);
      if (repeated != null) {
        out.add(repeated);
      }
    }
    if (event.categories().contains(BYPASS_CATEGORY) || TUNNEL_RULES.contains(event.ruleName())
        || DESTINATION_RULE.equals(event.ruleName())) {
      NewAlert c = circumvention(event, p);
      if (c != null) {
        out.add(c);
      }
    }
    NewAlert burst = burst(event, p);
    if (burst != null) {
      out.add(burst);
    }
    if (DOWNLOAD_RULE.equals(event.ruleName()) && !event.dnsQuery()) {
      NewAlert d = download(event, p);
      if (d != null) {
        out.add(d);
      }
    }
    if (++sincePrune >= PRUNE_EVERY) {
      sincePrune = 0;
      pruneLocked(event.time(), p);
    }
    return out;
  }

  /**
   * True when a blocked DNS lookup counts as an attempt: not one of the resolver's own answers,
   * and the first of this person's lookups of this name within the repeated-attempts window.
   */
  private boolean firstLookup(AccessInput e, AlertPolicy p) {
    if (e.rule() != null && e.rule().startsWith(RESOLVER_RULE_PREFIX)) {
      return false;
    }
    String key = e.who() + '\0' + e.host();
    Instant until = lookups.get(key);
    if (until != null && e.time().isBefore(until)) {
      return false;
    }
    lookups.put(key, e.time().plus(p.repeatWindow()));
    return true;
  }

  /** Every kind of alert these rules raise: a fixed set, so each has its meter from the start. */
  static List<String> kinds() {
    List<String> kinds = new java.util.ArrayList<>(List.of(ILLEGAL_CATEGORY, REPEATED_ATTEMPTS, BLOCK_BURST,
        CIRCUMVENTION, BLOCKED_DOWNLOADS));
    for (Theme theme : Theme.values()) {
      kinds.add(searchKind(theme));
    }
    for (ContentTheme theme : ContentTheme.values()) {
      kinds.add(CONTENT_PREFIX + theme.configName());
    }
    return List.copyOf(kinds);
  }

  private static String searchKind(Theme theme) {
    return SEARCH_PREFIX + theme.configName();
  }

  private NewAlert search(AccessInput e, ThemeMatch m, ThemeSetting setting) {
    String theme = m.theme().configName();
    String subject = "Search about " + theme + " by " + person(e) + " at " + local(e, e.time()) + ": \""
        + e.search() + "\"";
    String details = "who: " + person(e) + "\nclient: " + e.client() + "\nwhen: " + local(e, e.time())
        + "\ntheme: " + theme + "\nterm: " + e.search() + "\nmatched: " + m.phrase() + "\nurl: " + e.url()
        + "\naction: " + e.action();
    String key = searchKind(m.theme()) + ":" + e.time().toEpochMilli() + ":" + e.client() + ":"
        + Integer.toHexString(e.search().hashCode()) + Integer.toHexString(String.valueOf(e.url()).hashCode());
    return alert(Alert.Severity.valueOf(setting.severity().name()), searchKind(m.theme()), Alert.Audience.DSL, subject,
        details, e, key);
  }

  /**
   * A page or an AI tool's answer (or prompt) over a threshold whose action alerts or blocks:
   * {@code content-<theme>} for the DSL at the theme's severity, with the URL, the top phrases,
   * what was done, and for an AI tool the prompt and the start of the answer. Logged-only verdicts
   * and failed analyses raise nothing (the access line has them).
   */
  private NewAlert content(AccessInput e) {
    AccessInput.Content c = e.content();
    ContentTheme theme = c.theme() == null ? null : ContentTheme.fromConfigName(c.theme());
    if (theme == null || !("alert".equals(c.action()) || "block".equals(c.action()))) {
      return null;
    }
    String done = "block".equals(c.action()) ? (c.cut() ? "cut short" : "blocked")
        : c.liftedBy() != null ? "shown (allowed by the " + c.liftedBy() + "), would have been blocked" : "shown";
    String what = c.ai() ? "AI chat about " : "Page about ";
    String subject = what + theme.configName() + " " + done + " for " + person(e) + " at " + local(e, e.time())
        + ": " + e.host();
    StringBuilder details = new StringBuilder("who: " + person(e) + "\nclient: " + e.client() + "\nwhen: "
        + local(e, e.time()) + "\nurl: " + e.url() + "\ntheme: " + theme.configName() + "\nscore: " + c.score()
        + " (threshold " + c.threshold() + ")\nmatched: " + String.join(", ", c.phrases()) + "\naction: " + done);
    if (c.prompt() != null) {
      details.append("\nprompt: ").append(c.prompt());
    }
    if (c.answer() != null && !c.answer().isEmpty()) {
      details.append("\nanswer: ").append(c.answer());
    }
    String key = CONTENT_PREFIX + theme.configName() + ":" + e.time().toEpochMilli() + ":" + e.client() + ":"
        + Integer.toHexString(String.valueOf(e.url()).hashCode());
    return alert(Alert.Severity.valueOf(theme.severity().name()), CONTENT_PREFIX + theme.configName(),
        Alert.Audience.DSL, subject, details.toString(), e, key);
  }

  private NewAlert illegal(AccessInput e) {
    String subject = "Illegal content attempted by " + person(e) + " at " + local(e, e.time()) + ": "
        + e.host() + " (" + String.join(", ", e.categories()) + ")";
    String details = "who: " + person(e) + "\nclient: " + e.client() + "\nwhen: " + local(e, e.time())
        + "\nurl: " + e.url() + "\ncategories: " + String.join(", ", e.categories()) + "\nrule: " + e.rule();
    String key = "illegal:" + e.time().toEpochMilli() + ":" + e.client() + ":" + Integer.toHexString(
        String.valueOf(e.url()).hashCode());
    return alert(Alert.Severity.CRITICAL, ILLEGAL_CATEGORY, Alert.Audience.DSL, subject, details, e, key);
  }

  private NewAlert repeated(AccessInput e, String category, AlertPolicy p) {
    Duration window = p.repeatWindow();
    Repeats r = repeats.computeIfAbsent(e.who() + '\0' + category, k -> new Repeats(e.who(), category));
    if (!r.count(e, window)) {
      return null;
    }
    return tripRepeated(r, e, e.time(), p);
  }

  /** The repeated-attempts alert when {@code r} (and the other nodes) reached the threshold at {@code now}. */
  private NewAlert tripRepeated(Repeats r, AccessInput e, Instant now, AlertPolicy p) {
    String category = r.category;
    Duration window = p.repeatWindow();
    int others = others(r, now, window);
    if (r.attempts.size() + others < p.thresholdFor(category) || !claim(r, now, window)) {
      return null;
    }
    Instant windowStart = r.attempts.peekFirst().time();
    StringBuilder details = new StringBuilder("who: " + person(e) + "\nclient: " + e.client()
        + "\ncategory: " + category + "\nattempts:");
    for (AccessInput a : r.attempts) {
      details.append("\n  ").append(local(a, a.time())).append("  ").append(a.url());
    }
    if (others > 0) {
      details.append("\n  and ").append(others).append(" on other nodes");
    }
    int count = r.attempts.size() + others;
    r.attempts.clear();
    String subject = count + " blocked attempts at " + category + " by " + person(e)
        + " within " + minutes(window) + " (from " + local(e, windowStart) + ")";
    String key = "repeated:" + e.who() + ":" + category + ":" + windowStart.toEpochMilli();
    return alert(Alert.Severity.WARNING, REPEATED_ATTEMPTS, Alert.Audience.DSL, subject, details.toString(), e,
        key);
  }

  private NewAlert burst(AccessInput e, AlertPolicy p) {
    Duration window = p.burstWindow();
    Repeats r = bursts.computeIfAbsent(e.who(), k -> new Repeats(e.who(), null));
    if (!r.count(e, window)) {
      return null;
    }
    return tripBurst(r, e, e.time(), p);
  }

  /** The block-burst alert when {@code r} (and the other nodes) reached the threshold at {@code now}. */
  private NewAlert tripBurst(Repeats r, AccessInput e, Instant now, AlertPolicy p) {
    Duration window = p.burstWindow();
    int others = others(r, now, window);
    if (r.attempts.size() + others < p.burstThreshold() || !claim(r, now, window)) {
      return null;
    }
    Instant windowStart = r.attempts.peekFirst().time();
    Map<String, Integer> hosts = new java.util.LinkedHashMap<>();
    for (AccessInput a : r.attempts) {
      hosts.merge(String.valueOf(a.host()), 1, Integer::sum);
    }
    if (others > 0) {
      hosts.put("(on other nodes)", others);
    }
    int count = r.attempts.size() + others;
    r.attempts.clear();
    StringBuilder details = new StringBuilder("who: " + person(e) + "\nclient: " + e.client() + "\nfrom: "
        + local(e, windowStart) + "\nto: " + local(e, e.time()) + "\nblocked requests: " + count + "\nhosts:");
    hosts.forEach((h, n) -> details.append("\n  ").append(h).append("  ×").append(n));
    String subject = count + " blocked requests by " + person(e) + " within " + minutes(window) + " (from "
        + local(e, windowStart) + ")";
    String key = "burst:" + e.who() + ":" + windowStart.toEpochMilli();
    return alert(Alert.Severity.WARNING, BLOCK_BURST, Alert.Audience.TECHNICIANS, subject, details.toString(), e,
        key);
  }

  /**
   * A blocked download: the threshold alert when this one reaches it, else the at-once alert for
   * a kind the school marked (not for the same URL again within seconds), else nothing.
   */
  private NewAlert download(AccessInput e, AlertPolicy p) {
    DownloadAlerts d = p.downloads();
    FileKind kind = FileKind.fromConfigName(e.rule().substring(DOWNLOAD_RULE.length() + 1));
    Repeats r = downloads.computeIfAbsent(e.who(), k -> new Repeats("downloads|" + k, null, true));
    AccessInput before = r.lastSeen;
    r.lastSeen = e;
    if (r.count(e, d.window())) {
      NewAlert many = tripDownloads(r, e, e.time(), p);
      if (many != null) {
        return many;
      }
    }
    boolean again = before != null && Objects.equals(before.url(), e.url())
        && e.time().isBefore(before.time().plus(ONE_VISIT));
    if (!d.alertsAtOnce(kind) || again) {
      return null;
    }
    String subject = "Blocked download of " + kindName(kind) + " by " + person(e) + " at " + local(e, e.time())
        + ": " + e.host();
    String details = "who: " + person(e) + "\nclient: " + e.client() + "\nwhen: " + local(e, e.time())
        + "\nurl: " + e.url() + "\nkind: " + kind.configName() + "\nrule: " + e.rule()
        + "\nevery blocked download of this kind alerts (alerts.downloads.at-once)";
    String key = "download:" + e.who() + ":" + e.time().toEpochMilli() + ":"
        + Integer.toHexString(String.valueOf(e.url()).hashCode());
    return alert(Alert.Severity.WARNING, BLOCKED_DOWNLOADS, audience(d), subject, details, e, key);
  }

  /** The blocked-downloads alert when {@code r} (and the other nodes) reached the threshold at {@code now}. */
  private NewAlert tripDownloads(Repeats r, AccessInput e, Instant now, AlertPolicy p) {
    DownloadAlerts d = p.downloads();
    int others = others(r, now, d.window());
    if (r.attempts.size() + others < d.threshold() || !claim(r, now, d.window())) {
      return null;
    }
    Instant windowStart = r.attempts.peekFirst().time();
    StringBuilder details = new StringBuilder("who: " + person(e) + "\nclient: " + e.client() + "\nfrom: "
        + local(e, windowStart) + "\nto: " + local(e, e.time()) + "\nblocked downloads:");
    for (AccessInput a : r.attempts) {
      details.append("\n  ").append(local(a, a.time())).append("  ").append(a.rule()).append("  ").append(a.url());
    }
    if (others > 0) {
      details.append("\n  and ").append(others).append(" on other nodes");
    }
    int count = r.attempts.size() + others;
    r.attempts.clear();
    String subject = count + " blocked downloads by " + person(e) + " within " + minutes(d.window()) + " (from "
        + local(e, windowStart) + ")";
    String key = "downloads:" + e.who() + ":" + windowStart.toEpochMilli();
    return alert(Alert.Severity.WARNING, BLOCKED_DOWNLOADS, audience(d), subject, details.toString(), e, key);
  }

  private static Alert.Audience audience(DownloadAlerts d) {
    return d.to() == DownloadAlerts.To.DSL ? Alert.Audience.DSL : Alert.Audience.TECHNICIANS;
  }

  private static String kindName(FileKind kind) {
    return kind == null ? "a file" : switch (kind) {
      case EXECUTABLE -> "a program";
      case INSTALLER -> "an installer";
      case SCRIPT -> "a script";
      case DISK_IMAGE -> "a disk image";
      case ARCHIVE -> "an archive";
    };
  }

  private NewAlert circumvention(AccessInput e, AlertPolicy p) {
    Instant until = circumvention.get(e.who());
    if (until != null && e.time().isBefore(until)) {
      return null;
    }
    circumvention.put(e.who(), e.time().plus(p.circumventionWindow()));
    String how = e.categories().contains(BYPASS_CATEGORY) ? "a filter-bypass site"
        : DESTINATION_RULE.equals(e.ruleName())
            ? "an address inside the school's network or on the filter itself"
            : "tunnel check " + e.ruleName();
    String subject = "Possible filter circumvention by " + person(e) + " at " + local(e, e.time()) + ": " + how
        + " (" + e.host() + ")";
    String details = "who: " + person(e) + "\nclient: " + e.client() + "\nwhen: " + local(e, e.time())
        + "\nurl: " + e.url() + "\nrule: " + e.rule() + "\ncategories: " + String.join(", ", e.categories())
        + "\nfurther hits within " + minutes(p.circumventionWindow()) + " are not alerted again";
    String key = "circumvention:" + e.who() + ":" + e.time().toEpochMilli();
    return alert(Alert.Severity.WARNING, CIRCUMVENTION, Alert.Audience.TECHNICIANS, subject, details, e, key);
  }

  private static String minutes(Duration d) {
    long seconds = d.toSeconds();
    return seconds % 60 == 0 ? (seconds / 60) + " minutes" : seconds + " seconds";
  }

  private static NewAlert alert(Alert.Severity severity, String kind, Alert.Audience audience, String subject,
      String details, AccessInput e, String key) {
    String who = e.who() + (e.group() == null ? "" : " (" + e.group() + ")");
    return new NewAlert(severity, kind, audience, truncate(subject, NewAlert.MAX_SUBJECT), details, who,
        null, truncate(key, NewAlert.MAX_KEY));
  }

  private static String person(AccessInput e) {
    String who = e.user() != null && !e.user().isBlank() ? e.user() : "client " + e.client();
    return e.group() == null ? who : who + " (" + e.group() + ")";
  }

  private static String local(AccessInput e, Instant t) {
    return TIME.format(t.atZone(e.zone()));
  }

  private static String truncate(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max - 1) + "…";
  }

  /** Forgets attempts and quiet periods that ended before {@code now} minus a window. */
  void prune(Instant now) {
    lock.lock();
    try {
      pruneLocked(now, policy.get());
    } finally {
      lock.unlock();
    }
  }

  private void pruneLocked(Instant now, AlertPolicy p) {
    Duration longest = p.repeatWindow().compareTo(p.burstWindow()) >= 0 ? p.repeatWindow() : p.burstWindow();
    Instant horizon = now.minus(longest);
    for (Map<String, Repeats> map : List.of(repeats, bursts)) {
      for (Iterator<Repeats> it = map.values().iterator(); it.hasNext(); ) {
        Repeats r = it.next();
        while (!r.attempts.isEmpty() && r.attempts.peekFirst().time().isBefore(horizon)) {
          r.attempts.removeFirst();
        }
        if (r.attempts.isEmpty() && (r.quietUntil == null || r.quietUntil.isBefore(now))) {
          it.remove();
        }
      }
    }
    Instant downloadHorizon = now.minus(p.downloads().window());
    for (Iterator<Repeats> it = downloads.values().iterator(); it.hasNext(); ) {
      Repeats r = it.next();
      r.forget(downloadHorizon);
      if (r.attempts.isEmpty() && (r.quietUntil == null || r.quietUntil.isBefore(now))
          && (r.lastSeen == null || r.lastSeen.time().isBefore(now.minus(ONE_VISIT)))) {
        it.remove();
      }
    }
    circumvention.values().removeIf(until -> until.isBefore(now));
    lookups.values().removeIf(until -> until.isBefore(now));
  }

  /** People and categories with state kept (for tests of pruning). */
  int tracked() {
    lock.lock();
    try {
      return repeats.size() + bursts.size() + downloads.size() + circumvention.size() + lookups.size();
    } finally {
      lock.unlock();
    }
  }

  /** The other nodes' attempts for {@code r} in the window ending at {@code now} (0 with one node). */
  private int others(Repeats r, Instant now, Duration window) {
    return shared == null ? 0 : shared.others(r.counter, now, window);
  }

  /**
   * Makes {@code r} quiet until its window ends; with several nodes, only if this node claims the
   * window first (else quiet until the claimed window ends, its attempts alerted on by another
   * node). True: alert.
   */
  private boolean claim(Repeats r, Instant now, Duration window) {
    Instant until = r.attempts.peekFirst().time().plus(window);
    if (tally != null) {
      try {
        if (tally.claim(r.counter, now, until) instanceof AlertTally.Held held) {
          r.quietUntil = held.quietUntil();
          r.attempts.clear();
          return false;
        }
      } catch (RuntimeException e) {
        org.slf4j.LoggerFactory.getLogger(AlertRules.class).warn(
            "could not claim an alert window with the other nodes ({}); alerting from this node", e.toString());
      }
    }
    r.quietUntil = until;
    return true;
  }

  /** This node's attempts to publish to the other nodes (none with one node); forgotten here. */
  List<AlertTally.Count> drainCounted() {
    lock.lock();
    try {
      return shared == null ? List.of() : shared.drain();
    } finally {
      lock.unlock();
    }
  }

  /** Takes back counts {@link #drainCounted} gave that could not be published. */
  void unpublished(List<AlertTally.Count> counts) {
    lock.lock();
    try {
      if (shared != null) {
        shared.unpublish(counts);
      }
    } finally {
      lock.unlock();
    }
  }

  /** The latest event time seen, or null before any event. */
  Instant lastEvent() {
    lock.lock();
    try {
      return lastEvent;
    } finally {
      lock.unlock();
    }
  }

  /**
   * The earliest bucket the other nodes' counts matter from (the longest window before the latest
   * event), or null before any event.
   */
  Instant othersSince() {
    lock.lock();
    try {
      if (lastEvent == null) {
        return null;
      }
      AlertPolicy p = policy.get();
      Duration longest = p.repeatWindow().compareTo(p.burstWindow()) >= 0 ? p.repeatWindow() : p.burstWindow();
      if (p.downloads().window().compareTo(longest) > 0) {
        longest = p.downloads().window();
      }
      return SharedCounts.bucket(lastEvent.minus(longest));
    } finally {
      lock.unlock();
    }
  }

  /**
   * Takes the other nodes' counts just read and checks again the thresholds of the people whose
   * counts changed and who have attempts here (a node with none leaves the alert to one that has):
   * the alerts that raises, at the latest event's time.
   */
  List<NewAlert> othersRead(List<AlertTally.Count> read) {
    lock.lock();
    try {
      if (shared == null) {
        return List.of();
      }
      java.util.Set<String> changed = shared.othersRead(read);
      if (changed.isEmpty() || lastEvent == null) {
        return List.of();
      }
      AlertPolicy p = policy.get();
      List<NewAlert> out = new ArrayList<>(1);
      for (Repeats r : List.copyOf(repeats.values())) {
        NewAlert a = recheck(r, p.repeatWindow(), changed, p, true);
        if (a != null) {
          out.add(a);
        }
      }
      for (Repeats r : List.copyOf(bursts.values())) {
        NewAlert a = recheck(r, p.burstWindow(), changed, p, false);
        if (a != null) {
          out.add(a);
        }
      }
      for (Repeats r : List.copyOf(downloads.values())) {
        if (changed.contains(r.counter) && (r.quietUntil == null || !lastEvent.isBefore(r.quietUntil))) {
          r.forget(lastEvent.minus(p.downloads().window()));
          AccessInput last = r.attempts.peekLast();
          NewAlert a = last == null ? null : tripDownloads(r, last, lastEvent, p);
          if (a != null) {
            out.add(a);
          }
        }
      }
      return out;
    } finally {
      lock.unlock();
    }
  }

  private NewAlert recheck(Repeats r, Duration window, java.util.Set<String> changed, AlertPolicy p,
      boolean repeated) {
    if (!changed.contains(r.counter) || (r.quietUntil != null && lastEvent.isBefore(r.quietUntil))) {
      return null;
    }
    r.forget(lastEvent.minus(window));
    AccessInput last = r.attempts.peekLast();
    if (last == null) {
      return null;
    }
    return repeated ? tripRepeated(r, last, lastEvent, p) : tripBurst(r, last, lastEvent, p);
  }

  /**
   * Recent attempts in a sliding window, and the end of the window already alerted on; with
   * several nodes each counted attempt is also counted in {@link SharedCounts}.
   */
  private final class Repeats {
    final Deque<AccessInput> attempts = new ArrayDeque<>();
    /** The name of these counts shared with other nodes: {@code repeated|who|category}, {@code burst|who}. */
    final String counter;
    final String category;
    /** The same visit is the same URL (downloads), not only the same host. */
    final boolean byUrl;
    Instant quietUntil;
    /** The latest event seen, counted or not (downloads: a retry of one URL is not alerted twice). */
    AccessInput lastSeen;

    Repeats(String who, String category) {
      this(category == null ? "burst|" + who : "repeated|" + who + "|" + category, category, false);
    }

    Repeats(String counter, String category, boolean byUrl) {
      this.category = category;
      this.counter = counter;
      this.byUrl = byUrl;
    }

    /** Adds {@code e}: false when it does not count (already alerted for this window, or the same visit). */
    boolean count(AccessInput e, Duration window) {
      if (quietUntil != null && e.time().isBefore(quietUntil)) {
        return false; // already alerted for this window
      }
      forget(e.time().minus(window));
      AccessInput last = attempts.peekLast();
      if (last != null && (byUrl ? Objects.equals(last.url(), e.url()) : Objects.equals(last.host(), e.host()))
          && e.time().isBefore(last.time().plus(ONE_VISIT))) {
        return false; // the same page again within seconds: its favicon, a retry, a reload
      }
      attempts.addLast(e);
      if (shared != null) {
        shared.counted(counter, e.time());
      }
      return true;
    }

    /** Forgets attempts at or before {@code from}. */
    void forget(Instant from) {
      while (!attempts.isEmpty() && !attempts.peekFirst().time().isAfter(from)) {
        attempts.removeFirst();
      }
    }
  }
}
