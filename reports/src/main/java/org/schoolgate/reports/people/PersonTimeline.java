package org.schoolgate.reports.people;

import java.io.IOException;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import org.schoolgate.alerts.AccessInput;
import org.schoolgate.policy.search.AlertPolicy;
import org.schoolgate.policy.search.ThemeMatch;
import org.schoolgate.reports.Period;
import org.schoolgate.reports.ReportException;
import org.schoolgate.reports.Viewer;
import org.schoolgate.reports.logdb.LogDatabase;
import org.schoolgate.reports.logdb.Sql;
import org.schoolgate.store.Alert;
import org.schoolgate.store.AlertId;
import org.schoolgate.store.AlertStore;
import org.schoolgate.store.Role;

/**
 * A person's timeline: who may open it, the audit record, the query and the folding.
 *
 * <p>Who: the DSL and senior leaders open anyone's (a user's, or a device's by address); a
 * teacher opens only their own user's; nobody else. Every timeline is audited ({@link
 * PersonViews}) before it is read.
 *
 * <p>Folding, per client address (a user on two devices has two streams): a request {@link
 * WebFurniture} calls furniture goes under the last page of the same client if that page, or its
 * last furniture, was at most {@link #PARENT_WINDOW} before; a request to the same site as the
 * last page within {@link #SAME_SITE_WINDOW} of it is the page's own call and goes under it too
 * (a search is never folded); another connection to the host of the line before it (HTTPS
 * without interception logs one line per connection) within {@link #PARENT_WINDOW} joins that
 * line. Furniture with no page to go under starts, or joins, a {@code background} line for its
 * site.
 */
public final class PersonTimeline {
  /** The most log lines one timeline reads. */
  public static final int MAX_EVENTS = 20_000;
  /** The most furniture listed under one line (all are counted). */
  public static final int MAX_FURNITURE_LISTED = 50;
  /** The longest window. */
  public static final Duration MAX_WINDOW = Duration.ofDays(7);
  /** The window around an alert: ± 1 hour. */
  public static final Duration AROUND = Duration.ofHours(1);
  static final Duration PARENT_WINDOW = Duration.ofSeconds(30);
  static final Duration SAME_SITE_WINDOW = Duration.ofSeconds(3);

  private final LogDatabase db;
  private final Supplier<AlertPolicy> themes;
  private final AlertStore alerts;
  private final PersonViews views;

  public PersonTimeline(LogDatabase db, Supplier<AlertPolicy> themes, AlertStore alerts, PersonViews views) {
    this.db = db;
    this.themes = themes;
    this.alerts = alerts;
    this.views = views;
  }

  /** {@code person}'s activity from {@code from} to {@code to} (at most {@link #MAX_WINDOW}); audited. */
  public Timeline timeline(Viewer viewer, Person person, Instant from, Instant to) {
    return read(viewer, person, from, to, null, null);
  }

  /** The activity of the person {@code alert} names, {@code span} either side of it; audited. */
  public Timeline aroundAlert(Viewer viewer, AlertId id, Duration span) {
    viewer.require("a person's timeline around an alert", Role.DSL, Role.SENIOR_LEADER);
    if (span.isNegative() || span.isZero() || span.multipliedBy(2).compareTo(MAX_WINDOW) > 0) {
      throw ReportException.invalid("span", "span " + span + " is out of range (expected: up to "
          + MAX_WINDOW.dividedBy(2).toHours() + " hours either side, default 1 hour)");
    }
    Alert alert = alerts.get(id).orElseThrow(() -> ReportException.notFound("there is no alert " + id
        + " (GET /api/v1/alerts lists them)"));
    Person person = Person.fromAlert(alert.content().who());
    Instant at = alert.raisedAt();
    return read(viewer, person, at.minus(span), at.plus(span), at, "alert " + id + ": " + alert.content().kind());
  }

  private Timeline read(Viewer viewer, Person person, Instant from, Instant to, Instant focus, String why) {
    if (!viewer.seesNames()) {
      if (!viewer.has(Role.TEACHER)) {
        throw ReportException.forbidden("a person's timeline is for the DSL and senior leaders (teachers see"
            + " their own requests)");
      }
      if (person.user() == null || !viewer.isSelf(person.user())) {
        throw ReportException.forbidden("teachers see only their own requests (user=" + viewer.actor().name()
            + "); pupils' timelines are for the DSL and senior leaders");
      }
    }
    if (Duration.between(from, to).compareTo(MAX_WINDOW) > 0) {
      throw ReportException.invalid("to", "the window " + from + " to " + to + " is longer than "
          + MAX_WINDOW.toDays() + " days (expected: a shorter window)");
    }
    Period period = new Period(from, to, db.zone());
    views.record(viewer, person, from, to, why);
    List<Row> rows = new ArrayList<>();
    String sql = "SELECT epoch_ms(time), event, client, \"user\", \"group\", method, scheme, host, port, path, query,"
        + " categories, action, rule, " + Sql.DECIDING_CATEGORY + ", search, status, contentType, qtype FROM "
        + source(period) + " WHERE " + (person.user() != null ? "lower(\"user\") = lower(?)" : "client = ?")
        + " AND " + Sql.between(from, to) + " ORDER BY time LIMIT " + (MAX_EVENTS + 1);
    try (Connection c = db.connect(); PreparedStatement s = c.prepareStatement(sql)) {
      s.setString(1, person.user() != null ? person.user() : person.client());
      try (ResultSet r = s.executeQuery()) {
        while (r.next()) {
          rows.add(Row.of(r));
        }
      }
    } catch (SQLException e) {
      throw ReportException.unavailable("the access log could not be read: " + e.getMessage(), e);
    }
    boolean truncated = rows.size() > MAX_EVENTS;
    if (truncated) {
      rows = rows.subList(0, MAX_EVENTS);
    }
    List<Timeline.Line> lines = fold(rows, themes.get());
    int pages = (int) lines.stream().filter(l -> l.kind().equals("page")).count();
    return new Timeline(person, from, to, focus, rows.size(), pages, truncated, lines);
  }

  private String source(Period period) {
    try {
      return db.source(period).all();
    } catch (IOException e) {
      throw ReportException.unavailable("cannot list the access log in " + db.dir() + ": " + e.getMessage(), e);
    }
  }

  /** One log line as the timeline needs it. */
  record Row(Instant time, boolean dns, String client, String user, String group, String url, String host,
      String path, String action, String rule, String category, List<String> categories, String search,
      Integer status, String contentType) {

    static Row of(ResultSet r) throws SQLException {
      boolean dns = "dns".equals(r.getString(2));
      String host = r.getString(8);
      String path = r.getString(10);
      String url = dns ? AccessInput.dns(Instant.EPOCH, java.time.ZoneOffset.UTC, null, null, null, host,
          r.getString(19), List.of(), "allow", null, null).url()
          : AccessInput.url(r.getString(6), r.getString(7), host, r.getInt(9), path, r.getString(11));
      List<String> categories = new ArrayList<>();
      Array a = r.getArray(12);
      if (a != null) {
        for (Object o : (Object[]) a.getArray()) {
          categories.add(String.valueOf(o));
        }
      }
      int status = r.getInt(17);
      return new Row(Instant.ofEpochMilli(r.getLong(1)), dns, r.getString(3), r.getString(4), r.getString(5), url,
          host, path, r.getString(13), r.getString(14), r.getString(15), categories, r.getString(16),
          r.wasNull() ? null : status, r.getString(18));
    }
  }

  /** A line being built. */
  private static final class Open {
    final Row head;
    final String kind;
    final String site;
    final List<Timeline.Item> items = new ArrayList<>();
    int count;
    int blocked;
    Instant last;

    Open(Row head, String kind) {
      this.head = head;
      this.kind = kind;
      this.site = WebFurniture.site(head.host);
      this.last = head.time;
    }

    void add(Row r, String why) {
      count++;
      if ("block".equals(r.action)) {
        blocked++;
      }
      if (items.size() < MAX_FURNITURE_LISTED) {
        items.add(new Timeline.Item(r.time, r.url, r.action, why));
      }
      last = r.time;
    }

    boolean recent(Instant t) {
      return !t.isAfter(last.plus(PARENT_WINDOW));
    }
  }

  /** Folds the rows (oldest first) into lines; package-private for the tests. */
  static List<Timeline.Line> fold(List<Row> rows, AlertPolicy themes) {
    List<Open> out = new ArrayList<>();
    Map<String, Open> lastPage = new HashMap<>();
    Map<String, Open> lastLine = new HashMap<>();
    Map<String, Open> background = new HashMap<>();
    for (Row r : rows) {
      String client = r.client == null ? "" : r.client;
      String why = WebFurniture.why(r.host, r.path, r.contentType, r.dns);
      Open page = lastPage.get(client);
      if (page != null && !page.recent(r.time)) {
        page = null;
      }
      if (why == null && r.search == null && page != null
          && !r.time.isAfter(page.head.time.plus(SAME_SITE_WINDOW)) && WebFurniture.site(r.host).equals(page.site)) {
        why = "the page's own request (same site within " + SAME_SITE_WINDOW.toSeconds() + " s)";
      }
      Open previous = lastLine.get(client);
      if (why == null && r.search == null && previous != null && previous.recent(r.time)
          && (r.path == null || r.path.isEmpty()) && r.host != null && r.host.equals(previous.head.host)) {
        why = "another connection to the same site";
        page = previous;
      }
      if (why == null) {
        Open line = new Open(r, "page");
        out.add(line);
        lastPage.put(client, line);
        lastLine.put(client, line);
        continue;
      }
      if (page != null) {
        page.add(r, why);
        continue;
      }
      String key = client + "\u0000" + WebFurniture.site(r.host);
      Open bg = background.get(key);
      if (bg == null || !bg.recent(r.time)) {
        bg = new Open(r, "background");
        out.add(bg);
        background.put(key, bg);
        lastLine.put(client, bg);
        bg.items.add(new Timeline.Item(r.time, r.url, r.action, why));
        bg.count++;
        bg.blocked += "block".equals(r.action) ? 1 : 0;
      } else {
        bg.add(r, why);
      }
    }
    List<Timeline.Line> lines = new ArrayList<>(out.size());
    for (Open o : out) {
      Row h = o.head;
      lines.add(new Timeline.Line(h.time, o.kind, h.client, h.group, h.url, h.host, h.action, h.category,
          h.categories, h.rule, h.status, search(h.search, themes), List.copyOf(o.items), o.count, o.blocked));
    }
    return lines;
  }

  /** The term with the themes it matches, each placed in the text where it can be. */
  static Timeline.Search search(String term, AlertPolicy themes) {
    if (term == null || term.isBlank()) {
      return null;
    }
    List<Timeline.Highlight> highlights = new ArrayList<>();
    String lower = term.toLowerCase(Locale.ROOT);
    for (ThemeMatch m : themes.match(term)) {
      String phrase = m.phrase().toLowerCase(Locale.ROOT);
      int at = lower.indexOf(phrase);
      int start = at < 0 ? 0 : at;
      int end = at < 0 ? term.length() : at + phrase.length();
      highlights.add(new Timeline.Highlight(m.theme().configName(),
          themes.setting(m.theme()).severity().name().toLowerCase(Locale.ROOT), term.substring(start, end), start,
          end));
    }
    return new Timeline.Search(term, highlights);
  }
}
