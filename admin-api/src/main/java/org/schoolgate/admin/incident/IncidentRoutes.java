package org.schoolgate.admin.incident;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.schoolgate.admin.auth.AuthRoutes;
import org.schoolgate.admin.auth.Caller;
import org.schoolgate.admin.http.ApiException;
import org.schoolgate.admin.http.JsonBody;
import org.schoolgate.store.Alert;
import org.schoolgate.store.IncidentAction;
import org.schoolgate.store.IncidentId;
import org.schoolgate.store.IncidentState;
import org.schoolgate.store.IncidentStore;
import org.schoolgate.store.Role;

/**
 * The DSL's incident inbox: {@code GET /api/v1/incidents} (filters {@code state}, {@code severity},
 * {@code owner}, {@code who}, {@code since}, {@code limit}), {@code GET /api/v1/incidents/{id}}
 * with its timeline, and {@code POST .../assign}, {@code .../acknowledge}, {@code .../escalate},
 * {@code .../close}, {@code .../notes}, {@code .../actions}. The route table lets dsl and
 * senior-leader do everything; any other signed-in account reaches the list, one incident, notes
 * and actions, and sees only the incidents assigned to it (others: 404, as if missing). The store
 * audits every view and change in its transaction; its refusals become 404/409/400.
 */
public final class IncidentRoutes {
  static final int DEFAULT_LIMIT = 100;

  private final IncidentStore incidents;
  private final ObjectMapper mapper;

  public IncidentRoutes(IncidentStore incidents, ObjectMapper mapper) {
    this.incidents = incidents;
    this.mapper = mapper;
  }

  record Incidents(List<IncidentView> incidents) {}

  public void list(Context ctx) {
    IncidentStore.Query query = new IncidentStore.Query(state(ctx), severity(ctx), text(ctx, "owner"),
        text(ctx, "who"), since(ctx), limit(ctx));
    List<IncidentView> views = incidents.list(query, viewer(ctx)).stream().map(IncidentView::of).toList();
    ctx.json(new Incidents(views));
  }

  public void get(Context ctx) {
    ctx.json(IncidentView.Detail.of(incidents.get(id(ctx), viewer(ctx))));
  }

  public void assign(Context ctx) {
    JsonBody body = JsonBody.parse(mapper, ctx.body());
    String owner = body.text("owner", "the username of the account to assign it to, e.g. j.smith");
    ctx.json(IncidentView.of(incidents.assign(id(ctx), owner, Caller.of(ctx).actor())));
  }

  public void acknowledge(Context ctx) {
    ctx.json(IncidentView.of(incidents.acknowledge(id(ctx), Caller.of(ctx).actor())));
  }

  public void escalate(Context ctx) {
    JsonBody body = JsonBody.parse(mapper, ctx.body());
    String reason = body.optionalText("reason", "a sentence saying why it goes to the next contact");
    ctx.json(IncidentView.of(incidents.escalate(id(ctx), reason, Caller.of(ctx).actor())));
  }

  public void close(Context ctx) {
    JsonBody body = JsonBody.parse(mapper, ctx.body());
    String outcome = body.text("outcome", "a sentence saying how the incident ended, e.g. parents informed,"
        + " no further action");
    ctx.json(IncidentView.of(incidents.close(id(ctx), outcome, Caller.of(ctx).actor())));
  }

  public void note(Context ctx) {
    JsonBody body = JsonBody.parse(mapper, ctx.body());
    String text = body.text("text", "the note");
    ctx.status(201).json(IncidentView.Detail.of(incidents.note(id(ctx), text, viewer(ctx))));
  }

  public void action(Context ctx) {
    JsonBody body = JsonBody.parse(mapper, ctx.body());
    String name = body.text("action", "one of " + IncidentAction.EXPECTED);
    IncidentAction action = IncidentAction.parse(name).orElseThrow(() -> ApiException.invalid("action",
        "action '" + name + "' is not known (expected: one of " + IncidentAction.EXPECTED + ")"));
    String text = body.optionalText("text", "what was done (required for other)");
    ctx.status(201).json(IncidentView.Detail.of(incidents.action(id(ctx), action, text, viewer(ctx))));
  }

  private static IncidentId id(Context ctx) {
    return new IncidentId(AuthRoutes.pathId(ctx));
  }

  /** dsl and senior-leader see every incident; anyone else only those assigned to them. */
  private static IncidentStore.Viewer viewer(Context ctx) {
    Caller caller = Caller.of(ctx);
    boolean all = caller.has(Role.DSL) || caller.has(Role.SENIOR_LEADER);
    return new IncidentStore.Viewer(caller.actor(), all);
  }

  private static IncidentState state(Context ctx) {
    String text = text(ctx, "state");
    if (text == null) {
      return null;
    }
    return IncidentState.parse(text).orElseThrow(() -> ApiException.invalid("state", "state '" + text
        + "' is not known (expected: one of " + Arrays.stream(IncidentState.values()).map(IncidentState::apiName)
        .collect(Collectors.joining(", ")) + ")"));
  }

  private static Alert.Severity severity(Context ctx) {
    String text = text(ctx, "severity");
    if (text == null) {
      return null;
    }
    return Alert.Severity.parse(text).orElseThrow(() -> ApiException.invalid("severity", "severity '" + text
        + "' is not known (expected: info, warning or critical)"));
  }

  private static Instant since(Context ctx) {
    String text = text(ctx, "since");
    if (text == null) {
      return null;
    }
    try {
      return OffsetDateTime.parse(text).toInstant();
    } catch (DateTimeParseException e) {
      throw ApiException.invalid("since", "since '" + text
          + "' is not a time (expected: ISO-8601 with an offset, e.g. 2026-11-23T09:00:00Z)");
    }
  }

  private static int limit(Context ctx) {
    String text = text(ctx, "limit");
    if (text == null) {
      return DEFAULT_LIMIT;
    }
    try {
      int n = Integer.parseInt(text);
      if (n >= 1 && n <= 1000) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw ApiException.invalid("limit", "limit '" + text + "' is not a number from 1 to 1000");
  }

  private static String text(Context ctx, String name) {
    String text = ctx.queryParam(name);
    return text == null || text.isBlank() ? null : text.strip();
  }
}
