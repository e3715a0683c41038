package org.schoolgate.admin.console;

import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.schoolgate.admin.auth.Caller;
import org.schoolgate.store.Account;

/**
 * Renders console templates (precompiled into {@code org.schoolgate.admin.console.templates} at
 * build time, so the runtime needs no compiler) with the headers every console page gets: a
 * strict CSP with a fresh nonce (no inline script or style without it; nothing from other
 * origins), {@code no-store}, no framing, no sniffing, same-origin referrers.
 *
 * <pre>{@code
 * view.render(ctx, "unblock/approvals.jte", view.page(ctx, "Approvals"), model);
 * }</pre>
 */
public final class View {
  private static final SecureRandom RANDOM = new SecureRandom();
  private final TemplateEngine engine = TemplateEngine.createPrecompiled(null, ContentType.Html,
      View.class.getClassLoader(), "org.schoolgate.admin.console.templates");
  private final Assets assets;

  public View(Assets assets) {
    this.assets = assets;
  }

  /** The CSP for a response with {@code nonce}. */
  static String csp(String nonce) {
    return "default-src 'none'; script-src 'self' 'nonce-" + nonce + "'; style-src 'self'; img-src 'self' data:;"
        + " font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
  }

  /** The layout's model for a signed-in page (or the sign-in pages, where there is no caller). */
  public Page page(Context ctx, String title) {
    Caller caller = ctx.attribute(ConsoleGuard.CALLER_SET) == null ? null : Caller.of(ctx);
    Account user = caller == null ? null : caller.account();
    String csrf = caller == null ? Csrf.token(Csrf.anonymousSecret(ctx)) : Csrf.token(caller.token());
    byte[] bytes = new byte[18];
    RANDOM.nextBytes(bytes);
    String nonce = Base64.getEncoder().encodeToString(bytes);
    return new Page(title, user, nav(ctx, user), csrf, nonce, Flash.take(ctx), assets);
  }

  private static List<Page.NavItem> nav(Context ctx, Account user) {
    List<Page.NavItem> items = new ArrayList<>();
    if (user == null) {
      return items;
    }
    ConsoleRoute current = ConsoleGuard.routeOf(ctx);
    for (ConsoleRoute r : ConsoleRoute.values()) {
      if (r.navLabel() != null && r.access().allows(user.roles())) {
        items.add(new Page.NavItem(r.navLabel(), r.path(), r == current));
      }
    }
    return items;
  }

  /** Renders {@code template} with {@code page} and {@code model} as the response (status 200). */
  public void render(Context ctx, String template, Page page, Object model) {
    render(ctx, HttpStatus.OK, template, page, model);
  }

  public void render(Context ctx, HttpStatus status, String template, Page page, Object model) {
    StringOutput out = new StringOutput();
    engine.render(template, Map.of("page", page, "model", model), out);
    ctx.header("Content-Security-Policy", csp(page.nonce()));
    ctx.header("Cache-Control", "no-store");
    ctx.status(status).contentType("text/html; charset=utf-8").result(out.toString());
  }

  /** The error page (403, 404, 400, 409, 503) with a message that says what to do. */
  public void error(Context ctx, HttpStatus status, String heading, String message) {
    render(ctx, status, "error.jte", page(ctx, heading), new ErrorModel(status.getCode(), heading, message));
  }

  /** The error page's model. */
  public record ErrorModel(int status, String heading, String message) {}
}
