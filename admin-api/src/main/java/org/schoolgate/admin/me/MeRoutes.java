package org.schoolgate.admin.me;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.util.List;
import org.schoolgate.admin.auth.Caller;
import org.schoolgate.admin.http.JsonBody;
import org.schoolgate.admin.secondfactor.SecondFactor;

/**
 * The JSON side of "my account" for any signed-in account: {@code GET /api/v1/me/account},
 * {@code POST /api/v1/me/password {currentPassword, newPassword}} (204), {@code POST
 * /api/v1/me/second-factor/offer} (the new key), {@code POST /api/v1/me/second-factor
 * {currentPassword | currentCode, code}} (204), {@code POST /api/v1/me/recovery-codes
 * {currentPassword | currentCode}} (the codes, once) and {@code GET /api/v1/me/sign-ins}. The
 * rules and messages are {@link MyAccount}'s, shared with the console.
 */
public final class MeRoutes {
  private final MyAccount me;
  private final ObjectMapper mapper;

  public MeRoutes(MyAccount me, ObjectMapper mapper) {
    this.me = me;
    this.mapper = mapper;
  }

  record Offer(String secret, String uri) {}

  record Codes(List<String> recoveryCodes) {}

  record SignIns(List<MyAccount.SignIn> signIns) {}

  public void account(Context ctx) {
    ctx.json(me.summary(Caller.of(ctx).account()));
  }

  public void password(Context ctx) {
    Caller caller = Caller.of(ctx);
    JsonBody body = JsonBody.parse(mapper, ctx.body());
    boolean local = !caller.account().directory(); // a directory account hears why first, not "field required"
    char[] current = local ? body.secret("currentPassword", "your current password") : new char[0];
    char[] next = local ? body.secret("newPassword", "a new password of at least 12 characters") : new char[0];
    me.changePassword(ctx, caller, current, next);
    ctx.status(HttpStatus.NO_CONTENT);
  }

  public void offer(Context ctx) {
    SecondFactor.Offer offer = me.offer(Caller.of(ctx));
    ctx.header("Cache-Control", "no-store").json(new Offer(offer.secret(), offer.uri()));
  }

  public void secondFactor(Context ctx) {
    JsonBody body = JsonBody.parse(mapper, ctx.body());
    char[] current = optionalSecret(body, "currentPassword");
    String currentCode = body.optionalText("currentCode", "the 6-digit code of your current app (directory accounts)");
    String code = body.text("code", "the 6-digit code the new app shows");
    me.replaceSecondFactor(ctx, Caller.of(ctx), current, currentCode, code);
    ctx.status(HttpStatus.NO_CONTENT);
  }

  public void recoveryCodes(Context ctx) {
    JsonBody body = JsonBody.parse(mapper, ctx.body());
    char[] current = optionalSecret(body, "currentPassword");
    String currentCode = body.optionalText("currentCode", "the 6-digit code your authenticator app shows now");
    List<String> codes = me.newRecoveryCodes(ctx, Caller.of(ctx), current, currentCode);
    ctx.header("Cache-Control", "no-store").json(new Codes(codes));
  }

  public void signIns(Context ctx) {
    ctx.json(new SignIns(me.signIns(Caller.of(ctx).account())));
  }

  private static char[] optionalSecret(JsonBody body, String field) {
    return body.has(field) ? body.secret(field, "your current password") : new char[0];
  }
}
