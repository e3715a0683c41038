package org.schoolgate.admin.auth;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.schoolgate.admin.client.ClientAddresses;
import org.schoolgate.admin.http.ApiException;
import org.schoolgate.admin.http.JsonBody;
import org.schoolgate.admin.metrics.AdminMetrics;
import org.schoolgate.admin.signin.DirectoryRoles;
import org.schoolgate.admin.signin.PasswordSignIn;
import org.schoolgate.admin.secondfactor.SecondFactor;
import org.schoolgate.admin.signin.SignInThrottle;
import org.schoolgate.store.Account;
import org.schoolgate.store.AccountStore.LoginOutcome;
import org.schoolgate.store.Actor;
import org.schoolgate.store.AuditEntry;
import org.schoolgate.store.Role;
import org.schoolgate.store.SessionStore;
import org.schoolgate.store.Store;

/**
 * {@code POST /api/v1/login}. Failures all read the same ({@value #LOGIN_FAILED}) so they do not
 * tell an attacker whether the username exists. The {@link SignInThrottle} decides before the
 * password is checked: an address locked out of the account gets 429 {@code locked_out} with
 * {@code Retry-After} (the first refusal of each lock-out is audited as {@code login.failed}, later
 * ones are counted); an account under attack from many addresses has every answer held back a
 * little, on the {@value #SLOWDOWN_THREAD} thread (no request thread waits). The address is the
 * request's client address ({@link ClientAddresses}). Admin, dsl and senior-leader accounts also
 * send {@code code}, their second factor ({@link SecondFactor}): missing → 401
 * {@code second_factor_required}, wrong or reused → 401 {@code second_factor_failed}, too many wrong
 * → 429, not enrolled yet → 403 {@code second_factor_enrolment_required} (enrol at the console).
 *
 * <p>With {@link DirectoryRoles} set up, a user name that is not a local account is checked
 * against the school's directory ({@link PasswordSignIn}, blocking this admin thread for at most
 * 30 s) and signs in with the roles its directory groups give, kept in step at every sign-in; no
 * role, no sign-in. Such an account gives the same second factor as a local one when its roles
 * need it. A directory that cannot answer gets 503 {@code directory_unavailable}. Local accounts
 * keep signing in with their own password.
 */
public final class SignInRoute implements AutoCloseable {
  static final String LOGIN_FAILED = "the username or password is wrong";
  /** The thread that sends slowed sign-in answers. */
  public static final String SLOWDOWN_THREAD = "schoolgate-signin-slowdown";
  private static final Pattern USERNAME = Pattern.compile("[a-z0-9._-]{1,64}");

  private final Store store;
  private final SecondFactor secondFactor;
  private final ObjectMapper mapper;
  private final Clock clock;
  private final AdminMetrics metrics;
  private final SignInThrottle throttle;
  private final ScheduledExecutorService slowdown;
  private final PasswordSignIn passwords;

  public SignInRoute(Store store, SecondFactor secondFactor, ObjectMapper mapper, Clock clock, AdminMetrics metrics,
      SignInThrottle throttle, PasswordSignIn passwords) {
    this.passwords = passwords;
    this.store = store;
    this.secondFactor = secondFactor;
    this.mapper = mapper;
    this.clock = clock;
    this.metrics = metrics;
    this.throttle = throttle;
    this.slowdown = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, SLOWDOWN_THREAD);
      t.setDaemon(true);
      return t;
    });
  }

  record LoggedIn(String token, Instant expiresAt, AccountView account) {}

  /** The body of a refusal written here rather than thrown (same shape as every API error). */
  record Refusal(String code, String message, String field) {}

  public void login(Context ctx) {
    JsonBody body = JsonBody.parse(mapper, ctx.body());
    String username = body.text("username", "your username, e.g. j.smith");
    char[] password = body.secret("password", "your password");
    String code = body.optionalText("code", "the 6-digit code from your authenticator app, or a recovery code");
    String address = ClientAddresses.of(ctx);
    SignInThrottle.Verdict verdict = throttle.begin(username, address);
    if (verdict instanceof SignInThrottle.Verdict.Locked locked) {
      Arrays.fill(password, '\0');
      refuseLocked(ctx, username, address, locked);
      return;
    }
    Duration delay = ((SignInThrottle.Verdict.Proceed) verdict).delay();
    LoginOutcome outcome;
    try {
      outcome = signIn(username, password, address);
    } finally {
      Arrays.fill(password, '\0');
    }
    Consumer<Context> answer;
    Refusal secondFactorRefusal = outcome instanceof LoginOutcome.Success success
        && SecondFactor.required(success.account()) ? checkSecondFactor(ctx, success.account(), code, address) : null;
    if (secondFactorRefusal != null) {
      HttpStatus status = switch (secondFactorRefusal.code()) {
        case "second_factor_enrolment_required" -> HttpStatus.FORBIDDEN;
        case "locked_out" -> HttpStatus.TOO_MANY_REQUESTS;
        default -> HttpStatus.UNAUTHORIZED;
      };
      answer = c -> c.status(status).json(secondFactorRefusal);
    } else if (outcome instanceof LoginOutcome.Success success) {
      throttle.succeeded(username, address);
      metrics.login(AdminMetrics.Login.SUCCESS);
      Account account = success.account();
      SessionStore.IssuedToken issued = store.sessions().createSession(account.id(), AuthRoutes.SESSION_TTL);
      long maxAge = Math.max(0, Duration.between(clock.instant(), issued.expiresAt()).toSeconds());
      String cookie = AuthRoutes.cookie(issued.token(), maxAge, ctx.req().isSecure());
      LoggedIn loggedIn = new LoggedIn(issued.token(), issued.expiresAt(), AccountView.of(account));
      answer = c -> c.header("Set-Cookie", cookie).header("Cache-Control", "no-store").json(loggedIn);
    } else {
      throttle.failed(username);
      metrics.login(AdminMetrics.Login.FAILED);
      answer = c -> c.status(HttpStatus.UNAUTHORIZED).header("WWW-Authenticate", "Bearer realm=\"schoolgate\"")
          .json(new Refusal("login_failed", LOGIN_FAILED, null));
    }
    if (delay.isZero()) {
      answer.accept(ctx);
      return;
    }
    // the account is under attack from many addresses: every answer (the right password too) comes late
    metrics.slowed();
    CompletableFuture<Void> later = new CompletableFuture<>();
    slowdown.schedule(() -> later.complete(null), delay.toMillis(), TimeUnit.MILLISECONDS);
    ctx.future(() -> later.thenRun(() -> answer.accept(ctx)));
  }

  private LoginOutcome signIn(String username, char[] password, String address) {
    PasswordSignIn.Result result = passwords.check(username, password, address);
    if (result instanceof PasswordSignIn.Result.DirectoryUnavailable u) {
      throw new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "directory_unavailable", "the school's directory cannot"
          + " check passwords just now (" + u.reason() + "); try again in a minute, or sign in with a local account",
          null);
    }
    return ((PasswordSignIn.Result.Checked) result).outcome();
  }

  /** Null when the second factor passed, else the refusal (Retry-After set when locked out). */
  private Refusal checkSecondFactor(Context ctx, Account account, String code, String address) {
    SecondFactor.Check check = secondFactor.check(account, code, Actor.of(account, address));
    if (check instanceof SecondFactor.Check.Passed) {
      return null;
    }
    if (check instanceof SecondFactor.Check.NotEnrolled) {
      metrics.login(AdminMetrics.Login.ENROLMENT_REQUIRED);
      return new Refusal("second_factor_enrolment_required", "your account ("
          + String.join(", ", account.roles().stream().filter(SecondFactor.REQUIRED_FOR::contains)
              .map(Role::apiName).sorted().toList())
          + ") needs a second factor: sign in once at the console (/sign-in) to set up an authenticator app,"
          + " then send its code as \"code\"", null);
    }
    if (check instanceof SecondFactor.Check.Missing) {
      return new Refusal("second_factor_required", "this account needs a second factor (expected: \"code\":"
          + " the 6-digit code from your authenticator app, or a recovery code)", "code");
    }
    if (check instanceof SecondFactor.Check.LockedOut locked) {
      metrics.login(AdminMetrics.Login.SECOND_FACTOR_LOCKED_OUT);
      long seconds = Math.max(1, (Duration.between(clock.instant(), locked.until()).toMillis() + 999) / 1000);
      ctx.header("Retry-After", Long.toString(seconds));
      return new Refusal("locked_out", "too many wrong second-factor codes for this account; try again in "
          + seconds + " seconds", null);
    }
    metrics.login(AdminMetrics.Login.SECOND_FACTOR_FAILED);
    return new Refusal("second_factor_failed", "the code is wrong or was already used (expected: the current"
        + " 6-digit code from your authenticator app, or an unused recovery code)", "code");
  }

  private void refuseLocked(Context ctx, String username, String address, SignInThrottle.Verdict.Locked locked) {
    metrics.login(AdminMetrics.Login.LOCKED_OUT);
    if (locked.first()) {
      String name = attempted(username);
      store.audit().append(new AuditEntry("login.failed", new Actor(null, name, address), "account:" + name,
          "locked out from " + address + " until " + locked.until()
              + " after too many failures from this address; further attempts are counted, not recorded",
          null, null));
    }
    long millis = Duration.between(clock.instant(), locked.until()).toMillis();
    long seconds = Math.max(1, (millis + 999) / 1000);
    ctx.header("Retry-After", Long.toString(seconds));
    throw new ApiException(HttpStatus.TOO_MANY_REQUESTS, "locked_out",
        "too many failed sign-ins for this account from your address; try again in " + seconds + " seconds", null);
  }

  /** The username as the audit trail may show it: never what someone typed that cannot be one (a password). */
  private static String attempted(String username) {
    String lower = username.strip().toLowerCase(Locale.ROOT);
    return USERNAME.matcher(lower).matches() ? lower : "(invalid username)";
  }

  /** Stops the slowdown thread (answers it still holds are dropped with their connections). */
  @Override
  public void close() {
    slowdown.shutdownNow();
  }
}
