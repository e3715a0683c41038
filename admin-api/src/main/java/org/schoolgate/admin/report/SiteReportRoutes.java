package org.schoolgate.admin.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.schoolgate.admin.auth.AuthRoutes;
import org.schoolgate.admin.auth.Caller;
import org.schoolgate.admin.client.ClientAddresses;
import org.schoolgate.admin.explain.Explainer;
import org.schoolgate.admin.explain.Explanation;
import org.schoolgate.admin.http.ApiException;
import org.schoolgate.admin.http.JsonBody;
import org.schoolgate.policy.PolicyHolder;
import org.schoolgate.policy.PolicySnapshot;
import org.schoolgate.store.Actor;
import org.schoolgate.store.ConsoleLinks;
import org.schoolgate.store.NewSiteReport;
import org.schoolgate.store.Role;
import org.schoolgate.store.SiteReport;
import org.schoolgate.store.SiteReportId;
import org.schoolgate.store.SiteReportStore;

/**
 * {@code POST /api/v1/report-site} (anyone, e.g. a pupil from the block page: answered with a
 * token to read the outcome, shown once) and {@code POST /api/v1/site-reports} (signed in: the
 * report is the account's), both {@code {"kind": "wrongly-blocked" | "wrongly-allowed", "url":
 * "...", "comment": "..."}}, at most {@value #MAX_PER_ADDRESS} per client address per 10 minutes
 * (429 after). Each report stores the decision explained for the reporter's client address (and
 * user) at that moment, so the technician sees why it was blocked or allowed. {@code GET
 * /api/v1/site-reports} lists all for technicians, one's own for everyone else; {@code POST
 * /api/v1/site-reports/{id}/answer} (technician) answers; {@code GET
 * /api/v1/report-site/outcome?token=} shows an anonymous reporter the outcome.
 */
public final class SiteReportRoutes {
  static final int MAX_PER_ADDRESS = 5;
  static final Duration WINDOW = Duration.ofMinutes(10);

  private final SiteReportStore reports;
  private final PolicyHolder holder;
  private final ObjectMapper mapper;
  private final Clock clock;
  private final ReportLimiter limiter;

  public SiteReportRoutes(SiteReportStore reports, PolicyHolder holder, ObjectMapper mapper, Clock clock) {
    this.reports = reports;
    this.holder = holder;
    this.mapper = mapper;
    this.clock = clock;
    this.limiter = new ReportLimiter(MAX_PER_ADDRESS, WINDOW, clock);
  }

  /** A report as the API shows it; {@code decision} is the explanation stored at report time. */
  record View(long id, String kind, String url, String host, String comment, String group, Object decision,
      String reporter, String status, Instant createdAt, String answeredBy, Instant answeredAt, String answer,
      String link) {}

  record Made(View report, String token, String outcome) {}

  record Outcome(String kind, String url, String status, Instant createdAt, Instant answeredAt, String answer) {}

  record Reports(List<View> reports) {}

  /** Anonymous: the reporter gets a token for the outcome. */
  public void reportAnonymously(Context ctx) {
    make(ctx, new Actor(null, SiteReport.ANONYMOUS, ClientAddresses.of(ctx)), null, true);
  }

  /** Signed in: the report is the account's. */
  public void report(Context ctx) {
    Caller caller = Caller.of(ctx);
    make(ctx, caller.actor(), caller.account().username(), false);
  }

  private void make(Context ctx, Actor actor, String user, boolean withToken) {
    String address = ClientAddresses.of(ctx);
    if (!limiter.allow(address)) {
      throw new ApiException(HttpStatus.TOO_MANY_REQUESTS, "too_many_reports", "more than " + limiter.max()
          + " site reports from " + address + " in " + limiter.window().toMinutes() + " minutes (expected: wait a"
          + " few minutes, or ask the IT team directly)", null);
    }
    JsonBody body = JsonBody.parse(mapper, ctx.body());
    String kindText = body.text("kind", "wrongly-blocked or wrongly-allowed");
    SiteReport.Kind kind = SiteReport.Kind.parse(kindText).orElseThrow(() -> ApiException.invalid("kind",
        "kind '" + kindText + "' (expected: wrongly-blocked or wrongly-allowed)"));
    String url = body.text("url", "the address of the site, e.g. https://www.example.com/page");
    String comment = body.optionalText("comment", "what is wrong, in a sentence");
    PolicySnapshot snapshot = holder.current();
    Explanation why = Explainer.forClient(snapshot, inet(address), user, clock.instant()).explain(url);
    String decision;
    try {
      decision = mapper.writeValueAsString(why);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("the decision could not be written as JSON", e);
    }
    SiteReportStore.Made made = reports.report(new NewSiteReport(kind, url, why.host(), comment, address, why.group(),
        decision), actor, withToken);
    ctx.status(HttpStatus.CREATED);
    ctx.json(new Made(view(made.report()), made.token(),
        made.token() == null ? null : ConsoleLinks.siteReportOutcome(made.token())));
  }

  public void list(Context ctx) {
    Caller caller = Caller.of(ctx);
    String statusText = ctx.queryParam("status");
    SiteReport.Status status = statusText == null || statusText.isBlank() ? null
        : SiteReport.Status.parse(statusText.strip()).orElseThrow(() -> ApiException.invalid("status",
            "status '" + statusText + "' (expected: open, changed or unchanged)"));
    boolean all = caller.has(Role.TECHNICIAN);
    List<View> views = reports.list(new SiteReportStore.Query(status, all ? null : caller.account().id(), 200))
        .stream().map(this::view).toList();
    ctx.json(new Reports(views));
  }

  public void answer(Context ctx) {
    SiteReportId id = new SiteReportId(AuthRoutes.pathId(ctx));
    JsonBody body = JsonBody.parse(mapper, ctx.body());
    String statusText = body.text("status", "changed or unchanged");
    SiteReport.Status status = SiteReport.Status.parse(statusText).filter(s -> s != SiteReport.Status.OPEN)
        .orElseThrow(() -> ApiException.invalid("status", "status '" + statusText + "' (expected: changed or"
            + " unchanged)"));
    String answer = body.text("answer", "what you did or why it stays, in words the reporter understands");
    if (reports.get(id).isEmpty()) {
      throw ApiException.notFound("there is no site report " + id.value());
    }
    ctx.json(view(reports.answer(id, status, answer, Caller.of(ctx).actor())));
  }

  public void outcome(Context ctx) {
    String token = ctx.queryParam("token");
    SiteReport r = reports.byToken(token == null ? "" : token.strip()).orElseThrow(() -> ApiException.notFound(
        "no site report has this token (expected: the token given when the report was made)"));
    NewSiteReport q = r.request();
    ctx.json(new Outcome(q.kind().apiName(), q.url(), r.status().apiName(), r.createdAt(), r.answeredAt(),
        r.answer()));
  }

  private View view(SiteReport r) {
    NewSiteReport q = r.request();
    Object decision;
    try {
      decision = mapper.readTree(q.decisionJson());
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      decision = q.decisionJson();
    }
    return new View(r.id().value(), q.kind().apiName(), q.url(), q.host(), q.comment(), q.group(), decision,
        r.reporter(), r.status().apiName(), r.createdAt(), r.answeredBy(), r.answeredAt(), r.answer(),
        ConsoleLinks.siteReport(r.id().value()));
  }

  private static InetAddress inet(String address) {
    try {
      return InetAddress.getByName(address); // a literal from ClientAddresses: no lookup
    } catch (UnknownHostException e) {
      throw new IllegalStateException("client address '" + address + "' is not an IP literal", e);
    }
  }
}
