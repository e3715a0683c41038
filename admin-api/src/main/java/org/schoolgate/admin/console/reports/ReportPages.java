package org.schoolgate.admin.console.reports;

import io.javalin.http.Context;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.schoolgate.admin.console.View;
import org.schoolgate.admin.reports.ReportParams;
import org.schoolgate.alerts.incident.DigestData;
import org.schoolgate.reports.Period;
import org.schoolgate.reports.Reports;
import org.schoolgate.reports.Viewer;
import org.schoolgate.reports.evidence.EvidencePack;
import org.schoolgate.reports.staff.StaffReports;
import org.schoolgate.reports.traffic.Bucket;
import org.schoolgate.reports.traffic.TrafficReports;

/**
 * {@code GET /reports} (the governors' reports over a period: {@code days}, or {@code from} and
 * {@code to}; {@code bucket} hour, day or week, else chosen by the period's length), {@code GET
 * /evidence-pack} (the annual review's pack, the last 365 days unless a period is given; printable,
 * with links to the HTML and CSV downloads) and {@code GET /digest} ({@code week}: any day of it,
 * default last week).
 */
public final class ReportPages {
  private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("EEEE d MMMM yyyy", Locale.UK);
  static final int TOP = 20;
  static final int AUDIT_SHOWN = 50;

  private final View view;
  private final Optional<Reports> reports;

  public ReportPages(View view, Optional<Reports> reports) {
    this.view = view;
    this.reports = reports;
  }

  /** The period form's state and the period in words. */
  public record PeriodForm(String days, String from, String to, String bucket, String words, String query) {
    static PeriodForm of(Context ctx, Period p, String bucket) {
      String days = ReportParams.blankToNull(ctx.queryParam("days"));
      String from = ReportParams.blankToNull(ctx.queryParam("from"));
      String to = ReportParams.blankToNull(ctx.queryParam("to"));
      String query = from != null ? "from=" + p.firstDay() + "&to=" + p.lastDay()
          : "days=" + (days == null ? ReportParams.DEFAULT_DAYS : days);
      return new PeriodForm(from == null && days == null ? String.valueOf(ReportParams.DEFAULT_DAYS) : days,
          from == null ? "" : p.firstDay().toString(), to == null ? "" : p.lastDay().toString(), bucket,
          DAY.format(p.firstDay()) + " to " + DAY.format(p.lastDay()), query);
    }
  }

  public record ReportsModel(PeriodForm period, TrafficReports.BlockedOverTime blocked, BlockedChart chart,
      TrafficReports.TopSites top, TrafficReports.Bypasses bypasses, StaffReports.Unblocks unblocks,
      StaffReports.Alerts alerts, StaffReports.Audit audit, boolean namesShown, ZoneId zone) {}

  public void reports(Context ctx) {
    Reports r = ReportsAccess.require(reports);
    Viewer viewer = ReportsAccess.viewer(ctx);
    Period period = ReportParams.period(ctx, r);
    Bucket bucket = bucket(ctx, period);
    TrafficReports.BlockedOverTime blocked = r.blocked(viewer, period, bucket);
    ReportsModel model = new ReportsModel(PeriodForm.of(ctx, period, bucket.name().toLowerCase(Locale.ROOT)),
        blocked, BlockedChart.of(blocked, viewer), r.topBlocked(viewer, period, TOP), r.bypasses(viewer, period, TOP),
        r.unblocks(viewer, period), r.alerts(viewer, period), r.audit(viewer, period, null, AUDIT_SHOWN),
        viewer.seesNames(), r.zone());
    view.render(ctx, "reports/reports.jte", view.page(ctx, "Reports"), model);
  }

  /** The bucket asked for, else hours for a day or two, weeks beyond three months, days between. */
  static Bucket bucket(Context ctx, Period period) {
    String asked = ReportParams.blankToNull(ctx.queryParam("bucket"));
    if (asked != null) {
      try {
        return Bucket.parse(asked);
      } catch (IllegalArgumentException e) {
        throw org.schoolgate.admin.http.ApiException.invalid("bucket", e.getMessage());
      }
    }
    long days = java.time.Duration.between(period.from(), period.to()).toDays();
    return days <= 2 ? Bucket.HOUR : days > 92 ? Bucket.WEEK : Bucket.DAY;
  }

  public record EvidenceModel(PeriodForm period, EvidencePack pack, ZoneId zone) {}

  public void evidence(Context ctx) {
    Reports r = ReportsAccess.require(reports);
    boolean asked = ctx.queryParam("days") != null || ctx.queryParam("from") != null;
    Period period = asked ? ReportParams.period(ctx, r) : r.lastDays(365);
    EvidencePack pack = r.evidence(ReportsAccess.viewer(ctx), period);
    PeriodForm form = asked ? PeriodForm.of(ctx, period, null)
        : new PeriodForm("365", "", "", null, DAY.format(period.firstDay()) + " to " + DAY.format(period.lastDay()),
            "days=365");
    view.render(ctx, "reports/evidence.jte", view.page(ctx, "Evidence pack for the filtering review"),
        new EvidenceModel(form, pack, r.zone()));
  }

  /**
   * The digest page's model: {@code sections} are the non-empty tables of incidents opened (by
   * severity, kind, search theme); {@code next} is null for the current week.
   */
  public record DigestModel(DigestData digest, String week, String previous, String next, ZoneId zone) {
    public record Section(String id, String title, String heading, List<DigestData.Change> rows) {}

    public List<DigestData.Change> totals() {
      return List.of(digest.opened(), digest.closed(), digest.openAtEnd());
    }

    public List<Section> sections() {
      List<Section> all = new ArrayList<>();
      for (Section s : List.of(new Section("severity", "by severity", "Severity", digest.openedBySeverity()),
          new Section("kind", "by kind", "Kind", digest.openedByKind()),
          new Section("themes", "by search theme", "Theme", digest.topThemes()))) {
        if (!s.rows().isEmpty()) {
          all.add(s);
        }
      }
      return all;
    }
  }

  public void digest(Context ctx) {
    Reports r = ReportsAccess.require(reports);
    String week = ReportParams.blankToNull(ctx.queryParam("week"));
    LocalDate day = week == null ? r.clock().instant().atZone(r.zone()).toLocalDate().minusWeeks(1)
        : ReportParams.date(week, "week");
    LocalDate monday = day.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
    DigestData digest = r.digest(ReportsAccess.viewer(ctx), monday);
    LocalDate thisMonday = r.clock().instant().atZone(r.zone()).toLocalDate()
        .with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
    view.render(ctx, "reports/digest.jte", view.page(ctx, "Weekly digest"), new DigestModel(digest,
        DAY.format(digest.firstDay()) + " to " + DAY.format(digest.lastDay()), monday.minusWeeks(1).toString(),
        monday.plusWeeks(1).isAfter(thisMonday) ? null : monday.plusWeeks(1).toString(), r.zone()));
  }
}
