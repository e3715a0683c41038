package org.schoolgate.admin.reports;

import io.javalin.http.Context;
import java.time.LocalDate;
import java.util.Optional;
import org.schoolgate.admin.auth.Caller;
import org.schoolgate.admin.http.ApiException;
import org.schoolgate.reports.Period;
import org.schoolgate.reports.Reports;
import org.schoolgate.reports.Viewer;
import org.schoolgate.reports.evidence.EvidenceCsv;
import org.schoolgate.reports.evidence.EvidenceHtml;
import org.schoolgate.reports.evidence.EvidencePack;
import org.schoolgate.reports.traffic.Bucket;

/**
 * The aggregate reports over a period ({@code days=N}, or {@code from}/{@code to} dates): blocked
 * requests over time ({@code bucket=hour|day|week}), top blocked sites and filter bypasses
 * ({@code limit}), unblocks, alerts, the audit trail with its chain status ({@code type},
 * {@code limit}), the weekly digest ({@code week}: any day of it) and the evidence pack as JSON,
 * printable HTML and CSV. Everything blocks (DuckDB, JDBC): these run on the admin's Jetty
 * threads, never an event loop.
 */
public final class ReportRoutes {
  private final Optional<Reports> reports;

  public ReportRoutes(Optional<Reports> reports) {
    this.reports = reports;
  }

  /** The reports service, or 503 when this node does not run it. */
  static Reports require(Optional<Reports> reports) {
    return reports.orElseThrow(() -> new ApiException(io.javalin.http.HttpStatus.SERVICE_UNAVAILABLE,
        "reports_unavailable", "the reports are not running on this server (the deploy module starts them"
            + " with the access log; a bare admin API has none)", null));
  }

  static Viewer viewer(Context ctx) {
    Caller caller = Caller.of(ctx);
    return new Viewer(caller.actor(), caller.account().roles());
  }

  public void blocked(Context ctx) {
    Reports r = require(reports);
    String bucket = ReportParams.blankToNull(ctx.queryParam("bucket"));
    Bucket b;
    try {
      b = bucket == null ? Bucket.DAY : Bucket.parse(bucket);
    } catch (IllegalArgumentException e) {
      throw ApiException.invalid("bucket", e.getMessage());
    }
    ctx.json(r.blocked(viewer(ctx), ReportParams.period(ctx, r), b));
  }

  public void topBlocked(Context ctx) {
    Reports r = require(reports);
    int limit = (int) ReportParams.number(ctx, "limit", 20, 1, 500);
    ctx.json(r.topBlocked(viewer(ctx), ReportParams.period(ctx, r), limit));
  }

  public void bypasses(Context ctx) {
    Reports r = require(reports);
    int limit = (int) ReportParams.number(ctx, "limit", 20, 1, 500);
    ctx.json(r.bypasses(viewer(ctx), ReportParams.period(ctx, r), limit));
  }

  public void unblocks(Context ctx) {
    Reports r = require(reports);
    ctx.json(r.unblocks(viewer(ctx), ReportParams.period(ctx, r)));
  }

  public void alerts(Context ctx) {
    Reports r = require(reports);
    ctx.json(r.alerts(viewer(ctx), ReportParams.period(ctx, r)));
  }

  public void audit(Context ctx) {
    Reports r = require(reports);
    int limit = (int) ReportParams.number(ctx, "limit", 500, 1, 10_000);
    ctx.json(r.audit(viewer(ctx), ReportParams.period(ctx, r), ReportParams.blankToNull(ctx.queryParam("type")),
        limit));
  }

  public void digest(Context ctx) {
    Reports r = require(reports);
    String week = ReportParams.blankToNull(ctx.queryParam("week"));
    LocalDate day = week == null ? r.clock().instant().atZone(r.zone()).toLocalDate().minusWeeks(1)
        : ReportParams.date(week, "week");
    ctx.json(r.digest(viewer(ctx), day));
  }

  public void evidence(Context ctx) {
    ctx.json(pack(ctx));
  }

  public void evidenceHtml(Context ctx) {
    EvidencePack p = pack(ctx);
    ctx.header("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'");
    if ("true".equals(ctx.queryParam("download"))) {
      ctx.header("Content-Disposition", "attachment; filename=\"" + fileName(p) + ".html\"");
    }
    ctx.contentType("text/html; charset=utf-8").result(EvidenceHtml.render(p, require(reports).zone()));
  }

  public void evidenceCsv(Context ctx) {
    EvidencePack p = pack(ctx);
    ctx.header("Content-Disposition", "attachment; filename=\"" + fileName(p) + ".csv\"");
    ctx.contentType("text/csv; charset=utf-8").result(EvidenceCsv.render(p, require(reports).zone()));
  }

  private EvidencePack pack(Context ctx) {
    Reports r = require(reports);
    Period period = ctx.queryParam("days") == null && ctx.queryParam("from") == null
        ? r.lastDays(365) : ReportParams.period(ctx, r);
    return r.evidence(viewer(ctx), period);
  }

  private static String fileName(EvidencePack p) {
    return "schoolgate-evidence-" + p.period().firstDay() + "-to-" + p.period().lastDay();
  }
}
