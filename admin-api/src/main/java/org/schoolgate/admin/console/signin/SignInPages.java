package org.schoolgate.admin.console.signin;

import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.schoolgate.admin.auth.AdminGuard;
import org.schoolgate.admin.auth.AuthRoutes;
import org.schoolgate.admin.client.ClientAddresses;
import org.schoolgate.admin.console.ConsoleGuard;
import org.schoolgate.admin.console.Cookies;
import org.schoolgate.admin.console.Flash;
import org.schoolgate.admin.console.View;
import org.schoolgate.admin.metrics.AdminMetrics;
import org.schoolgate.admin.secondfactor.SecondFactor;
import org.schoolgate.admin.signin.PasswordSignIn;
import org.schoolgate.admin.signin.SignInThrottle;
import org.schoolgate.store.Account;
import org.schoolgate.store.AccountStore.LoginOutcome;
import org.schoolgate.store.Actor;
import org.schoolgate.store.SessionStore;
import org.schoolgate.store.Store;

/**
 * {@code /sign-in} (password: a local account's, or the school directory's through {@link
 * PasswordSignIn}), {@code /sign-in/code} (the second factor), {@code /sign-in/enrol}
 * (setting one up, then the recovery codes, shown once) and {@code /sign-out}. The password check
 * and its lock-out ({@link SignInThrottle}, shared) are exactly as for {@code POST /api/v1/login}; so are the audit
 * records. Directory accounts whose roles need a second factor enrol and give it exactly as local
 * ones do. Only after the last step does the browser get the session cookie.
 */
public final class SignInPages {
  private final View view;
  private final Store store;
  private final SecondFactor secondFactor;
  private final Clock clock;
  private final PendingSignIns pending;
  private final SignInThrottle throttle;
  private final AdminMetrics metrics;
  private final boolean oidc;
  private final PasswordSignIn passwords;

  /**
   * {@code passwords}: local accounts and, when set up, the school's directory; {@code oidc}: the
   * form also offers sign-in with the school's OpenID Connect provider ({@code /oidc/start}).
   */
  public SignInPages(View view, Store store, PasswordSignIn passwords, SecondFactor secondFactor,
      SignInThrottle throttle, AdminMetrics metrics, Clock clock, boolean oidc) {
    this.oidc = oidc;
    this.passwords = passwords;
    this.view = view;
    this.metrics = metrics;
    this.throttle = throttle;
    this.store = store;
    this.secondFactor = secondFactor;
    this.clock = clock;
    this.pending = new PendingSignIns(clock);
  }

  /** The sign-in form's model; {@code oidcStart}: the link to sign in with the school's cloud account, or null. */
  public record SignInModel(String username, String next, String error, String oidcStart) {
    public SignInModel(String username, String next, String error) {
      this(username, next, error, null);
    }
  }

  private SignInModel model(String username, String next, String error) {
    return new SignInModel(username, next, error, oidc ? "/oidc/start?for=console&next="
        + java.net.URLEncoder.encode(next, java.nio.charset.StandardCharsets.UTF_8) : null);
  }

  /** The second-factor form's model. */
  public record CodeModel(String username, String error) {}

  /** The enrolment form's model. */
  public record EnrolModel(String username, SecondFactor.Offer offer, String error) {}

  /** The recovery codes, shown once. */
  public record RecoveryModel(List<String> codes, String next) {}

  public void form(Context ctx) {
    String next = ConsoleGuard.safeNext(ctx.queryParam("next"));
    String token = ctx.cookie(AdminGuard.SESSION_COOKIE);
    if (token != null && store.sessions().authenticate(token).isPresent()) {
      ctx.redirect(next, HttpStatus.SEE_OTHER);
      return;
    }
    view.render(ctx, "signin/signin.jte", view.page(ctx, "Sign in"), model("", next, null));
  }

  public void submit(Context ctx) {
    String username = text(ctx, "username");
    String next = ConsoleGuard.safeNext(ctx.formParam("next"));
    String given = ctx.formParam("password");
    if (username.isEmpty() || given == null || given.isEmpty()) {
      again(ctx, HttpStatus.BAD_REQUEST, username, next, "Enter your username and your password.");
      return;
    }
    String address = ClientAddresses.of(ctx);
    SignInThrottle.Verdict verdict = throttle.begin(username, address);
    if (verdict instanceof SignInThrottle.Verdict.Locked locked) {
      metrics.login(AdminMetrics.Login.LOCKED_OUT);
      long minutes = Math.max(1, (Duration.between(clock.instant(), locked.until()).toSeconds() + 59) / 60);
      again(ctx, HttpStatus.TOO_MANY_REQUESTS, username, next, "Too many failed sign-ins for this account from"
          + " your address. Try again in " + minutes + (minutes == 1 ? " minute." : " minutes."));
      return;
    }
    Duration delay = ((SignInThrottle.Verdict.Proceed) verdict).delay();
    char[] password = given.toCharArray();
    PasswordSignIn.Result result;
    try {
      result = passwords.check(username, password, address);
    } finally {
      Arrays.fill(password, '\0');
    }
    if (result instanceof PasswordSignIn.Result.DirectoryUnavailable u) {
      metrics.login(AdminMetrics.Login.FAILED);
      again(ctx, HttpStatus.SERVICE_UNAVAILABLE, username, next, "The school's directory cannot check passwords"
          + " just now (" + u.reason() + "). Try again in a minute, or sign in with a local account.");
      return;
    }
    LoginOutcome outcome = ((PasswordSignIn.Result.Checked) result).outcome();
    if (!delay.isZero()) {
      metrics.slowed();
      // the account is under attack from many addresses: every answer comes late, as on the JSON API
      CompletableFuture<Void> later = new CompletableFuture<>();
      later.completeOnTimeout(null, delay.toMillis(), TimeUnit.MILLISECONDS);
      ctx.future(() -> later.thenRun(() -> answer(ctx, username, address, next, outcome)));
      return;
    }
    answer(ctx, username, address, next, outcome);
  }

  private void answer(Context ctx, String username, String address, String next, LoginOutcome outcome) {
    if (!(outcome instanceof LoginOutcome.Success success)) {
      throttle.failed(username);
      metrics.login(AdminMetrics.Login.FAILED);
      again(ctx, HttpStatus.UNAUTHORIZED, username, next, "The username or password is wrong.");
      return;
    }
    throttle.succeeded(username, address);
    Optional<String> then = firstFactorPassed(ctx, success.account(), next, true);
    if (then.isEmpty()) {
      again(ctx, HttpStatus.SERVICE_UNAVAILABLE, username, next,
          "Too many sign-ins are in progress. Wait a minute and try again.");
      return;
    }
    ctx.redirect(then.get(), HttpStatus.SEE_OTHER);
  }

  /**
   * After the first factor (a password, or the school's OpenID Connect provider): a session at
   * once, or ({@code askSecondFactor} and the account's roles need one) the second factor still to
   * come. Answers where the browser goes next; empty when too many sign-ins are in progress.
   */
  public Optional<String> firstFactorPassed(Context ctx, Account account, String next, boolean askSecondFactor) {
    if (!askSecondFactor || !SecondFactor.required(account)) {
      startSession(ctx, account);
      return Optional.of(next);
    }
    Optional<String> started = pending.start(account.id(), next);
    if (started.isEmpty()) {
      return Optional.empty();
    }
    Cookies.set(ctx, PendingSignIns.COOKIE, started.get(), PendingSignIns.LIFE.toSeconds());
    return Optional.of(secondFactor.enrolment(account).isPresent() ? "/sign-in/code" : "/sign-in/enrol");
  }

  private void again(Context ctx, HttpStatus status, String username, String next, String error) {
    view.render(ctx, status, "signin/signin.jte", view.page(ctx, "Sign in"), model(username, next, error));
  }

  public void codeForm(Context ctx) {
    Optional<Account> account = pendingAccount(ctx);
    if (account.isEmpty()) {
      return;
    }
    view.render(ctx, "signin/code.jte", view.page(ctx, "Enter your code"),
        new CodeModel(account.get().username(), null));
  }

  public void codeSubmit(Context ctx) {
    String token = ctx.cookie(PendingSignIns.COOKIE);
    Optional<Account> found = pendingAccount(ctx);
    if (found.isEmpty()) {
      return;
    }
    Account account = found.get();
    PendingSignIns.Pending p = pending.find(token).orElseThrow();
    SecondFactor.Check check = secondFactor.check(account, text(ctx, "code"), Actor.of(account, ClientAddresses.of(ctx)));
    if (check instanceof SecondFactor.Check.Passed passed) {
      pending.finish(token);
      Cookies.delete(ctx, PendingSignIns.COOKIE);
      startSession(ctx, account);
      if (passed.recoveryCode()) {
        Flash.success(ctx, "You signed in with a recovery code; " + passed.recoveryCodesLeft()
            + " left. If you lost your phone, ask an admin to reset your second factor.");
      }
      ctx.redirect(p.next, HttpStatus.SEE_OTHER);
      return;
    }
    if (check instanceof SecondFactor.Check.NotEnrolled) {
      ctx.redirect("/sign-in/enrol", HttpStatus.SEE_OTHER);
      return;
    }
    String error;
    HttpStatus status = HttpStatus.UNAUTHORIZED;
    if (check instanceof SecondFactor.Check.Missing) {
      error = "Enter the 6-digit code from your authenticator app, or a recovery code.";
      status = HttpStatus.BAD_REQUEST;
    } else if (check instanceof SecondFactor.Check.LockedOut locked) {
      metrics.login(AdminMetrics.Login.SECOND_FACTOR_LOCKED_OUT);
      long minutes = Math.max(1, (Duration.between(clock.instant(), locked.until()).toSeconds() + 59) / 60);
      error = "Too many wrong codes. Try again in " + minutes + (minutes == 1 ? " minute." : " minutes.");
      status = HttpStatus.TOO_MANY_REQUESTS;
    } else {
      metrics.login(AdminMetrics.Login.SECOND_FACTOR_FAILED);
      error = "The code is wrong or was already used. Enter the code your app shows now.";
    }
    if (pending.wrongCode(token, p)) {
      Cookies.delete(ctx, PendingSignIns.COOKIE);
      Flash.error(ctx, "Too many wrong codes for this sign-in. Enter your password again.");
      ctx.redirect("/sign-in", HttpStatus.SEE_OTHER);
      return;
    }
    view.render(ctx, status, "signin/code.jte", view.page(ctx, "Enter your code"),
        new CodeModel(account.username(), error));
  }

  public void enrolForm(Context ctx) {
    String token = ctx.cookie(PendingSignIns.COOKIE);
    Optional<Account> found = pendingAccount(ctx);
    if (found.isEmpty()) {
      return;
    }
    Account account = found.get();
    if (secondFactor.enrolment(account).isPresent()) {
      ctx.redirect("/sign-in/code", HttpStatus.SEE_OTHER);
      return;
    }
    PendingSignIns.Pending p = pending.find(token).orElseThrow();
    SecondFactor.Offer offer;
    synchronized (p) {
      if (p.offeredSecret == null) {
        offer = secondFactor.offer(account);
        p.offeredSecret = offer.secret();
      } else {
        offer = secondFactor.offer(account, p.offeredSecret);
      }
    }
    view.render(ctx, "signin/enrol.jte", view.page(ctx, "Set up your second factor"),
        new EnrolModel(account.username(), offer, null));
  }

  public void enrolSubmit(Context ctx) {
    String token = ctx.cookie(PendingSignIns.COOKIE);
    Optional<Account> found = pendingAccount(ctx);
    if (found.isEmpty()) {
      return;
    }
    Account account = found.get();
    PendingSignIns.Pending p = pending.find(token).orElseThrow();
    String secret = p.offeredSecret;
    if (secret == null || secondFactor.enrolment(account).isPresent()) {
      ctx.redirect("/sign-in/enrol", HttpStatus.SEE_OTHER);
      return;
    }
    Optional<List<String>> codes = secondFactor.enrol(account, secret, text(ctx, "code"), Actor.of(account, ClientAddresses.of(ctx)));
    if (codes.isEmpty()) {
      if (pending.wrongCode(token, p)) {
        Cookies.delete(ctx, PendingSignIns.COOKIE);
        Flash.error(ctx, "Too many wrong codes for this sign-in. Enter your password again.");
        ctx.redirect("/sign-in", HttpStatus.SEE_OTHER);
        return;
      }
      view.render(ctx, HttpStatus.UNAUTHORIZED, "signin/enrol.jte", view.page(ctx, "Set up your second factor"),
          new EnrolModel(account.username(), secondFactor.offer(account, secret),
              "The code does not match. Check the app added this account, then enter the code it shows now."));
      return;
    }
    pending.finish(token);
    Cookies.delete(ctx, PendingSignIns.COOKIE);
    startSession(ctx, account);
    view.render(ctx, "signin/recovery.jte", view.page(ctx, "Your recovery codes"),
        new RecoveryModel(codes.get(), p.next));
  }

  public void signOut(Context ctx) {
    String token = ctx.cookie(AdminGuard.SESSION_COOKIE);
    store.sessions().revoke(token, org.schoolgate.admin.auth.Caller.of(ctx).actor());
    ctx.header("Set-Cookie", AuthRoutes.cookie("", 0, ctx.req().isSecure()));
    Flash.success(ctx, "You have signed out.");
    ctx.redirect("/sign-in", HttpStatus.SEE_OTHER);
  }

  /** The account of this browser's pending sign-in, or a redirect to {@code /sign-in} (and empty). */
  private Optional<Account> pendingAccount(Context ctx) {
    Optional<Account> account = pending.find(ctx.cookie(PendingSignIns.COOKIE))
        .flatMap(p -> store.accounts().byId(p.account))
        .filter(a -> !a.disabled());
    if (account.isEmpty()) {
      Flash.error(ctx, "Your sign-in took too long or was already used. Enter your password again.");
      ctx.redirect("/sign-in", HttpStatus.SEE_OTHER);
    }
    return account;
  }

  private void startSession(Context ctx, Account account) {
    metrics.login(AdminMetrics.Login.SUCCESS);
    SessionStore.IssuedToken issued = store.sessions().createSession(account.id(), AuthRoutes.SESSION_TTL);
    long maxAge = Math.max(0, Duration.between(clock.instant(), issued.expiresAt()).toSeconds());
    ctx.res().addHeader("Set-Cookie", AuthRoutes.cookie(issued.token(), maxAge, ctx.req().isSecure()));
  }

  private static String text(Context ctx, String field) {
    String value = ctx.formParam(field);
    return value == null ? "" : value.strip();
  }
}
