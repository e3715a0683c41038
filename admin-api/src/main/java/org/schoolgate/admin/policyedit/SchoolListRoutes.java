package org.schoolgate.admin.policyedit;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import org.schoolgate.admin.auth.Caller;
import org.schoolgate.admin.http.JsonBody;

/**
 * {@code GET /api/v1/lists/school} (each school list and its entries), {@code POST
 * /api/v1/lists/school/{list}/entries} and {@code POST /api/v1/lists/school/{list}/entries/remove}
 * with {@code {"entry": "example.com", "reason": "..."}}: thin handlers over {@link SchoolLists}.
 */
public final class SchoolListRoutes {
  private static final String ENTRY = "a domain (example.com) or host/path prefix (example.com/games/)";
  private static final String REASON = "why, for the audit trail (e.g. \"used in Year 9 geography\")";

  private final SchoolLists lists;
  private final ObjectMapper mapper;

  public SchoolListRoutes(SchoolLists lists, ObjectMapper mapper) {
    this.lists = lists;
    this.mapper = mapper;
  }

  public void list(Context ctx) {
    ctx.json(lists.lists());
  }

  public void add(Context ctx) {
    JsonBody body = JsonBody.parse(mapper, ctx.body());
    ctx.status(HttpStatus.CREATED).json(lists.add(Caller.of(ctx).actor(), ctx.pathParam("list"),
        body.text("entry", ENTRY), body.optionalText("reason", REASON)));
  }

  public void remove(Context ctx) {
    JsonBody body = JsonBody.parse(mapper, ctx.body());
    ctx.json(lists.remove(Caller.of(ctx).actor(), ctx.pathParam("list"), body.text("entry", ENTRY),
        body.optionalText("reason", REASON)));
  }
}
