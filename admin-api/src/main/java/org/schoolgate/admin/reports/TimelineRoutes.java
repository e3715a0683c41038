package org.schoolgate.admin.reports;

import io.javalin.http.Context;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.schoolgate.admin.auth.AuthRoutes;
import org.schoolgate.admin.http.ApiException;
import org.schoolgate.reports.Reports;
import org.schoolgate.reports.people.Person;
import org.schoolgate.store.AlertId;

/**
 * A person's activity, a page a line: {@code GET /api/v1/reports/timeline?user=NAME} (or {@code
 * client=ADDRESS} for a device) with {@code from} and {@code to} (default: the hour before now),
 * and {@code GET /api/v1/reports/timeline/alerts/{id}} ({@code hours} either side, default 1).
 * The reports service lets the DSL and senior leaders see anyone, a teacher only their own
 * requests, and audits every look ({@code history.viewed}).
 */
public final class TimelineRoutes {
  private final Optional<Reports> reports;

  public TimelineRoutes(Optional<Reports> reports) {
    this.reports = reports;
  }

  public void person(Context ctx) {
    Reports r = ReportRoutes.require(reports);
    String user = ReportParams.blankToNull(ctx.queryParam("user"));
    String client = ReportParams.blankToNull(ctx.queryParam("client"));
    if (user == null && client == null) {
      throw ApiException.invalid("user", "name whose activity: user=NAME, or client=ADDRESS for a device");
    }
    Instant to = ctx.queryParam("to") == null ? r.clock().instant() : ReportParams.time(ctx, "to", r.zone(), r.clock());
    Instant from = ctx.queryParam("from") == null ? to.minus(Duration.ofHours(1))
        : ReportParams.time(ctx, "from", r.zone(), r.clock());
    if (!to.isAfter(from)) {
      throw ApiException.invalid("to", "to " + to + " is not after from " + from + " (expected: a later time)");
    }
    ctx.json(r.timeline(ReportRoutes.viewer(ctx), new Person(user, client), from, to));
  }

  public void aroundAlert(Context ctx) {
    Reports r = ReportRoutes.require(reports);
    AlertId id = new AlertId(AuthRoutes.pathId(ctx));
    long hours = ReportParams.number(ctx, "hours", 1, 1, 84);
    ctx.json(r.aroundAlert(ReportRoutes.viewer(ctx), id, Duration.ofHours(hours)));
  }
}
