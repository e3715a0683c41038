package org.schoolgate.admin.policyedit;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import org.schoolgate.admin.auth.Caller;
import org.schoolgate.admin.http.JsonBody;

/**
 * {@code PUT /api/v1/policy/matrix/{category}/{group}} with {@code {"level": "acceptable" |
 * "at-times" | "nominated" | "unacceptable", "schedules": [...], "users": [...], "groups": [...],
 * "directoryGroups": [...], "reason": "..."}} (directory groups written to the cell's {@code
 * directory-groups:}, sorted): a thin handler over {@link MatrixEdits}.
 */
public final class MatrixRoutes {
  private final MatrixEdits edits;
  private final ObjectMapper mapper;

  public MatrixRoutes(MatrixEdits edits, ObjectMapper mapper) {
    this.edits = edits;
    this.mapper = mapper;
  }

  public void change(Context ctx) {
    JsonBody body = JsonBody.parse(mapper, ctx.body());
    ctx.json(edits.change(Caller.of(ctx), new MatrixEdits.CellChange(ctx.pathParam("category"),
        ctx.pathParam("group"), body.text("level", "acceptable, at-times, nominated or unacceptable"),
        body.texts("schedules", "schedule names, e.g. [\"lunch\"]"), body.texts("users", "user names"),
        body.texts("groups", "group names"), body.texts("directoryGroups",
        "directory group names or DNs, e.g. [\"Year10\", \"CN=Media,OU=Groups,DC=school,DC=example\"]"),
        body.optionalText("reason", "why, for the audit trail"))));
  }
}
