package org.schoolgate.admin.console.oidc;

import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.schoolgate.admin.client.ClientAddresses;
import org.schoolgate.admin.console.ConsoleGuard;
import org.schoolgate.admin.console.View;
import org.schoolgate.admin.console.device.DeviceSignIn;
import org.schoolgate.admin.console.device.DeviceSignInPages;
import org.schoolgate.admin.console.signin.SignInPages;
import org.schoolgate.admin.metrics.AdminMetrics;
import org.schoolgate.admin.metrics.AdminMetrics.OidcOutcome;
import org.schoolgate.admin.metrics.AdminMetrics.OidcPurpose;
import org.schoolgate.admin.oidc.OidcFlows;
import org.schoolgate.admin.oidc.OidcFlows.Purpose;
import org.schoolgate.admin.oidc.OidcPerson;
import org.schoolgate.admin.oidc.OidcProvider;
import org.schoolgate.admin.oidc.OidcProvider.Answer;
import org.schoolgate.admin.oidc.OidcSettings;

/**
 * {@code GET /oidc/start} and {@code GET /oidc/callback}. The start sets the {@value #COOKIE}
 * cookie (the browser's key for this flow; {@code SameSite=Lax}, because the provider's redirect
 * back is a cross-site navigation that would not carry a strict cookie) and sends the browser to
 * the provider. The callback takes the flow of its {@code state} once, checks the browser's key,
 * and then hands the person to the device sign-in ({@link DeviceSignIn#withProvider}) or to the
 * console ({@link ConsoleSignIn}). Both are GET (a link, not a form): the console's CSP allows form
 * posts only to itself, and a flow started by someone else's page can only end with the browser's
 * own account.
 */
public final class OidcPages {
  static final String COOKIE = "schoolgate_oidc";

  private final View view;
  private final OidcProvider provider;
  private final OidcFlows flows;
  private final DeviceSignIn device;
  private final DeviceSignInPages devicePages;
  private final ConsoleSignIn console;
  private final AdminMetrics metrics;

  public OidcPages(View view, OidcProvider provider, OidcFlows flows, DeviceSignIn device,
      DeviceSignInPages devicePages, ConsoleSignIn console, AdminMetrics metrics) {
    this.view = view;
    this.provider = provider;
    this.flows = flows;
    this.device = device;
    this.devicePages = devicePages;
    this.console = console;
    this.metrics = metrics;
  }

  /** The console's sign-in step after the provider: the page-side half lives with the sign-in pages. */
  public static ConsoleSignIn consoleSignIn(View view, SignInPages pages, org.schoolgate.store.Store store,
      OidcSettings settings, AdminMetrics metrics) {
    return new ConsoleSignIn(view, pages, store, settings, metrics);
  }

  public void start(Context ctx) {
    String kind = ctx.queryParam("for");
    Purpose purpose;
    OidcPurpose tag;
    if ("device".equals(kind)) {
      tag = OidcPurpose.DEVICE;
      String ticket = text(ctx.queryParam("ticket"));
      String back = DeviceSignInPages.back(ctx.queryParam("return"));
      if (!ticket.isEmpty() && !device.ticketValid(ticket)) {
        metrics.oidcSignIn(tag, OidcOutcome.EXPIRED);
        view.error(ctx, HttpStatus.BAD_REQUEST, "This sign-in page has run out", "The sign-in page was opened more"
            + " than 15 minutes ago. Open any web page again on this device to get a fresh one, then sign in.");
        return;
      }
      purpose = new Purpose.Device(device.address(ticket, DeviceSignInPages.seen(ctx)), ticket, back);
    } else if ("console".equals(kind)) {
      tag = OidcPurpose.CONSOLE;
      purpose = new Purpose.Console(ConsoleGuard.safeNext(ctx.queryParam("next")));
    } else {
      view.error(ctx, HttpStatus.BAD_REQUEST, "That did not work", "The sign-in link is incomplete (expected:"
          + " /oidc/start?for=device or for=console). Go back and use the sign-in button.");
      return;
    }
    URI callback = redirectUri(ctx);
    if (callback == null) {
      view.error(ctx, HttpStatus.BAD_REQUEST, "That did not work", "The request named no usable host for this"
          + " server (set oidc.redirect-uri when Schoolgate stands behind a reverse proxy).");
      return;
    }
    Optional<OidcFlows.Started> started = flows.start(purpose, callback);
    if (started.isEmpty()) {
      metrics.oidcSignIn(tag, OidcOutcome.UNAVAILABLE);
      view.error(ctx, HttpStatus.SERVICE_UNAVAILABLE, "Try again shortly", "Too many sign-ins are in progress."
          + " Wait a minute and try again.");
      return;
    }
    OidcFlows.Flow flow = started.get().flow();
    Answer<URI> url = provider.authorizationUrl(flow, flow.redirectUri());
    if (url instanceof Answer.Ok<URI> ok) {
      ctx.res().addHeader("Set-Cookie", COOKIE + "=" + started.get().browserKey() + "; Path=/oidc; Max-Age="
          + OidcFlows.LIFE.toSeconds() + "; HttpOnly; SameSite=Lax" + (ctx.req().isSecure() ? "; Secure" : ""));
      ctx.redirect(ok.value().toString(), HttpStatus.SEE_OTHER);
      return;
    }
    metrics.oidcSignIn(tag, OidcOutcome.UNAVAILABLE);
    unreachable(ctx, ((Answer.Unavailable<URI>) url).message(), tag);
  }

  public void callback(Context ctx) {
    OidcFlows.Taken taken = flows.take(ctx.queryParam("state"), ctx.cookie(COOKIE));
    ctx.res().addHeader("Set-Cookie", COOKIE + "=; Path=/oidc; Max-Age=0; HttpOnly; SameSite=Lax"
        + (ctx.req().isSecure() ? "; Secure" : ""));
    if (!(taken instanceof OidcFlows.Taken.Found found)) {
      metrics.oidcSignIn(OidcPurpose.UNKNOWN, OidcOutcome.EXPIRED);
      String why = taken instanceof OidcFlows.Taken.WrongBrowser
          ? "This sign-in was started in another browser, so it cannot finish here."
          : "This sign-in was already used, or took longer than " + OidcFlows.LIFE.toMinutes() + " minutes.";
      view.error(ctx, HttpStatus.BAD_REQUEST, "Start signing in again", why + " Go back to the sign-in page and"
          + " press the button for your school account again.");
      return;
    }
    OidcFlows.Flow flow = found.flow();
    OidcPurpose tag = flow.purpose() instanceof Purpose.Device ? OidcPurpose.DEVICE : OidcPurpose.CONSOLE;
    String error = ctx.queryParam("error");
    if (error != null) {
      boolean denied = error.equals("access_denied") || error.equals("consent_required");
      metrics.oidcSignIn(tag, denied ? OidcOutcome.DENIED : OidcOutcome.REFUSED);
      view.error(ctx, HttpStatus.FORBIDDEN, "You are not signed in", denied
          ? "You did not allow Schoolgate to use your school account, so nothing was signed in. To use it, start"
              + " again and accept; or use your user name and password, or a guest code."
          : "The school's sign-in service answered '" + clip(error) + "'" + (ctx.queryParam("error_description") == null
              ? "" : ": " + clip(ctx.queryParam("error_description"))) + ". Start again, or ask the IT team.");
      return;
    }
    String code = ctx.queryParam("code");
    if (code == null || code.isBlank() || code.length() > 4096) {
      metrics.oidcSignIn(tag, OidcOutcome.REFUSED);
      view.error(ctx, HttpStatus.BAD_REQUEST, "You are not signed in", "The school's sign-in service sent no"
          + " sign-in code back. Start again.");
      return;
    }
    if (flow.purpose() instanceof Purpose.Device d && !d.ticket().isEmpty() && !device.ticketValid(d.ticket())) {
      metrics.oidcSignIn(tag, OidcOutcome.EXPIRED);
      view.error(ctx, HttpStatus.BAD_REQUEST, "This sign-in page has run out", "Signing in took longer than the"
          + " sign-in page allows (15 minutes). Open any web page again on this device to get a fresh one.");
      return;
    }
    Answer<OidcPerson> answer = provider.signIn(code, flow, flow.redirectUri());
    if (answer instanceof Answer.Unavailable<OidcPerson> u) {
      metrics.oidcSignIn(tag, OidcOutcome.UNAVAILABLE);
      unreachable(ctx, u.message(), tag);
      return;
    }
    if (answer instanceof Answer.Refused<OidcPerson> r) {
      metrics.oidcSignIn(tag, OidcOutcome.REFUSED);
      view.error(ctx, HttpStatus.FORBIDDEN, "You are not signed in", "Schoolgate could not accept this sign-in: "
          + r.message() + ".");
      return;
    }
    OidcPerson person = ((Answer.Ok<OidcPerson>) answer).value();
    if (flow.purpose() instanceof Purpose.Device d) {
      List<String> groups = switch (provider.settings().groups()) {
        case CLAIM -> person.groups();
        case DIRECTORY -> null;
        case NONE -> List.of();
      };
      DeviceSignIn.Outcome outcome = device.withProvider(d.address(), person.user(), groups);
      metrics.oidcSignIn(tag, outcome instanceof DeviceSignIn.Outcome.SignedIn ? OidcOutcome.SIGNED_IN
          : outcome instanceof DeviceSignIn.Outcome.Unavailable ? OidcOutcome.UNAVAILABLE : OidcOutcome.REFUSED);
      devicePages.show(ctx, outcome, d.returnUrl(), d.ticket(), "");
      return;
    }
    console.signIn(ctx, person, ((Purpose.Console) flow.purpose()).next(), ClientAddresses.of(ctx));
  }

  private void unreachable(Context ctx, String message, OidcPurpose tag) {
    view.error(ctx, HttpStatus.SERVICE_UNAVAILABLE, "The school's sign-in service cannot be reached",
        "Signing in with your school account is not working just now: " + message + ". Try again in a minute"
            + (tag == OidcPurpose.DEVICE ? ", or use your user name and password, or a guest code." : ", or sign in"
                + " with your Schoolgate password."));
  }

  /** The callback URL: the configured one, else this server's own as the browser reached it; null for a bad Host. */
  private URI redirectUri(Context ctx) {
    URI configured = provider.settings().redirectUri();
    if (configured != null) {
      return configured;
    }
    String host = ctx.host();
    if (host == null || !host.matches("[A-Za-z0-9.\\-]+(:\\d{1,5})?|\\[[0-9A-Fa-f:.]+\\](:\\d{1,5})?")) {
      return null;
    }
    return URI.create(ctx.scheme().toLowerCase(Locale.ROOT) + "://" + host + OidcSettings.CALLBACK_PATH);
  }

  private static String clip(String text) {
    String t = text.replaceAll("\\p{Cntrl}", " ");
    return t.length() > 200 ? t.substring(0, 200) + "…" : t;
  }

  private static String text(String value) {
    return value == null ? "" : value.strip();
  }
}
