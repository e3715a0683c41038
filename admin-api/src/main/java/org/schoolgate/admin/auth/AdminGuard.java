package org.schoolgate.admin.auth;

import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.javalin.security.RouteRole;
import java.util.Locale;
import java.util.Optional;
import org.schoolgate.admin.client.ClientAddresses;
import org.schoolgate.admin.http.ApiException;
import org.schoolgate.store.SessionStore;
import org.schoolgate.store.SessionStore.Principal;

/**
 * Runs before every matched route (Javalin {@code beforeMatched}): finds the route's
 * {@link ApiRoute}, and unless it is public, authenticates the request and checks the roles.
 * No sign-in → 401 {@code unauthenticated}; the wrong roles → 403 {@code forbidden} naming the
 * roles that would do (routes open to an assignee let every signed-in account through to the
 * handler, which checks the assignment). Tokens come from {@code Authorization: Bearer} or the
 * {@value #SESSION_COOKIE} cookie.
 */
public final class AdminGuard {
  /** The session cookie set by {@code POST /api/v1/login}. */
  public static final String SESSION_COOKIE = "schoolgate_session";

  private final SessionStore sessions;

  public AdminGuard(SessionStore sessions) {
    this.sessions = sessions;
  }

  /** The {@code beforeMatched} handler. */
  public void check(Context ctx) {
    ApiRoute route = routeOf(ctx);
    if (route == null) {
      return; // static files and Javalin's own handlers: nothing of ours is mounted without a route
    }
    Access access = route.access();
    if (access.open()) {
      return;
    }
    String token = token(ctx).orElseThrow(() -> unauthenticated(
        "sign in first: POST /api/v1/login, then send the " + SESSION_COOKIE
            + " cookie or an Authorization: Bearer <token> header"));
    Principal principal = sessions.authenticate(token).orElseThrow(() -> unauthenticated(
        "the session or token has expired, was revoked, or its account is disabled; sign in again"));
    if (!access.allows(principal.account().roles()) && !access.assignee()) {
      throw new ApiException(HttpStatus.FORBIDDEN, "forbidden",
          route.text() + " needs one of: " + access.roleNames(), null);
    }
    new Caller(principal.account(), principal.kind(), token, ClientAddresses.of(ctx)).attachTo(ctx);
  }

  private static ApiRoute routeOf(Context ctx) {
    for (RouteRole role : ctx.routeRoles()) {
      if (role instanceof ApiRoute r) {
        return r;
      }
    }
    return null;
  }

  /** The bearer token or session cookie of a request, if any. */
  public static Optional<String> token(Context ctx) {
    String header = ctx.header("Authorization");
    if (header != null && !header.isBlank()) {
      String h = header.strip();
      if (h.length() > 7 && h.substring(0, 7).toLowerCase(Locale.ROOT).equals("bearer ")) {
        String t = h.substring(7).strip();
        return t.isEmpty() ? Optional.empty() : Optional.of(t);
      }
      throw unauthenticated("the Authorization header is not a bearer token (expected: Authorization: Bearer <token>)");
    }
    String cookie = ctx.cookie(SESSION_COOKIE);
    return cookie == null || cookie.isBlank() ? Optional.empty() : Optional.of(cookie);
  }

  private static ApiException unauthenticated(String message) {
    return new ApiException(HttpStatus.UNAUTHORIZED, "unauthenticated", message, null);
  }
}
