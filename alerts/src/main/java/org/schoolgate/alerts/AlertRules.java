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
import java.util.Set;
import org.schoolgate.store.Alert;
import org.schoolgate.store.NewAlert;

/**
 * The built-in rules: an attempt at an illegal category (critical, DSL, at once); repeated blocked
 * attempts by one person in one category within a window (warning, DSL, once per window);
 * circumvention — category {@code filter-bypass} or a tunnel check (warning, technicians, once per
 * person per window). Times are the events' own; the state is kept per person and category and
 * pruned as event time moves on. Not thread-safe: the engine's one thread calls it.
 */
public final class AlertRules {
  /** Tunnel-check rules that mean someone is getting round the filter. */
  static final Set<String> TUNNEL_RULES = Set.of("sni-mismatch", "not-tls", "ech", "ip-literal", "missing-sni");
  static final String BYPASS_CATEGORY = "filter-bypass";
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("EEE d MMM yyyy HH:mm:ss");
  private static final int PRUNE_EVERY = 1024;

  private final AlertSettings settings;
  /** who + '\0' + category → recent blocked attempts not yet alerted on. */
  private final Map<String, Repeats> repeats = new HashMap<>();
  /** who → end of the circumvention window already alerted on. */
  private final Map<String, Instant> circumvention = new HashMap<>();
  private int sincePrune;

  public AlertRules(AlertSettings settings) {
    this.settings = settings;
  }

  /** The alerts {@code event} raises (often none). */
  public List<NewAlert> evaluate(AccessInput event) {
    if (!event.blocked()) {
      return List.of();
    }
    List<NewAlert> out = new ArrayList<>(1);
    if ("illegal".equals(event.level()) || "illegal-category".equals(event.ruleName())) {
      out.add(illegal(event));
    }
    for (String category : event.categories()) {
      NewAlert repeated = repeated(event, category);
      if (repeated != null) {
        out.add(repeated);
      }
    }
    if (event.categories().contains(BYPASS_CATEGORY) || TUNNEL_RULES.contains(event.ruleName())) {
      NewAlert c = circumvention(event);
      if (c != null) {
        out.add(c);
      }
    }
    if (++sincePrune >= PRUNE_EVERY) {
      sincePrune = 0;
      prune(event.time());
    }
    return out;
  }

  private NewAlert illegal(AccessInput e) {
    String subject = "Illegal content attempted by " + person(e) + " at " + local(e, e.time()) + ": "
        + e.host() + " (" + String.join(", ", e.categories()) + ")";
    String details = "who: " + person(e) + "\nclient: " + e.client() + "\nwhen: " + local(e, e.time())
        + "\nurl: " + e.url() + "\ncategories: " + String.join(", ", e.categories()) + "\nrule: " + e.rule();
    String key = "illegal:" + e.time().toEpochMilli() + ":" + e.client() + ":" + Integer.toHexString(
        String.valueOf(e.url()).hashCode());
    return alert(Alert.Severity.CRITICAL, "illegal-category", Alert.Audience.DSL, subject, details, e, key);
  }

  private NewAlert repeated(AccessInput e, String category) {
    Duration window = settings.repeatWindow();
    Repeats r = repeats.computeIfAbsent(e.who() + '\0' + category, k -> new Repeats());
    if (r.quietUntil != null && e.time().isBefore(r.quietUntil)) {
      return null; // already alerted for this window
    }
    Instant from = e.time().minus(window);
    while (!r.attempts.isEmpty() && !r.attempts.peekFirst().time().isAfter(from)) {
      r.attempts.removeFirst();
    }
    r.attempts.addLast(e);
    int threshold = settings.thresholdFor(category);
    if (r.attempts.size() < threshold) {
      return null;
    }
    Instant windowStart = r.attempts.peekFirst().time();
    r.quietUntil = windowStart.plus(window);
    StringBuilder details = new StringBuilder("who: " + person(e) + "\nclient: " + e.client()
        + "\ncategory: " + category + "\nattempts:");
    for (AccessInput a : r.attempts) {
      details.append("\n  ").append(local(a, a.time())).append("  ").append(a.url());
    }
    int count = r.attempts.size();
    r.attempts.clear();
    String subject = count + " blocked attempts at " + category + " by " + person(e)
        + " within " + window.toMinutes() + " minutes (from " + local(e, windowStart) + ")";
    String key = "repeated:" + e.who() + ":" + category + ":" + windowStart.toEpochMilli();
    return alert(Alert.Severity.WARNING, "repeated-attempts", Alert.Audience.DSL, subject, details.toString(), e,
        key);
  }

  private NewAlert circumvention(AccessInput e) {
    Instant until = circumvention.get(e.who());
    if (until != null && e.time().isBefore(until)) {
      return null;
    }
    circumvention.put(e.who(), e.time().plus(settings.circumventionWindow()));
    String how = e.categories().contains(BYPASS_CATEGORY) ? "a filter-bypass site" : "tunnel check " + e.ruleName();
    String subject = "Possible filter circumvention by " + person(e) + " at " + local(e, e.time()) + ": " + how
        + " (" + e.host() + ")";
    String details = "who: " + person(e) + "\nclient: " + e.client() + "\nwhen: " + local(e, e.time())
        + "\nurl: " + e.url() + "\nrule: " + e.rule() + "\ncategories: " + String.join(", ", e.categories())
        + "\nfurther hits within " + settings.circumventionWindow().toMinutes() + " minutes are not alerted again";
    String key = "circumvention:" + e.who() + ":" + e.time().toEpochMilli();
    return alert(Alert.Severity.WARNING, "circumvention", Alert.Audience.TECHNICIANS, subject, details, e, key);
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
    Instant horizon = now.minus(settings.repeatWindow());
    for (Iterator<Repeats> it = repeats.values().iterator(); it.hasNext(); ) {
      Repeats r = it.next();
      while (!r.attempts.isEmpty() && r.attempts.peekFirst().time().isBefore(horizon)) {
        r.attempts.removeFirst();
      }
      if (r.attempts.isEmpty() && (r.quietUntil == null || r.quietUntil.isBefore(now))) {
        it.remove();
      }
    }
    circumvention.values().removeIf(until -> until.isBefore(now));
  }

  /** People and categories with state kept (for tests of pruning). */
  int tracked() {
    return repeats.size() + circumvention.size();
  }

  private static final class Repeats {
    final Deque<AccessInput> attempts = new ArrayDeque<>();
    Instant quietUntil;
  }
}
