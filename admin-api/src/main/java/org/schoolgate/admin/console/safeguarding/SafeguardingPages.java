package org.schoolgate.admin.console.safeguarding;

import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.List;
import org.schoolgate.admin.auth.AuthRoutes;
import org.schoolgate.admin.auth.Caller;
import org.schoolgate.admin.console.Console;
import org.schoolgate.admin.console.Flash;
import org.schoolgate.admin.console.Times;
import org.schoolgate.admin.console.View;
import org.schoolgate.admin.http.ApiException;
import org.schoolgate.store.Alert;
import org.schoolgate.store.AlertId;
import org.schoolgate.store.AlertStore;
import org.schoolgate.store.IncidentAction;
import org.schoolgate.store.IncidentHistory;
import org.schoolgate.store.IncidentId;
import org.schoolgate.store.IncidentState;
import org.schoolgate.store.IncidentStore;
import org.schoolgate.store.Role;
import org.schoolgate.store.TimelineEntry;

/**
 * {@code GET /alerts} ({@code ?show=all} for acknowledged ones too), {@code POST
 * /alerts/{id}/acknowledge}, {@code GET /incidents} ({@code ?state=}, {@code ?severity=}),
 * {@code GET /incidents/{id}} and {@code POST /incidents/{id}/{change}} where change is
 * {@code acknowledge}, {@code assign}, {@code escalate}, {@code close}, {@code note} or
 * {@code action}. The store's rules and audit records are the API's.
 */
public final class SafeguardingPages {
  private final View view;
  private final Console.Services s;

  public SafeguardingPages(View view, Console.Services services) {
    this.view = view;
    this.s = services;
  }

  /** An alert as the inbox shows it. */
  public record AlertRow(long id, String raisedAt, String severity, String severityClass, String kind, String who,
      String subject, Long incident, String acknowledgedBy, String acknowledgedAt) {}

  public record AlertsModel(List<AlertRow> alerts, boolean all) {}

  public record IncidentsModel(List<IncidentRow> incidents, String state, String severity) {}

  /** A timeline line. */
  public record Entry(String at, String actor, String what) {}

  public record IncidentModel(IncidentRow incident, List<Entry> timeline, boolean manage, List<String> actions) {}

  public void alerts(Context ctx) {
    boolean all = "all".equals(ctx.queryParam("show"));
    ZoneId zone = s.holder().current().timezone();
    List<AlertRow> rows = s.store().alerts().list(new AlertStore.Query(Alert.Audience.DSL, !all, 200)).stream()
        .map(a -> new AlertRow(a.id().value(), Times.when(a.raisedAt(), zone),
            IncidentRow.severityWords(a.content().severity()), IncidentRow.severityClass(a.content().severity()),
            a.content().kind(), a.content().who(), a.content().subject(), incidentOf(a.content().link()),
            a.acknowledgedBy(), Times.when(a.acknowledgedAt(), zone)))
        .toList();
    view.render(ctx, "safeguarding/alerts.jte", view.page(ctx, "Alerts"), new AlertsModel(rows, all));
  }

  static Long incidentOf(String link) {
    if (link == null || !link.startsWith("incident:")) {
      return null;
    }
    try {
      return Long.parseLong(link.substring("incident:".length()));
    } catch (NumberFormatException e) {
      return null;
    }
  }

  public void acknowledgeAlert(Context ctx) {
    AlertId id = new AlertId(AuthRoutes.pathId(ctx));
    if (s.store().alerts().get(id).filter(a -> a.content().audience() == Alert.Audience.DSL).isEmpty()) {
      throw ApiException.notFound("There is no alert " + id + " for the DSL.");
    }
    s.store().alerts().acknowledge(id, Caller.of(ctx).actor());
    Flash.success(ctx, "Alert " + id + " acknowledged.");
    ctx.redirect("/alerts", HttpStatus.SEE_OTHER);
  }

  public void incidents(Context ctx) {
    String state = ctx.queryParam("state");
    String severity = ctx.queryParam("severity");
    IncidentState st = state == null || state.isBlank() ? null : IncidentState.parse(state).orElse(null);
    Alert.Severity sev = severity == null || severity.isBlank() ? null : Alert.Severity.parse(severity).orElse(null);
    ZoneId zone = s.holder().current().timezone();
    List<IncidentRow> rows = s.store().incidents()
        .list(new IncidentStore.Query(st, sev, null, null, null, 200), viewer(ctx)).stream()
        .map(i -> IncidentRow.of(i, zone)).toList();
    view.render(ctx, "safeguarding/incidents.jte", view.page(ctx, "Incidents"),
        new IncidentsModel(rows, st == null ? "" : st.apiName(), sev == null ? "" : sev.apiName()));
  }

  public void incident(Context ctx) {
    IncidentHistory h = s.store().incidents().get(new IncidentId(AuthRoutes.pathId(ctx)), viewer(ctx));
    ZoneId zone = s.holder().current().timezone();
    List<Entry> timeline = h.timeline().stream().map(e -> new Entry(Times.when(e.at(), zone), e.actor(), what(e)))
        .toList();
    view.render(ctx, "safeguarding/incident.jte", view.page(ctx, "Incident " + h.incident().id().value()),
        new IncidentModel(IncidentRow.of(h.incident(), zone), timeline, manager(ctx),
            Arrays.stream(IncidentAction.values()).map(IncidentAction::apiName).toList()));
  }

  static String what(TimelineEntry e) {
    String text = e.text() == null || e.text().isBlank() ? "" : ": " + e.text();
    return switch (e.type()) {
      case HIT -> "Alert " + (e.alert() == null ? "" : e.alert().value()) + " joined" + text;
      case STATE -> "State " + (e.state() == null ? "changed" : IncidentRow.stateWords(e.state())) + text;
      case ASSIGNED -> "Assigned to " + e.owner();
      case NOTE -> "Note" + text;
      case ACTION -> "Action " + (e.action() == null ? "" : e.action().apiName()) + text;
    };
  }

  public void change(Context ctx) {
    IncidentId id = new IncidentId(AuthRoutes.pathId(ctx));
    Caller caller = Caller.of(ctx);
    String change = ctx.pathParam("change");
    boolean manage = manager(ctx);
    IncidentStore incidents = s.store().incidents();
    String done;
    switch (change) {
      case "note" -> {
        incidents.note(id, form(ctx, "text"), viewer(ctx));
        done = "Note added.";
      }
      case "action" -> {
        String name = form(ctx, "action");
        IncidentAction action = IncidentAction.parse(name).orElseThrow(() -> ApiException.invalid("action",
            "Choose an action (expected: one of " + IncidentAction.EXPECTED + ")."));
        String text = form(ctx, "text");
        incidents.action(id, action, text.isEmpty() ? null : text, viewer(ctx));
        done = "Action recorded.";
      }
      case "acknowledge", "assign", "escalate", "close" -> {
        if (!manage) {
          throw ApiException.forbidden("forbidden", "Only the DSL or a senior leader can " + change + " an incident.");
        }
        switch (change) {
          case "acknowledge" -> incidents.acknowledge(id, caller.actor());
          case "assign" -> incidents.assign(id, form(ctx, "owner"), caller.actor());
          case "escalate" -> incidents.escalate(id, emptyToNull(form(ctx, "reason")), caller.actor());
          default -> incidents.close(id, form(ctx, "outcome"), caller.actor());
        }
        done = switch (change) {
          case "acknowledge" -> "Incident acknowledged.";
          case "assign" -> "Incident assigned to " + form(ctx, "owner") + ".";
          case "escalate" -> "Incident escalated to the next contact.";
          default -> "Incident closed.";
        };
      }
      default -> throw ApiException.notFound("There is no incident change '" + change
          + "' (expected: acknowledge, assign, escalate, close, note or action).");
    }
    Flash.success(ctx, done);
    ctx.redirect("/incidents/" + id.value(), HttpStatus.SEE_OTHER);
  }

  private static boolean manager(Context ctx) {
    Caller caller = Caller.of(ctx);
    return caller.has(Role.DSL) || caller.has(Role.SENIOR_LEADER);
  }

  private static IncidentStore.Viewer viewer(Context ctx) {
    return new IncidentStore.Viewer(Caller.of(ctx).actor(), manager(ctx));
  }

  private static String form(Context ctx, String name) {
    String v = ctx.formParam(name);
    return v == null ? "" : v.strip();
  }

  private static String emptyToNull(String s) {
    return s.isEmpty() ? null : s;
  }
}
