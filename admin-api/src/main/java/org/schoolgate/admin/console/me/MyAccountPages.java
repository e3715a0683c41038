package org.schoolgate.admin.console.me;

import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.List;
import org.schoolgate.admin.auth.Caller;
import org.schoolgate.admin.console.Console;
import org.schoolgate.admin.console.Flash;
import org.schoolgate.admin.console.Times;
import org.schoolgate.admin.console.View;
import org.schoolgate.admin.console.signin.SignInPages;
import org.schoolgate.admin.http.ApiException;
import org.schoolgate.admin.me.MyAccount;
import org.schoolgate.admin.secondfactor.SecondFactor;
import org.schoolgate.store.StoreException;

/**
 * "My account" for every signed-in person: {@code GET /account} (who I am, the groups I teach, my
 * password, my second factor, my recent sign-ins), {@code POST /account/password}, {@code GET|POST
 * /account/second-factor} (a new authenticator app) and {@code POST /account/recovery-codes} (new
 * codes, shown once). The rules are {@link MyAccount}'s, shared with {@code /api/v1/me/...}; a
 * refusal re-renders the form with an error summary that links to the field at fault.
 */
public final class MyAccountPages {
  private final View view;
  private final Console.Services s;

  public MyAccountPages(View view, Console.Services services) {
    this.view = view;
    this.s = services;
  }

  /** One sign-in as the page shows it. */
  public record SignInRow(String when, String address, boolean succeeded, String outcome, String method) {}

  /** The account page; {@code error} and {@code errorField} (an input's id) after a refused form. */
  public record AccountModel(MyAccount.Summary me, String secondFactorSince, List<SignInRow> signIns, String error,
      String errorField) {}

  /** The new-authenticator page. */
  public record SecondFactorModel(boolean directory, SecondFactor.Offer offer, String error, String errorField) {}

  public void show(Context ctx) {
    render(ctx, HttpStatus.OK, null, null);
  }

  public void password(Context ctx) {
    Caller caller = Caller.of(ctx);
    char[] current = chars(ctx, "currentPassword");
    char[] next = chars(ctx, "newPassword");
    char[] confirm = chars(ctx, "confirmPassword");
    try {
      if (!caller.account().directory() && current.length > 0 && next.length > 0 && !Arrays.equals(next, confirm)) {
        throw ApiException.invalid("confirmPassword", "The new password and its confirmation are different. Type"
            + " the same new password in both.");
      }
      s.me().changePassword(ctx, caller, current, next);
    } catch (ApiException e) {
      render(ctx, e.status(), sentence(e.getMessage()), passwordField(e.field()));
      return;
    } catch (StoreException e) {
      render(ctx, HttpStatus.BAD_REQUEST, sentence("the new " + e.getMessage()), "new-password");
      return;
    } finally {
      Arrays.fill(confirm, '\0');
    }
    Flash.success(ctx, "Your password is changed. You are still signed in here; everywhere else you were signed in"
        + " has been signed out.");
    ctx.redirect("/account", HttpStatus.SEE_OTHER);
  }

  public void secondFactorForm(Context ctx) {
    Caller caller = Caller.of(ctx);
    try {
      view.render(ctx, "me/second-factor.jte", view.page(ctx, "Move to a new authenticator app"),
          new SecondFactorModel(caller.account().directory(), s.me().offer(caller), null, null));
    } catch (ApiException e) {
      view.error(ctx, e.status(), "There is no second factor to move", sentence(e.getMessage()));
    }
  }

  public void secondFactor(Context ctx) {
    Caller caller = Caller.of(ctx);
    try {
      s.me().replaceSecondFactor(ctx, caller, chars(ctx, "currentPassword"), text(ctx, "currentCode"),
          text(ctx, "code"));
    } catch (ApiException e) {
      if ("no_offer".equals(e.code()) || "not_enrolled".equals(e.code())) {
        Flash.error(ctx, sentence(e.getMessage()));
        ctx.redirect("/account/second-factor", HttpStatus.SEE_OTHER);
        return;
      }
      view.render(ctx, e.status(), "me/second-factor.jte", view.page(ctx, "Move to a new authenticator app"),
          new SecondFactorModel(caller.account().directory(), s.me().offer(caller), sentence(e.getMessage()),
              switch (e.field() == null ? "" : e.field()) {
                case "currentCode" -> "current-code";
                case "code" -> "new-code";
                default -> "sf-password";
              }));
      return;
    }
    Flash.success(ctx, "Your second factor is now the new authenticator app. Codes from the old one no longer work;"
        + " your recovery codes are unchanged.");
    ctx.redirect("/account", HttpStatus.SEE_OTHER);
  }

  public void recoveryCodes(Context ctx) {
    Caller caller = Caller.of(ctx);
    List<String> codes;
    try {
      codes = s.me().newRecoveryCodes(ctx, caller, chars(ctx, "currentPassword"), text(ctx, "currentCode"));
    } catch (ApiException e) {
      render(ctx, e.status(), sentence(e.getMessage()), "currentCode".equals(e.field()) ? "recovery-code"
          : "recovery-password");
      return;
    }
    view.render(ctx, "signin/recovery.jte", view.page(ctx, "Your new recovery codes"),
        new SignInPages.RecoveryModel(codes, "/account"));
  }

  private void render(Context ctx, HttpStatus status, String error, String errorField) {
    Caller caller = Caller.of(ctx);
    ZoneId zone = s.holder().current().timezone();
    MyAccount.Summary me = s.me().summary(caller.account());
    List<SignInRow> rows = s.me().signIns(caller.account()).stream().map(r -> new SignInRow(Times.when(r.at(), zone),
        r.address() == null ? "unknown" : r.address(), r.succeeded(), r.outcome(), r.method())).toList();
    view.render(ctx, status, "me/account.jte", view.page(ctx, "My account"), new AccountModel(me,
        Times.when(me.secondFactor().enrolledAt(), zone), rows, error, errorField));
  }

  private static String passwordField(String apiField) {
    return switch (apiField == null ? "" : apiField) {
      case "newPassword", "password" -> "new-password";
      case "confirmPassword" -> "confirm-password";
      default -> "current-password";
    };
  }

  /** An API message as a sentence for the page: capital first letter, full stop at the end. */
  static String sentence(String message) {
    String m = message.strip();
    if (m.isEmpty()) {
      return m;
    }
    m = Character.toUpperCase(m.charAt(0)) + m.substring(1);
    return m.endsWith(".") ? m : m + ".";
  }

  private static char[] chars(Context ctx, String field) {
    String v = ctx.formParam(field);
    return v == null ? new char[0] : v.toCharArray();
  }

  private static String text(Context ctx, String field) {
    String v = ctx.formParam(field);
    return v == null ? "" : v.strip();
  }
}
