package org.schoolgate.admin.console.unblock;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.time.Instant;
import java.util.List;
import org.schoolgate.admin.auth.AuthRoutes;
import org.schoolgate.admin.auth.Caller;
import org.schoolgate.admin.auth.TaughtGroups;
import org.schoolgate.admin.console.Console;
import org.schoolgate.admin.console.Flash;
import org.schoolgate.admin.console.Levels;
import org.schoolgate.admin.console.View;
import org.schoolgate.admin.explain.Explainer;
import org.schoolgate.admin.explain.InputException;
import org.schoolgate.admin.http.ApiException;
import org.schoolgate.admin.http.JsonBody;
import org.schoolgate.policy.CategoryId;
import org.schoolgate.policy.Decision;
import org.schoolgate.policy.GroupId;
import org.schoolgate.policy.Level;
import org.schoolgate.policy.PolicySnapshot;
import org.schoolgate.policy.RequestFacts;
import org.schoolgate.policy.UnblockId;
import org.schoolgate.policy.url.ParsedUrl;
import org.schoolgate.store.UnblockRecord;

/**
 * A teacher's pages: {@code GET /requests/new} (the block page's "request access" link lands
 * here through {@code /request-access}, with {@code url}, {@code host}, {@code category},
 * {@code group} filled in), {@code POST /requests}, {@code GET /requests} (my requests and their
 * state), {@code POST /requests/{id}/cancel} and {@code GET /why-blocked} (the decide explain for
 * a group: a teacher's own taught groups only, {@link TaughtGroups}; with none set the page says to
 * ask an admin). The request posts the same fields as {@code POST /api/v1/unblocks}, so the rules and
 * messages are the workflow's.
 */
public final class RequestPages {
  /** Choices for how long, in minutes. */
  static final List<Choice> DURATIONS = List.of(new Choice("60", "1 hour (a lesson)"), new Choice("120", "2 hours"),
      new Choice("1440", "1 day"), new Choice("10080", "1 week"), new Choice("20160", "2 weeks (the most allowed)"));

  private final View view;
  private final Console.Services s;

  public RequestPages(View view, Console.Services services) {
    this.view = view;
    this.s = services;
  }

  /** An option of a select or a checkbox. */
  public record Choice(String value, String label) {}

  /** The request form's model: what was blocked and what is filled in. */
  public record FormModel(String site, String category, String group, String targetType, String targetValue,
      List<GroupChoice> groups, String subnets, List<Choice> durations, String duration, String reason, String error,
      String errorField) {}

  /** A group checkbox. */
  public record GroupChoice(String name, boolean checked) {}

  /** My requests. */
  public record MineModel(List<UnblockRow> requests) {}

  /** "Why is this blocked?": the question and, once asked, the answer. */
  public record WhyModel(String url, String group, List<String> groups, Answer answer, String error) {}

  /** One decision explained for people. */
  public record Answer(boolean blocked, String level, String levelClass, String reason, String rule,
      List<String> categories, String decidingCategory, boolean illegal, String requestLink) {}

  public void form(Context ctx) {
    String url = param(ctx, "url");
    String host = param(ctx, "host");
    String group = param(ctx, "group");
    view.render(ctx, "unblock/new.jte", view.page(ctx, "Request an unblock"), new FormModel(
        url.isEmpty() ? host : url, param(ctx, "category"), group, url.isEmpty() ? "domain" : "url",
        url.isEmpty() ? host : url, groups(List.of(group)), "", DURATIONS, "60", "", null, null));
  }

  public void create(Context ctx) {
    Caller caller = Caller.of(ctx);
    List<String> checked = ctx.formParams("groups");
    String type = form(ctx, "targetType");
    String value = form(ctx, "targetValue");
    String subnets = form(ctx, "subnets");
    String duration = form(ctx, "duration");
    String reason = form(ctx, "reason");
    ObjectNode body = s.mapper().createObjectNode();
    body.putObject("target").put("type", type).put("value", value);
    ArrayNode g = body.putArray("groups");
    checked.forEach(g::add);
    ArrayNode n = body.putArray("subnets");
    for (String subnet : subnets.split("[,\\s]+")) {
      if (!subnet.isBlank()) {
        n.add(subnet.strip());
      }
    }
    try {
      body.put("durationMinutes", Integer.parseInt(duration));
    } catch (NumberFormatException e) {
      body.put("durationMinutes", 60);
    }
    body.put("reason", reason);
    try {
      UnblockRecord r = s.unblocks().request(JsonBody.parse(s.mapper(), body.toString()), caller);
      Flash.success(ctx, "Request " + r.id().value() + " sent: " + r.request().target().text() + ". "
          + (r.request().sensitive() ? "It touches a sensitive category, so the DSL or a senior leader will decide."
              : "A technician will decide; you will see the answer here."));
      ctx.redirect("/requests", HttpStatus.SEE_OTHER);
    } catch (ApiException e) {
      view.render(ctx, e.status(), "unblock/new.jte", view.page(ctx, "Request an unblock"), new FormModel(value, "",
          "", type, value, groups(checked), subnets, DURATIONS, duration, reason, e.getMessage(), field(e.field())));
    }
  }

  public void mine(Context ctx) {
    Caller caller = Caller.of(ctx);
    PolicySnapshot snapshot = s.holder().current();
    Instant now = s.clock().instant();
    List<UnblockRow> rows = s.unblocks().list(caller, null).stream()
        .filter(r -> r.requestedById().equals(caller.account().id()))
        .map(r -> UnblockRow.of(r, snapshot.timezone(), now)).toList();
    view.render(ctx, "unblock/mine.jte", view.page(ctx, "My requests"), new MineModel(rows));
  }

  public void cancel(Context ctx) {
    UnblockRecord r = s.unblocks().cancel(new UnblockId(AuthRoutes.pathId(ctx)), Caller.of(ctx), form(ctx, "note"));
    Flash.success(ctx, "Request " + r.id().value() + " is cancelled.");
    ctx.redirect("/requests", HttpStatus.SEE_OTHER);
  }

  public void whyBlocked(Context ctx) {
    PolicySnapshot snapshot = s.holder().current();
    TaughtGroups.Scope scope = TaughtGroups.of(Caller.of(ctx).account(), s.store().accounts(), snapshot);
    List<String> groups = scope.offered(snapshot);
    String url = param(ctx, "url");
    String group = param(ctx, "group");
    if (groups.isEmpty()) {
      view.render(ctx, HttpStatus.FORBIDDEN, "unblock/why.jte", view.page(ctx, "Why is this blocked?"),
          new WhyModel(url, "", groups, null, null));
      return;
    }
    if (!group.isEmpty() && !groups.contains(group)) {
      if (scope instanceof TaughtGroups.Scope.Only) {
        throw TaughtGroups.notTaught(group, groups);
      }
      group = "";
    }
    if (group.isEmpty()) {
      group = groups.get(0);
    }
    Answer answer = null;
    String error = null;
    if (!url.isEmpty()) {
      try {
        ParsedUrl parsed = Explainer.parseUrl(url, "url");
        Decision d = snapshot.decide(new RequestFacts(new GroupId(group), null, parsed.host(), parsed.pathAndQuery(),
            s.clock().instant()));
        answer = answer(d, parsed, url, snapshot);
      } catch (InputException e) {
        error = e.getMessage();
      }
    }
    view.render(ctx, error == null ? HttpStatus.OK : HttpStatus.BAD_REQUEST, "unblock/why.jte",
        view.page(ctx, "Why is this blocked?"), new WhyModel(url, group, groups, answer, error));
  }

  private static Answer answer(Decision d, ParsedUrl parsed, String url, PolicySnapshot snapshot) {
    CategoryId deciding = d.decidingCategory();
    boolean illegal = d.level() == Level.ILLEGAL;
    String link = d.blocked() && !illegal
        ? "/requests/new?url=" + enc(url) + "&host=" + enc(parsed.host()) + "&group=" + enc(d.group().value())
            + (deciding == null ? "" : "&category=" + enc(deciding.value()))
        : null;
    return new Answer(d.blocked(), Levels.words(d.level()), Levels.cssClass(d.level()), d.reason(), d.ruleText(),
        d.categories().categories().stream().map(CategoryId::value).toList(),
        deciding == null ? null : deciding.value(), illegal, link);
  }

  private List<GroupChoice> groups(List<String> checked) {
    return s.holder().current().groups().stream()
        .map(g -> new GroupChoice(g.value(), checked.contains(g.value()))).toList();
  }

  private static String field(String apiField) {
    if (apiField == null) {
      return "targetValue";
    }
    if (apiField.startsWith("target")) {
      return "targetValue";
    }
    return switch (apiField) {
      case "reason" -> "reason";
      case "subnets" -> "subnets";
      case "groups", "users" -> "groups";
      default -> "duration";
    };
  }

  private static String param(Context ctx, String name) {
    String v = ctx.queryParam(name);
    return v == null ? "" : v.strip();
  }

  private static String form(Context ctx, String name) {
    String v = ctx.formParam(name);
    return v == null ? "" : v.strip();
  }

  private static String enc(String s) {
    return java.net.URLEncoder.encode(s, java.nio.charset.StandardCharsets.UTF_8);
  }
}
