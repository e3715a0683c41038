package org.schoolgate.admin.console.reports;

import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import org.schoolgate.admin.console.Console;
import org.schoolgate.admin.console.Flash;
import org.schoolgate.admin.console.Times;
import org.schoolgate.admin.console.View;
import org.schoolgate.policy.PolicyHolder;
import org.schoolgate.reports.ReportException;
import org.schoolgate.reports.Reports;
import org.schoolgate.reports.dryrun.DryRun;
import org.schoolgate.reports.dryrun.DryRuns;

/**
 * The policy dry run: {@code GET /policy/dry-run} (the form, filled with the policy in force,
 * and the recent runs), {@code POST /policy/dry-run} (start: a candidate with errors, or a second
 * run while one is going, gives the form again with the problem and the text kept, 400 or 409),
 * {@code GET /policy/dry-run/{id}} (progress while it runs, reloading itself; the result once done)
 * and {@code POST /policy/dry-run/{id}/cancel}.
 */
public final class DryRunPages {
  private final View view;
  private final Optional<Reports> reports;
  private final PolicyHolder holder;

  public DryRunPages(View view, Optional<Reports> reports, PolicyHolder holder) {
    this.view = view;
    this.reports = reports;
    this.holder = holder;
  }

  /** A run as a list shows it. */
  public record RunRow(String id, String state, String startedBy, String startedAt, int days, int percent) {
    static RunRow of(DryRun r, ZoneId zone) {
      return new RunRow(r.id(), r.state(), r.startedBy(), Times.when(r.startedAt(), zone), r.days(),
          (int) Math.round(r.progress() * 100));
    }
  }

  /** The form: the candidate's text, the days, the problem with the last attempt (or null) and its details. */
  public record FormModel(String policy, int days, int maxDays, String problem, List<String> details,
      List<RunRow> runs) {}

  /** One run: {@code run} as it stands. */
  public record RunModel(DryRun run, RunRow row, String period, boolean running) {}

  public void form(Context ctx) {
    Reports r = ReportsAccess.require(reports);
    render(ctx, r, HttpStatus.OK, current(), 7, null, List.of());
  }

  public void start(Context ctx) {
    Reports r = ReportsAccess.require(reports);
    String policy = ctx.formParam("policy") == null ? "" : ctx.formParam("policy");
    String daysText = ctx.formParam("days");
    int days;
    try {
      days = Integer.parseInt(daysText == null ? "7" : daysText.strip());
    } catch (NumberFormatException e) {
      render(ctx, r, HttpStatus.BAD_REQUEST, policy, 7, "The number of days '" + daysText + "' is not a whole number"
          + " (expected: 1 to " + DryRuns.MAX_DAYS + ").", List.of());
      return;
    }
    DryRun run;
    try {
      run = r.dryRuns().start(ReportsAccess.viewer(ctx), policy, days);
    } catch (ReportException e) {
      if (e.code().equals("forbidden") || e.code().equals("unavailable")) {
        throw e;
      }
      render(ctx, r, Console.reportStatus(e.code()), policy, days, e.getMessage(), e.details());
      return;
    }
    ctx.redirect("/policy/dry-run/" + run.id(), HttpStatus.SEE_OTHER);
  }

  public void show(Context ctx) {
    Reports r = ReportsAccess.require(reports);
    DryRun run = r.dryRuns().get(ReportsAccess.viewer(ctx), ctx.pathParam("id"));
    ZoneId zone = r.zone();
    view.render(ctx, "reports/dry-run.jte", view.page(ctx, "Policy dry-run"), new RunModel(run, RunRow.of(run, zone),
        Times.when(run.from(), zone) + " to " + Times.when(run.to(), zone), "running".equals(run.state())));
  }

  public void cancel(Context ctx) {
    Reports r = ReportsAccess.require(reports);
    DryRun run = r.dryRuns().cancel(ReportsAccess.viewer(ctx), ctx.pathParam("id"));
    Flash.success(ctx, "running".equals(run.state()) ? "Stopping the dry run; it ends at its next step."
        : "The dry run is " + run.state() + ".");
    ctx.redirect("/policy/dry-run/" + run.id(), HttpStatus.SEE_OTHER);
  }

  private void render(Context ctx, Reports r, HttpStatus status, String policy, int days, String problem,
      List<String> details) {
    ZoneId zone = r.zone();
    List<RunRow> runs = r.dryRuns().list(ReportsAccess.viewer(ctx)).stream().map(d -> RunRow.of(d, zone)).toList();
    view.render(ctx, status, "reports/dry-run-form.jte", view.page(ctx, "Policy dry-run"),
        new FormModel(policy, days, DryRuns.MAX_DAYS, problem, details, runs));
  }

  /** The policy file in force, as the starting point for a candidate (empty if it cannot be read). */
  private String current() {
    try {
      return Files.readString(holder.policyFile(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }
}
