package org.schoolgate.admin.reports;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import org.schoolgate.admin.http.ApiException;
import org.schoolgate.reports.Reports;
import org.schoolgate.reports.dryrun.DryRun;
import org.schoolgate.reports.dryrun.DryRuns;

/**
 * Policy dry runs: {@code POST /api/v1/reports/dry-runs} with {@code {"policy": "<the candidate
 * policy file's YAML>", "days": 7}} starts one (202, with its id; errors in the candidate come back
 * at once as 400 with {@code candidate.yaml:LINE: field: message} details); {@code GET
 * .../dry-runs/{id}} polls its progress and result; {@code POST .../dry-runs/{id}/cancel} stops it;
 * {@code GET .../dry-runs} lists the last few. One runs at a time per node (409 otherwise).
 */
public final class DryRunRoutes {
  private final Optional<Reports> reports;
  private final ObjectMapper mapper;

  public DryRunRoutes(Optional<Reports> reports, ObjectMapper mapper) {
    this.reports = reports;
    this.mapper = mapper;
  }

  record Runs(List<DryRun> runs) {}

  public void start(Context ctx) {
    DryRuns runs = ReportRoutes.require(reports).dryRuns();
    JsonNode body;
    try {
      body = mapper.readTree(ctx.body());
    } catch (IOException e) {
      throw ApiException.invalid("body", "the body is not JSON (expected: {\"policy\": \"<YAML text>\", \"days\": 7})");
    }
    if (body == null || !body.isObject()) {
      throw ApiException.invalid("body", "the body is not a JSON object (expected: {\"policy\": \"<YAML text>\","
          + " \"days\": 7})");
    }
    JsonNode policy = body.get("policy");
    if (policy == null || !policy.isTextual()) {
      throw ApiException.invalid("policy", "policy is missing or not text (expected: the candidate policy file's"
          + " YAML as a JSON string)");
    }
    JsonNode days = body.get("days");
    if (days != null && !days.canConvertToInt()) {
      throw ApiException.invalid("days", "days is not a whole number (expected: 1 to " + DryRuns.MAX_DAYS + ")");
    }
    DryRun run = runs.start(ReportRoutes.viewer(ctx), policy.asText(), days == null ? 7 : days.asInt());
    ctx.status(HttpStatus.ACCEPTED).json(run);
  }

  public void list(Context ctx) {
    ctx.json(new Runs(ReportRoutes.require(reports).dryRuns().list(ReportRoutes.viewer(ctx))));
  }

  public void get(Context ctx) {
    ctx.json(ReportRoutes.require(reports).dryRuns().get(ReportRoutes.viewer(ctx), ctx.pathParam("id")));
  }

  public void cancel(Context ctx) {
    ctx.json(ReportRoutes.require(reports).dryRuns().cancel(ReportRoutes.viewer(ctx), ctx.pathParam("id")));
  }
}
