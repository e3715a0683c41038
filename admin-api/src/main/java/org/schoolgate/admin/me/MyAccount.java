package org.schoolgate.admin.me;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.schoolgate.admin.auth.Caller;
import org.schoolgate.admin.http.ApiException;
import org.schoolgate.admin.secondfactor.SecondFactor;
import org.schoolgate.admin.signin.SignInThrottle;
import org.schoolgate.store.Account;
import org.schoolgate.store.AccountId;
import org.schoolgate.store.AuditRecord;
import org.schoolgate.store.Role;
import org.schoolgate.store.SecondFactorStore.Enrolment;
import org.schoolgate.store.SessionStore;
import org.schoolgate.store.Store;

/**
 * What a signed-in person does to their own account, for the console's {@code /account} pages and
 * {@code /api/v1/me/...} alike: change the password, move the second factor to a new authenticator
 * app, get new recovery codes, see their recent sign-ins.
 *
 * <p>Design: each change needs proof that the person at the keyboard is the account's owner, not
 * someone holding a stolen session — the current password (checked by the store without recording
 * a sign-in), or, where the issue allows it, a code from the current authenticator app. A wrong
 * password counts in the sign-in's own {@link SignInThrottle} (per account and client address), so
 * this page cannot be used to guess the password faster than the sign-in page could; wrong codes
 * count in the second factor's own lock-out. A new authenticator's secret is offered first and kept
 * here (per account, 15 minutes, memory only) until a code from it proves the app has it. Accounts
 * that sign in with the school's directory have no password here: they change it the school's
 * usual way, and prove themselves with a code instead.
 */
public final class MyAccount {
  /** How many sign-ins the page and the API show. */
  public static final int SIGN_INS = 20;
  private static final Duration OFFER_LIFE = Duration.ofMinutes(15);

  private final Store store;
  private final SecondFactor secondFactor;
  private final SignInThrottle throttle;
  private final Clock clock;
  private final Cache<AccountId, String> offers;

  public MyAccount(Store store, SecondFactor secondFactor, SignInThrottle throttle, Clock clock) {
    this.store = store;
    this.secondFactor = secondFactor;
    this.throttle = throttle;
    this.clock = clock;
    this.offers = Caffeine.newBuilder().ticker(() -> TimeUnit.MILLISECONDS.toNanos(clock.millis()))
        .expireAfterWrite(OFFER_LIFE).maximumSize(10_000).build();
  }

  /** The account's second factor as its owner sees it. */
  public record SecondFactorState(boolean enrolled, boolean required, Instant enrolledAt, int recoveryCodesLeft) {}

  /** {@code GET /api/v1/me/account}. */
  public record Summary(String username, String displayName, List<String> roles, boolean directory,
      boolean passwordChangeable, SecondFactorState secondFactor, List<String> taughtGroups) {}

  /** One sign-in step: when, from where, what became of it, and how. */
  public record SignIn(Instant at, String address, boolean succeeded, String outcome, String method) {}

  public Summary summary(Account a) {
    Optional<Enrolment> e = secondFactor.enrolment(a);
    return new Summary(a.username(), a.displayName(), a.roles().stream().map(Role::apiName).sorted().toList(),
        a.directory(), !a.directory(), new SecondFactorState(e.isPresent(), SecondFactor.required(a),
            e.map(Enrolment::enrolledAt).orElse(null), e.map(Enrolment::recoveryCodesLeft).orElse(0)),
        store.accounts().taughtGroups(a.id()));
  }

  /** The latest {@value #SIGN_INS} sign-in steps of the account, newest first. */
  public List<SignIn> signIns(Account a) {
    return store.accounts().recentSignIns(a.id(), SIGN_INS).stream().map(r -> signIn(r, a.directory())).toList();
  }

  static SignIn signIn(AuditRecord r, boolean directory) {
    String reason = r.reason() == null ? "" : r.reason();
    boolean oidc = reason.startsWith("OpenID Connect");
    String firstFactor = oidc ? "school account (OpenID Connect)" : directory ? "directory password" : "password";
    return switch (r.type()) {
      case "login" -> new SignIn(r.at(), r.address(), true, "signed in", firstFactor);
      case "login.recovery_code" -> new SignIn(r.at(), r.address(), true, "signed in", "recovery code");
      case "login.second_factor_failed" -> new SignIn(r.at(), r.address(), false, "refused: wrong code",
          "authenticator code");
      default -> new SignIn(r.at(), r.address(), false, "refused: " + failure(reason, oidc), firstFactor);
    };
  }

  private static String failure(String reason, boolean oidc) {
    if (reason.startsWith("locked out")) {
      return "too many failures from that address";
    }
    if (reason.startsWith("account disabled")) {
      return "account disabled";
    }
    return oidc ? "no enabled account" : "wrong password";
  }

  /**
   * Changes the caller's password: {@code current} must be right (throttled as sign-in), {@code
   * next} follows the rules of account creation. The caller's own session stays; every other
   * session of the account ends. Clears both arrays.
   */
  public void changePassword(Context ctx, Caller caller, char[] current, char[] next) {
    try {
      if (caller.account().directory()) {
        throw ApiException.conflict("directory_account", "your account signs in with the school's directory, so"
            + " Schoolgate has no password of yours to change: change it the school's usual way (for example"
            + " Ctrl+Alt+Del on a school computer, or the school's password page)");
      }
      requirePassword(ctx, caller, current);
      if (next.length == 0) {
        throw ApiException.invalid("newPassword", "enter a new password of at least 12 characters");
      }
      String keep = caller.kind() == SessionStore.Principal.Kind.SESSION ? caller.token() : null;
      store.accounts().setPassword(caller.account().id(), next, caller.actor(), keep);
    } finally {
      java.util.Arrays.fill(current, '\0');
      java.util.Arrays.fill(next, '\0');
    }
  }

  /**
   * The secret offered for the caller's new authenticator app: the one already offered in the last
   * 15 minutes, else a fresh one.
   */
  public SecondFactor.Offer offer(Caller caller) {
    Account a = caller.account();
    requireEnrolled(a);
    String secret = offers.get(a.id(), id -> secondFactor.offer(a).secret());
    return secondFactor.offer(a, secret);
  }

  /**
   * Moves the caller's second factor to the offered secret: the current password (a directory
   * account: a code from the current app, {@code currentCode}) and a code from the new app.
   */
  public void replaceSecondFactor(Context ctx, Caller caller, char[] current, String currentCode, String newCode) {
    Account a = caller.account();
    try {
      requireEnrolled(a);
      String secret = offers.getIfPresent(a.id());
      if (secret == null) {
        throw ApiException.conflict("no_offer", "the new key was not offered in the last 15 minutes: open the page"
            + " again (or POST /api/v1/me/second-factor/offer) and scan the new QR code");
      }
      if (newCode == null || newCode.isBlank()) {
        throw ApiException.invalid("code", "enter the 6-digit code the new app shows");
      }
      if (a.directory()) {
        requireCode(ctx, caller, currentCode);
      } else {
        requirePassword(ctx, caller, current);
      }
      if (!secondFactor.replace(a, secret, newCode, caller.actor())) {
        throw new ApiException(HttpStatus.UNPROCESSABLE_CONTENT, "code_mismatch", "the code does not match the new"
            + " key: check the app added the new entry, then enter the code it shows now", "code");
      }
      offers.invalidate(a.id());
    } finally {
      java.util.Arrays.fill(current, '\0');
    }
  }

  /**
   * New recovery codes for the caller, shown once; the old ones stop working. Proof: the current
   * password or a code from the current app (directory accounts: the code).
   */
  public List<String> newRecoveryCodes(Context ctx, Caller caller, char[] current, String currentCode) {
    Account a = caller.account();
    try {
      requireEnrolled(a);
      if (current.length > 0 && !a.directory()) {
        requirePassword(ctx, caller, current);
      } else if (currentCode != null && !currentCode.isBlank()) {
        requireCode(ctx, caller, currentCode);
      } else {
        throw ApiException.invalid(a.directory() ? "currentCode" : "currentPassword", a.directory()
            ? "enter the 6-digit code your authenticator app shows now"
            : "enter your current password, or the 6-digit code your authenticator app shows now");
      }
      return secondFactor.newRecoveryCodes(a, caller.actor());
    } finally {
      java.util.Arrays.fill(current, '\0');
    }
  }

  private void requireEnrolled(Account a) {
    if (secondFactor.enrolment(a).isEmpty()) {
      throw ApiException.conflict("not_enrolled", "your account has no second factor"
          + (SecondFactor.required(a) ? "; you set one up at your next sign-in" : " (your roles do not need one)"));
    }
  }

  /** The current password, throttled like a sign-in from the caller's address. */
  private void requirePassword(Context ctx, Caller caller, char[] current) {
    if (current.length == 0) {
      throw ApiException.invalid("currentPassword", "enter your current password");
    }
    String username = caller.account().username();
    String address = caller.address() == null ? "unknown" : caller.address();
    SignInThrottle.Verdict verdict = throttle.begin(username, address);
    if (verdict instanceof SignInThrottle.Verdict.Locked locked) {
      throw lockedOut(ctx, locked.until(), "too many wrong passwords for this account from your address");
    }
    if (!store.accounts().passwordMatches(caller.account().id(), current)) {
      throttle.failed(username);
      throw new ApiException(HttpStatus.FORBIDDEN, "wrong_password", "your current password is wrong, so nothing"
          + " was changed", "currentPassword");
    }
    throttle.succeeded(username, address);
  }

  /** A 6-digit code from the current app (each code once; wrong codes lock as at sign-in). */
  private void requireCode(Context ctx, Caller caller, String code) {
    String text = code == null ? "" : code.strip().replace(" ", "");
    if (!text.matches("\\d{6}")) {
      throw ApiException.invalid("currentCode", "enter the 6-digit code your authenticator app shows now");
    }
    SecondFactor.Check check = secondFactor.check(caller.account(), text, caller.actor());
    if (check instanceof SecondFactor.Check.Passed) {
      return;
    }
    if (check instanceof SecondFactor.Check.LockedOut locked) {
      throw lockedOut(ctx, locked.until(), "too many wrong codes for this account");
    }
    throw new ApiException(HttpStatus.FORBIDDEN, "wrong_code", "the code is wrong or was already used, so nothing"
        + " was changed; enter the code your app shows now", "currentCode");
  }

  private ApiException lockedOut(Context ctx, Instant until, String what) {
    long seconds = Math.max(1, (Duration.between(clock.instant(), until).toMillis() + 999) / 1000);
    ctx.header("Retry-After", Long.toString(seconds));
    return new ApiException(HttpStatus.TOO_MANY_REQUESTS, "locked_out", what + "; try again in "
        + (seconds < 120 ? seconds + " seconds" : (seconds + 59) / 60 + " minutes") + ", nothing was changed", null);
  }
}
