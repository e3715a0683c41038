package org.schoolgate.admin.console.device;

import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import org.schoolgate.admin.client.ClientAddresses;
import org.schoolgate.admin.console.View;
import org.schoolgate.policy.PolicyHolder;
import org.schoolgate.policy.model.Subnet;

/**
 * {@code GET /device-sign-in?return=&ticket=}: the form (a school account, or a guest code);
 * {@code POST /device-sign-in}: signs the device in ({@link DeviceSignIn}) and says until when,
 * with a link back to the page the proxy sent it from (http and https only). The console's CSRF
 * check covers the form like every other; the page needs nobody signed in to the console.
 */
public final class DeviceSignInPages {
  private static final DateTimeFormatter HOUR = DateTimeFormatter.ofPattern("HH:mm", Locale.UK);
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm 'on' EEEE d MMMM", Locale.UK);

  private final View view;
  private final DeviceSignIn signIn;
  private final PolicyHolder holder;
  private final boolean oidc;

  public DeviceSignInPages(View view, DeviceSignIn signIn, PolicyHolder holder) {
    this(view, signIn, holder, false);
  }

  /** {@code oidc}: the form offers sign-in with the school's OpenID Connect provider ({@code /oidc/start}). */
  public DeviceSignInPages(View view, DeviceSignIn signIn, PolicyHolder holder, boolean oidc) {
    this.view = view;
    this.signIn = signIn;
    this.holder = holder;
    this.oidc = oidc;
  }

  /**
   * The page's model: the form's hidden fields, what was typed, the outcome; {@code oidcStart} the
   * link that signs in with the school's cloud account, or null when there is none.
   */
  public record DeviceModel(String returnUrl, String ticket, String username, String error, String signedInAs,
      String until, String oidcStart) {
    public DeviceModel(String returnUrl, String ticket, String username, String error, String signedInAs,
        String until) {
      this(returnUrl, ticket, username, error, signedInAs, until, null);
    }
  }

  /** The link that starts an OpenID Connect sign-in for this device ({@code ticket} and {@code return} kept). */
  public static String oidcStart(String returnUrl, String ticket) {
    return "/oidc/start?for=device&return=" + java.net.URLEncoder.encode(returnUrl, java.nio.charset.StandardCharsets.UTF_8)
        + "&ticket=" + java.net.URLEncoder.encode(ticket, java.nio.charset.StandardCharsets.UTF_8);
  }

  public void form(Context ctx) {
    render(ctx, HttpStatus.OK, new DeviceModel(back(ctx.queryParam("return")), text(ctx.queryParam("ticket")), "",
        null, null, null));
  }

  public void submit(Context ctx) {
    String back = back(ctx.formParam("return"));
    String ticket = text(ctx.formParam("ticket"));
    String username = text(ctx.formParam("username"));
    String code = text(ctx.formParam("code"));
    String password = ctx.formParam("password");
    InetAddress address = signIn.address(ticket, seen(ctx));
    DeviceSignIn.Outcome outcome;
    if (!code.isEmpty()) {
      outcome = signIn.withVoucher(address, code);
    } else if (!username.isEmpty() && password != null && !password.isEmpty()) {
      outcome = signIn.withAccount(address, username, password.toCharArray());
    } else {
      outcome = new DeviceSignIn.Outcome.Refused("Enter your school user name and password, or a guest code.");
    }
    show(ctx, outcome, back, ticket, username);
  }

  /** Renders what became of a sign-in: signed in until when, or the form again with why not. */
  public void show(Context ctx, DeviceSignIn.Outcome outcome, String back, String ticket, String username) {
    if (outcome instanceof DeviceSignIn.Outcome.SignedIn s) {
      ZoneId zone = holder.current().timezone();
      render(ctx, HttpStatus.OK, new DeviceModel(back, "", "", null, s.user(), TIME.format(s.until().atZone(zone))));
    } else if (outcome instanceof DeviceSignIn.Outcome.Refused r) {
      render(ctx, HttpStatus.UNAUTHORIZED, new DeviceModel(back, ticket, username, r.message(), null, null));
    } else if (outcome instanceof DeviceSignIn.Outcome.Throttled t) {
      ctx.header("Retry-After", Long.toString(t.seconds()));
      String when = HOUR.format(t.until().atZone(holder.current().timezone()));
      render(ctx, HttpStatus.TOO_MANY_REQUESTS, new DeviceModel(back, ticket, username, (t.everyone()
          ? "Too many wrong codes and passwords have been tried on this network just now."
          : "Too many wrong codes or passwords have been tried from this device.") + " Try again after " + when
          + ", or ask the office for help.", null, null));
    } else if (outcome instanceof DeviceSignIn.Outcome.Unavailable u) {
      render(ctx, HttpStatus.SERVICE_UNAVAILABLE, new DeviceModel(back, ticket, username, u.message(), null, null));
    } else {
      String message = ((DeviceSignIn.Outcome.NotHere) outcome).message();
      render(ctx, HttpStatus.FORBIDDEN, new DeviceModel(back, ticket, username, message, null, null));
    }
  }

  private void render(Context ctx, HttpStatus status, DeviceModel given) {
    DeviceModel model = !oidc || given.signedInAs() != null ? given : new DeviceModel(given.returnUrl(),
        given.ticket(), given.username(), given.error(), null, null, oidcStart(given.returnUrl(), given.ticket()));
    view.render(ctx, status, "device/signin.jte", view.page(ctx, "Sign in to use the internet"), model);
  }

  /** The page's own client address (the TCP peer, or what a trusted proxy says). */
  public static InetAddress seen(Context ctx) {
    String a = ClientAddresses.of(ctx);
    String literal = a.startsWith("[") && a.endsWith("]") ? a.substring(1, a.length() - 1) : a;
    try {
      return InetAddress.getByAddress(Subnet.parse(literal).network());
    } catch (UnknownHostException | IllegalArgumentException e) {
      throw new IllegalStateException("the server gave a client address that is not an IP literal: " + a, e);
    }
  }

  /** The page to go back to: an absolute http(s) URL of at most 2,000 characters, else none. */
  public static String back(String url) {
    if (url == null || url.length() > 2000) {
      return "";
    }
    try {
      URI u = URI.create(url.strip());
      String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
      return (scheme.equals("http") || scheme.equals("https")) && u.getHost() != null ? u.toString() : "";
    } catch (IllegalArgumentException e) {
      return "";
    }
  }

  private static String text(String value) {
    return value == null ? "" : value.strip();
  }
}
