package org.schoolgate.admin.console;

import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.javalin.http.HttpStatus;
import io.javalin.security.RouteRole;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Set;
import org.schoolgate.admin.auth.Access;
import org.schoolgate.admin.auth.AdminGuard;
import org.schoolgate.admin.auth.Caller;
import org.schoolgate.admin.client.ClientAddresses;
import org.schoolgate.admin.metrics.AdminMetrics;
import org.schoolgate.store.Role;
import org.schoolgate.store.SessionStore;
import org.schoolgate.store.SessionStore.Principal;

/**
 * Runs before every console route ({@code beforeMatched}). Public routes (assets, sign-in) only
 * have their form posts' CSRF checked against the pre-sign-in cookie. Every other route needs the
 * session cookie (a browser sign-in; bearer tokens are for the JSON API): none or expired → a
 * redirect to {@code /sign-in?next=...}; the wrong roles → the 403 page; a form post without the
 * session's CSRF token → the 403 page, counted in {@code schoolgate.console.csrf.refused}.
 */
public final class ConsoleGuard {
  /** Set on the context once a caller is attached (the sign-in pages have none). */
  static final String CALLER_SET = "schoolgate.console.signed-in";

  private final SessionStore sessions;
  private final View view;
  private final AdminMetrics metrics;

  ConsoleGuard(SessionStore sessions, View view, AdminMetrics metrics) {
    this.sessions = sessions;
    this.view = view;
    this.metrics = metrics;
  }

  /** The console route of a request, or null for API routes and unmatched paths. */
  public static ConsoleRoute routeOf(Context ctx) {
    for (RouteRole role : ctx.routeRoles()) {
      if (role instanceof ConsoleRoute r) {
        return r;
      }
    }
    return null;
  }

  void check(Context ctx) {
    ConsoleRoute route = routeOf(ctx);
    if (route == null) {
      return;
    }
    ctx.header("X-Content-Type-Options", "nosniff");
    ctx.header("X-Frame-Options", "DENY");
    ctx.header("Referrer-Policy", "same-origin");
    Access access = route.access();
    boolean post = ctx.method() == HandlerType.POST;
    if (access.open()) {
      if (post && !Csrf.valid(ctx, ctx.cookie(Csrf.COOKIE))) {
        refuseCsrf(ctx);
      }
      return;
    }
    String token = ctx.cookie(AdminGuard.SESSION_COOKIE);
    Optional<Principal> principal = token == null || token.isBlank() ? Optional.empty() : sessions.authenticate(token);
    if (principal.isEmpty()) {
      if (post) {
        Flash.error(ctx, "Your session has ended, so nothing was changed. Sign in and try again.");
      }
      ctx.redirect("/sign-in" + (post ? "" : "?next=" + URLEncoder.encode(pathAndQuery(ctx), StandardCharsets.UTF_8)),
          HttpStatus.SEE_OTHER);
      ctx.skipRemainingHandlers();
      return;
    }
    Caller caller = new Caller(principal.get().account(), principal.get().kind(), token, ClientAddresses.of(ctx));
    caller.attachTo(ctx);
    ctx.attribute(CALLER_SET, Boolean.TRUE);
    Set<Role> roles = caller.account().roles();
    boolean sourceOnly = roles.equals(Set.of(Role.IDENTITY_SOURCE));
    if (sourceOnly || (!access.allows(roles) && !access.assignee())) {
      metrics.consoleForbidden();
      view.error(ctx, HttpStatus.FORBIDDEN, "You cannot open this page",
          "This page is for: " + (access.roleNames().isEmpty() ? "staff accounts" : access.roleNames())
              + ". Your account holds: " + (roles.isEmpty() ? "no roles" : roleNames(roles))
              + ". Ask an admin if you need it.");
      ctx.skipRemainingHandlers();
      return;
    }
    if (post && !Csrf.valid(ctx, token)) {
      refuseCsrf(ctx);
    }
  }

  private void refuseCsrf(Context ctx) {
    metrics.consoleCsrfRefused();
    view.error(ctx, HttpStatus.FORBIDDEN, "The form could not be accepted",
        "The form was missing its security token, was older than your current sign-in, or came from another"
            + " site, so nothing was changed. Go back, reload the page and submit it again.");
    ctx.skipRemainingHandlers();
  }

  static String roleNames(Set<Role> roles) {
    return String.join(", ", roles.stream().map(Role::apiName).sorted().toList());
  }

  static String pathAndQuery(Context ctx) {
    String q = ctx.queryString();
    return ctx.path() + (q == null || q.isEmpty() ? "" : "?" + q);
  }

  /** {@code next} if it is a path on this server (never another site), else {@code /}. */
  public static String safeNext(String next) {
    if (next == null || !next.startsWith("/") || next.startsWith("//") || next.startsWith("/\\")
        || next.contains("\r") || next.contains("\n")) {
      return "/";
    }
    return next;
  }
}
