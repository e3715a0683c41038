package org.schoolgate.admin.alert;

import io.javalin.http.Context;
import java.util.List;
import org.schoolgate.admin.auth.AuthRoutes;
import org.schoolgate.admin.auth.Caller;
import org.schoolgate.admin.http.ApiException;
import org.schoolgate.store.Alert;
import org.schoolgate.store.AlertId;
import org.schoolgate.store.AlertStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /api/v1/alerts} ({@code unacknowledged=true} for open ones only; {@code limit}
 * 1-1000, default 100; newest first) and {@code POST /api/v1/alerts/{id}/acknowledge}. The route
 * table lets dsl and senior-leader in; both see the alerts whose audience is the DSL. Alerts for
 * technicians are not shown here (404 on acknowledge), so nobody acknowledges what they cannot see.
 */
public final class AlertRoutes {
  private static final Logger log = LoggerFactory.getLogger(AlertRoutes.class);
  static final int DEFAULT_LIMIT = 100;
  static final int MAX_LIMIT = 1000;
  private static final Alert.Audience AUDIENCE = Alert.Audience.DSL;

  private final AlertStore alerts;

  public AlertRoutes(AlertStore alerts) {
    this.alerts = alerts;
  }

  record Alerts(List<AlertView> alerts) {}

  public void list(Context ctx) {
    boolean open = flag(ctx, "unacknowledged");
    int limit = limit(ctx);
    List<AlertView> views = alerts.list(new AlertStore.Query(AUDIENCE, open, limit)).stream()
        .map(AlertView::of).toList();
    ctx.json(new Alerts(views));
  }

  public void acknowledge(Context ctx) {
    AlertId id = new AlertId(AuthRoutes.pathId(ctx));
    Caller caller = Caller.of(ctx);
    if (alerts.get(id).filter(a -> a.content().audience() == AUDIENCE).isEmpty()) {
      throw ApiException.notFound("there is no alert " + id + " for the DSL (GET /api/v1/alerts lists them)");
    }
    Alert acknowledged = alerts.acknowledge(id, caller.actor());
    log.info("alert {} ({}) acknowledged by {}", id, acknowledged.content().kind(), caller.account().username());
    ctx.json(AlertView.of(acknowledged));
  }

  private static boolean flag(Context ctx, String field) {
    String text = ctx.queryParam(field);
    if (text == null || text.isBlank()) {
      return false;
    }
    switch (text.strip()) {
      case "true":
        return true;
      case "false":
        return false;
      default:
        throw ApiException.invalid(field, field + " '" + text + "' is not true or false (expected: "
            + field + "=true for open alerts only)");
    }
  }

  private static int limit(Context ctx) {
    String text = ctx.queryParam("limit");
    if (text == null || text.isBlank()) {
      return DEFAULT_LIMIT;
    }
    try {
      int n = Integer.parseInt(text.strip());
      if (n >= 1 && n <= MAX_LIMIT) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw ApiException.invalid("limit", "limit '" + text + "' is not a number from 1 to " + MAX_LIMIT);
  }
}
