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
import java.util.Set;
import org.schoolgate.admin.client.ClientAddresses;
import org.schoolgate.admin.http.ApiException;
import org.schoolgate.admin.http.JsonBody;
import org.schoolgate.store.Account;
import org.schoolgate.store.Actor;
import org.schoolgate.store.Role;
import org.schoolgate.store.SessionStore;
import org.schoolgate.store.Store;

/**
 * Signing in and out, the caller's own account and API tokens, and first-run setup:
 * {@code POST /api/v1/login|logout|setup}, {@code GET /api/v1/me}, {@code GET|POST /api/v1/tokens},
 * {@code DELETE /api/v1/tokens/{id}}.
 *
 * <p>Signing in itself is {@link SignInRoute} (throttled per account and client address). Every
 * address here is the request's client address ({@link ClientAddresses}).
 */
public final class AuthRoutes {
  /** How long a browser session lasts. */
  public static final Duration SESSION_TTL = Duration.ofHours(12);
  private static final Duration DEFAULT_TOKEN_LIFE = Duration.ofDays(90);
  private static final Duration MAX_TOKEN_LIFE = Duration.ofDays(366);

  private final Store store;
  private final ObjectMapper mapper;
  private final Clock clock;
  private final byte[] setupTokenHash;
  private final Object setupLock = new Object();

  public AuthRoutes(Store store, ObjectMapper mapper, Clock clock, String setupToken) {
    this.store = store;
    this.mapper = mapper;
    this.clock = clock;
    this.setupTokenHash = setupToken == null ? null : sha256(setupToken);
  }

  record Me(AccountView account, String authenticatedBy) {}

  record TokenCreated(long id, String name, String token, Instant expiresAt) {}

  record Tokens(List<SessionStore.ApiTokenInfo> tokens) {}

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

  /** The session cookie ({@code HttpOnly}, {@code SameSite=Strict}, {@code Secure} over TLS). */
  public static String cookie(String value, long maxAgeSeconds, boolean secure) {
    return AdminGuard.SESSION_COOKIE + "=" + value + "; Path=/; Max-Age=" + maxAgeSeconds
        + "; HttpOnly; SameSite=Strict" + (secure ? "; Secure" : "");
  }

  private static byte[] sha256(String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }
}
