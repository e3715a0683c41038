package org.schoolgate.admin.auth;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.schoolgate.admin.client.ClientAddresses;
import org.schoolgate.admin.http.ApiException;
import org.schoolgate.admin.signin.SignInThrottle;
import org.schoolgate.admin.metrics.AdminMetrics;
import org.schoolgate.admin.http.JsonBody;
import org.schoolgate.store.Account;
import org.schoolgate.store.AccountStore.LoginOutcome;
import org.schoolgate.store.Actor;
import org.schoolgate.store.AuditEntry;
import org.schoolgate.store.Role;
import org.schoolgate.store.SessionStore;
import org.schoolgate.store.Store;

/**
 * Signing in and out, the caller's own account and API tokens, and first-run setup:
 * {@code POST /api/v1/login|logout|setup}, {@code GET /api/v1/me}, {@code GET|POST /api/v1/tokens},
 * {@code DELETE /api/v1/tokens/{id}}.
 *
 * <p>Login failures all read the same ({@value #LOGIN_FAILED}) so they do not tell an attacker
 * whether the username exists. The {@link SignInThrottle} decides before the password is checked:
 * an address locked out of the account gets 429 {@code locked_out} with {@code Retry-After} (the
 * first refusal of each lock-out is audited as {@code login.failed}, later ones are counted); an
 * account under attack from many addresses has every answer held back a little, on the
 * {@value #SLOWDOWN_THREAD} thread (no request thread waits). Every address here is the
 * request's client address ({@link ClientAddresses}).
 */
public final class AuthRoutes implements AutoCloseable {
  static final String LOGIN_FAILED = "the username or password is wrong";
  /** The thread that sends slowed sign-in answers. */
  public static final String SLOWDOWN_THREAD = "schoolgate-signin-slowdown";
  private static final Pattern USERNAME = Pattern.compile("[a-z0-9._-]{1,64}");
  /** How long a browser session lasts. */
  public static final Duration SESSION_TTL = Duration.ofHours(12);
  private static final Duration DEFAULT_TOKEN_LIFE = Duration.ofDays(90);
  private static final Duration MAX_TOKEN_LIFE = Duration.ofDays(366);

  private final Store store;
  private final AdminMetrics metrics;
  private final ObjectMapper mapper;
  private final Clock clock;
  private final byte[] setupTokenHash;
  private final Object setupLock = new Object();
  private final SignInThrottle throttle;
  private final ScheduledExecutorService slowdown;

  public AuthRoutes(Store store, ObjectMapper mapper, Clock clock, String setupToken, AdminMetrics metrics,
      SignInThrottle throttle) {
    this.store = store;
    this.metrics = metrics;
    this.mapper = mapper;
    this.clock = clock;
    this.setupTokenHash = setupToken == null ? null : sha256(setupToken);
    this.throttle = throttle;
    this.slowdown = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, SLOWDOWN_THREAD);
      t.setDaemon(true);
      return t;
    });
  }

  /** The body of a refusal this class writes itself (same shape as every API error). */
  record Refusal(String code, String message, String field) {}

  record LoggedIn(String token, Instant expiresAt, AccountView account) {}

  record Me(AccountView account, String authenticatedBy) {}

  record TokenCreated(long id, String name, String token, Instant expiresAt) {}

  record Tokens(List<SessionStore.ApiTokenInfo> tokens) {}

  public void login(Context ctx) {
    JsonBody body = JsonBody.parse(mapper, ctx.body());
    String username = body.text("username", "your username, e.g. j.smith");
    char[] password = body.secret("password", "your password");
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
      outcome = store.accounts().login(username, password, address);
    } finally {
      Arrays.fill(password, '\0');
    }
    Consumer<Context> answer;
    if (outcome instanceof LoginOutcome.Success success) {
      throttle.succeeded(username, address);
      metrics.login(AdminMetrics.Login.SUCCESS);
      Account account = success.account();
      SessionStore.IssuedToken issued = store.sessions().createSession(account.id(), SESSION_TTL);
      long maxAge = Math.max(0, Duration.between(clock.instant(), issued.expiresAt()).toSeconds());
      String cookie = cookie(issued.token(), maxAge, ctx.req().isSecure());
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

  public void logout(Context ctx) {
    Caller caller = Caller.of(ctx);
    store.sessions().revoke(caller.token(), caller.actor());
    ctx.header("Set-Cookie", cookie("", 0, ctx.req().isSecure()));
    ctx.status(HttpStatus.NO_CONTENT);
  }

  public void me(Context ctx) {
    Caller caller = Caller.of(ctx);
    ctx.json(new Me(AccountView.of(caller.account()),
        caller.kind() == SessionStore.Principal.Kind.SESSION ? "session" : "api-token"));
  }

  /** Creates the first admin account, once, for whoever holds the setup token. */
  public void setup(Context ctx) {
    JsonBody body = JsonBody.parse(mapper, ctx.body());
    synchronized (setupLock) {
      if (store.accounts().count() > 0) {
        throw ApiException.conflict("already_set_up",
            "Schoolgate is already set up; ask an admin to create your account");
      }
      if (setupTokenHash == null) {
        throw ApiException.forbidden("setup_disabled",
            "first-run setup is off: no setup token is configured; start Schoolgate with one");
      }
      String token = body.text("token", "the setup token Schoolgate printed when it first started");
      if (!MessageDigest.isEqual(setupTokenHash, sha256(token))) {
        throw ApiException.forbidden("invalid_setup_token",
            "the setup token is wrong (expected: the token Schoolgate printed when it first started)");
      }
      String username = body.text("username", "a username for the first admin, e.g. admin");
      String displayName = body.text("displayName", "the admin's name, e.g. Alex Khan");
      char[] password = body.secret("password", "a password of at least 12 characters");
      Account account;
      try {
        account = store.accounts().create(username, displayName, password, Set.of(Role.ADMIN),
            new Actor(null, "system:setup", ClientAddresses.of(ctx)));
      } finally {
        Arrays.fill(password, '\0');
      }
      ctx.status(HttpStatus.CREATED).json(AccountView.of(account));
    }
  }

  public void listTokens(Context ctx) {
    Caller caller = Caller.of(ctx);
    ctx.json(new Tokens(store.sessions().apiTokens(caller.account().id())));
  }

  public void createToken(Context ctx) {
    Caller caller = Caller.of(ctx);
    JsonBody body = JsonBody.parse(mapper, ctx.body());
    String name = body.text("name", "what the token is for, e.g. nightly-report");
    if (name.length() > 64) {
      throw ApiException.invalid("name", "name is " + name.length() + " characters long (expected: at most 64)");
    }
    Instant now = clock.instant();
    Instant expiresAt = now.plus(DEFAULT_TOKEN_LIFE);
    String text = body.optionalText("expiresAt", "an ISO-8601 instant such as 2027-01-31T00:00:00Z");
    if (text != null) {
      try {
        expiresAt = Instant.parse(text);
      } catch (DateTimeParseException e) {
        throw ApiException.invalid("expiresAt", "expiresAt '" + text
            + "' is not an instant (expected: ISO-8601 such as 2027-01-31T00:00:00Z)");
      }
      if (!expiresAt.isAfter(now)) {
        throw ApiException.invalid("expiresAt", "expiresAt " + expiresAt + " is not in the future");
      }
      if (expiresAt.isAfter(now.plus(MAX_TOKEN_LIFE))) {
        throw ApiException.invalid("expiresAt", "expiresAt " + expiresAt
            + " is more than a year away (expected: at most " + now.plus(MAX_TOKEN_LIFE) + ")");
      }
    }
    SessionStore.IssuedToken issued =
        store.sessions().createApiToken(caller.account().id(), name, expiresAt, caller.actor());
    long id = store.sessions().apiTokens(caller.account().id()).stream()
        .filter(t -> t.name().equals(name)).mapToLong(SessionStore.ApiTokenInfo::id).max().orElse(0);
    ctx.status(HttpStatus.CREATED).header("Cache-Control", "no-store")
        .json(new TokenCreated(id, name, issued.token(), issued.expiresAt()));
  }

  /** Revokes one of the caller's own API tokens. */
  public void deleteToken(Context ctx) {
    Caller caller = Caller.of(ctx);
    long id = pathId(ctx);
    if (!store.sessions().revokeApiToken(caller.account().id(), id, caller.actor())) {
      throw ApiException.notFound("you have no API token " + id + " (GET /api/v1/tokens lists yours)");
    }
    ctx.status(HttpStatus.NO_CONTENT);
  }

  /** The {@code {id}} path parameter as a number. */
  public static long pathId(Context ctx) {
    String text = ctx.pathParam("id");
    try {
      return Long.parseLong(text);
    } catch (NumberFormatException e) {
      throw ApiException.invalid("id", "id '" + text + "' in the path is not a number (expected: e.g. 12)");
    }
  }

  static String cookie(String value, long maxAgeSeconds, boolean secure) {
    return AdminGuard.SESSION_COOKIE + "=" + value + "; Path=/; Max-Age=" + maxAgeSeconds
        + "; HttpOnly; SameSite=Strict" + (secure ? "; Secure" : "");
  }

  /** Stops the slowdown thread (answers it still holds are dropped with their connections). */
  @Override
  public void close() {
    slowdown.shutdownNow();
  }

  private static byte[] sha256(String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }
}
