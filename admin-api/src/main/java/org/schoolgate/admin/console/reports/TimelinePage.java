package org.schoolgate.admin.console.reports;

import io.javalin.http.Context;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.schoolgate.admin.console.Times;
import org.schoolgate.admin.console.View;
import org.schoolgate.admin.http.ApiException;
import org.schoolgate.admin.reports.ReportParams;
import org.schoolgate.reports.Reports;
import org.schoolgate.reports.people.Person;
import org.schoolgate.reports.people.Timeline;
import org.schoolgate.store.AlertId;

/**
 * {@code GET /people/timeline}: a person's activity, a page a line, for the DSL and senior
 * leaders. Asked as {@code user=NAME} or {@code client=ADDRESS} with {@code from} and {@code to}
 * (local times; default the hour before now), or {@code alert=ID} with {@code hours} either side
 * (default 1). Without a person it shows only the form, so opening the page audits nothing; every
 * timeline shown is audited by the reports service ({@code history.viewed}).
 */
public final class TimelinePage {
  private final View view;
  private final Optional<Reports> reports;

  public TimelinePage(View view, Optional<Reports> reports) {
    this.view = view;
    this.reports = reports;
  }

  /** A piece of a search term: {@code theme} is set on a phrase a safeguarding theme matched. */
  public record Piece(String text, String theme) {}

  /** A line as the page shows it. */
  public record LineView(String time, boolean page, String url, String group, String client, String action,
      boolean blocked, String category, List<Piece> search, List<String> themes, List<Timeline.Item> furniture,
      int furnitureCount, int furnitureBlocked, boolean focus) {}

  /** The form's fields and, once asked, the timeline. */
  public record TimelineModel(String user, String client, String from, String to, String alert, String hours,
      Timeline timeline, List<LineView> lines, String window, ZoneId zone) {}

  public void show(Context ctx) {
    Reports r = ReportsAccess.require(reports);
    ZoneId zone = r.zone();
    String user = ReportParams.blankToNull(ctx.queryParam("user"));
    String client = ReportParams.blankToNull(ctx.queryParam("client"));
    String alert = ReportParams.blankToNull(ctx.queryParam("alert"));
    String hours = ReportParams.blankToNull(ctx.queryParam("hours"));
    Instant now = r.clock().instant().truncatedTo(ChronoUnit.MINUTES);
    String fromText = ReportParams.blankToNull(ctx.queryParam("from"));
    String toText = ReportParams.blankToNull(ctx.queryParam("to"));
    Timeline timeline = null;
    if (alert != null) {
      long id;
      try {
        id = Long.parseLong(alert);
      } catch (NumberFormatException e) {
        throw ApiException.invalid("alert", "alert '" + alert + "' is not an alert number (expected: e.g. alert=12)");
      }
      long h = ReportParams.number(ctx, "hours", 1, 1, 84);
      timeline = r.aroundAlert(ReportsAccess.viewer(ctx), new AlertId(id), Duration.ofHours(h));
    } else if (user != null || client != null) {
      Instant to = toText == null ? now : ReportParams.time(ctx, "to", zone, r.clock());
      Instant from = fromText == null ? to.minus(Duration.ofHours(1)) : ReportParams.time(ctx, "from", zone, r.clock());
      if (!to.isAfter(from)) {
        throw ApiException.invalid("to", "the end " + Times.when(to, zone) + " is not after the start "
            + Times.when(from, zone) + " (expected: a later time)");
      }
      timeline = r.timeline(ReportsAccess.viewer(ctx), new Person(user, client), from, to);
    }
    if (timeline != null) {
      fromText = local(timeline.from(), zone);
      toText = local(timeline.to(), zone);
      user = timeline.person().user();
      client = timeline.person().client();
    }
    TimelineModel model = new TimelineModel(user == null ? "" : user, client == null ? "" : client,
        fromText == null ? local(now.minus(Duration.ofHours(1)), zone) : fromText,
        toText == null ? local(now, zone) : toText, alert == null ? "" : alert, hours == null ? "1" : hours,
        timeline, timeline == null ? List.of() : lines(timeline, zone),
        timeline == null ? "" : Times.when(timeline.from(), zone) + " to " + Times.when(timeline.to(), zone), zone);
    String title = timeline == null ? "Activity timeline" : "Activity of " + (user != null ? user : client);
    view.render(ctx, "reports/timeline.jte", view.page(ctx, title), model);
  }

  private static String local(Instant t, ZoneId zone) {
    return LocalDateTime.ofInstant(t, zone).truncatedTo(ChronoUnit.MINUTES).toString();
  }

  static List<LineView> lines(Timeline t, ZoneId zone) {
    List<LineView> out = new ArrayList<>();
    Instant focus = t.focus();
    Timeline.Line nearest = null;
    if (focus != null) {
      nearest = t.lines().stream().min(Comparator.comparing(l -> Duration.between(l.time(), focus).abs()))
          .orElse(null);
    }
    for (Timeline.Line l : t.lines()) {
      List<String> themes = l.search() == null ? List.of()
          : l.search().highlights().stream().map(h -> h.theme() + " (" + h.severity() + ")").distinct().toList();
      out.add(new LineView(java.time.format.DateTimeFormatter.ofPattern("HH:mm:ss").format(l.time().atZone(zone)),
          "page".equals(l.kind()), l.url(), l.group(), l.client(), l.action(), "block".equals(l.action()),
          l.category(), l.search() == null ? List.of() : pieces(l.search()), themes, l.furniture(),
          l.furnitureCount(), l.furnitureBlocked(), l == nearest));
    }
    return out;
  }

  /** The term cut at its highlights (overlapping ones after the first are skipped). */
  static List<Piece> pieces(Timeline.Search search) {
    String term = search.term();
    List<Timeline.Highlight> hs = new ArrayList<>(search.highlights());
    hs.sort(Comparator.comparingInt(Timeline.Highlight::start));
    List<Piece> pieces = new ArrayList<>();
    int at = 0;
    for (Timeline.Highlight h : hs) {
      if (h.start() < at || h.end() > term.length() || h.end() <= h.start()) {
        continue;
      }
      if (h.start() > at) {
        pieces.add(new Piece(term.substring(at, h.start()), null));
      }
      pieces.add(new Piece(term.substring(h.start(), h.end()), h.theme()));
      at = h.end();
    }
    if (at < term.length()) {
      pieces.add(new Piece(term.substring(at), null));
    }
    return pieces;
  }
}
