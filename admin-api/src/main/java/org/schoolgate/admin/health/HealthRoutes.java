package org.schoolgate.admin.health;

import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * {@code GET /healthz}, {@code /healthz/live} and {@code /healthz/ready}, answered from the
 * monitor's last report (never waiting for a check):
 *
 * <ul>
 *   <li>live: 200 {@code {"status":"live"}} whenever the process answers (restart it when not);
 *   <li>ready: 200 while it can filter traffic (ok or degraded), 503 when a check is down (the
 *       proxy not started yet, or stopped): {@code {"status", "reasons"}};
 *   <li>the full report: the same status code, with every check's status and text, the reasons
 *       and when the round ran, plus what the caller adds (the policy in force).
 * </ul>
 */
public final class HealthRoutes {
  private final HealthMonitor monitor;
  private final Supplier<Object> extra;
  private final String extraName;

  /** Routes over {@code monitor}'s reports; {@code /healthz} adds {@code extraName: extra.get()}. */
  public HealthRoutes(HealthMonitor monitor, String extraName, Supplier<Object> extra) {
    this.monitor = monitor;
    this.extraName = extraName;
    this.extra = extra;
  }

  record Live(String status) {}

  record Ready(String status, List<String> reasons) {}

  record Check(String status, String text) {}

  public void live(Context ctx) {
    ctx.json(new Live("live"));
  }

  public void ready(Context ctx) {
    HealthReport report = monitor.report();
    ctx.status(code(report)).json(new Ready(report.status().apiName(), report.reasons()));
  }

  public void full(Context ctx) {
    HealthReport report = monitor.report();
    Map<String, Check> checks = new LinkedHashMap<>();
    report.results().forEach((name, r) -> checks.put(name, new Check(r.status().apiName(), r.text())));
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("status", report.status().apiName());
    body.put("checkedAt", report.checkedAt().toString());
    body.put("reasons", report.reasons());
    body.put("checks", checks);
    body.put(extraName, extra.get());
    ctx.status(code(report)).json(body);
  }

  private static HttpStatus code(HealthReport report) {
    return report.status() == HealthStatus.DOWN ? HttpStatus.SERVICE_UNAVAILABLE : HttpStatus.OK;
  }
}
