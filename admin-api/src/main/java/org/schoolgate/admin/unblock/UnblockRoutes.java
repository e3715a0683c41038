package org.schoolgate.admin.unblock;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.schoolgate.admin.auth.AuthRoutes;
import org.schoolgate.admin.auth.Caller;
import org.schoolgate.admin.http.ApiException;
import org.schoolgate.admin.http.JsonBody;
import org.schoolgate.policy.UnblockId;
import org.schoolgate.store.UnblockRecord;
import org.schoolgate.store.UnblockStatus;

/**
 * {@code /api/v1/unblocks}: ask, list, show, approve, deny, cancel, revoke. The rules are in
 * {@link UnblockWorkflow}; this class reads HTTP and writes JSON.
 */
public final class UnblockRoutes {
  private final UnblockWorkflow workflow;
  private final ObjectMapper mapper;

  public UnblockRoutes(UnblockWorkflow workflow, ObjectMapper mapper) {
    this.workflow = workflow;
    this.mapper = mapper;
  }

  record Unblocks(List<UnblockView> unblocks) {}

  public void create(Context ctx) {
    UnblockRecord r = workflow.request(JsonBody.parse(mapper, ctx.body()), Caller.of(ctx));
    ctx.status(HttpStatus.CREATED).json(UnblockView.of(r));
  }

  public void list(Context ctx) {
    UnblockStatus status = status(ctx.queryParam("status"));
    ctx.json(new Unblocks(workflow.list(Caller.of(ctx), status).stream().map(UnblockView::of).toList()));
  }

  public void get(Context ctx) {
    ctx.json(UnblockView.of(workflow.get(id(ctx), Caller.of(ctx))));
  }

  public void approve(Context ctx) {
    ctx.json(UnblockView.of(workflow.approve(id(ctx), Caller.of(ctx), note(ctx))));
  }

  public void deny(Context ctx) {
    ctx.json(UnblockView.of(workflow.deny(id(ctx), Caller.of(ctx), note(ctx))));
  }

  public void cancel(Context ctx) {
    ctx.json(UnblockView.of(workflow.cancel(id(ctx), Caller.of(ctx), note(ctx))));
  }

  public void revoke(Context ctx) {
    ctx.json(UnblockView.of(workflow.revoke(id(ctx), Caller.of(ctx), note(ctx))));
  }

  private String note(Context ctx) {
    String note = JsonBody.parse(mapper, ctx.body()).optionalText("note", "a short note for the requester");
    return note == null ? "" : note;
  }

  private static UnblockId id(Context ctx) {
    return new UnblockId(AuthRoutes.pathId(ctx));
  }

  private static UnblockStatus status(String text) {
    if (text == null || text.isBlank()) {
      return null;
    }
    return Arrays.stream(UnblockStatus.values()).filter(s -> s.apiName().equals(text.strip())).findFirst()
        .orElseThrow(() -> ApiException.invalid("status", "status '" + text + "' is not known (expected: one of "
            + Arrays.stream(UnblockStatus.values()).map(UnblockStatus::apiName).collect(Collectors.joining(", "))
            + ")"));
  }
}
