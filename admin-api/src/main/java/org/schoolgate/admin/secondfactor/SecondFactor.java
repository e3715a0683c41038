package org.schoolgate.admin.secondfactor;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import org.schoolgate.store.Account;
import org.schoolgate.store.Actor;
import org.schoolgate.store.Role;
import org.schoolgate.store.SecondFactorStore;
import org.schoolgate.store.SecondFactorStore.Enrolment;

/**
 * Who needs a second factor, enrolment, and checking a code at sign-in (the JSON API's
 * {@code POST /api/v1/login} and the console's sign-in both come here).
 *
 * <ul>
 *   <li>Required for accounts holding {@link #REQUIRED_FOR} (admin, dsl, senior-leader). An
 *       account without an enrolment (every account made before store version 11) is asked to
 *       enrol at its next console sign-in; the JSON API refuses it until then.
 *   <li>A code is the authenticator's 6 digits (±1 step of 30 s, each step accepted once) or an
 *       unused recovery code.
 *   <li>{@value #FREE_FAILURES} wrong codes in a row lock the second factor for 1 minute, doubling
 *       with each further wrong code up to 1 hour; every wrong code is audited.
 * </ul>
 */
public final class SecondFactor {
  /** Roles whose accounts must use a second factor. */
  public static final Set<Role> REQUIRED_FOR = Collections.unmodifiableSet(
      EnumSet.of(Role.ADMIN, Role.DSL, Role.SENIOR_LEADER));
  static final int FREE_FAILURES = 4;
  private static final Duration FIRST_LOCK = Duration.ofMinutes(1);
  private static final Duration LONGEST_LOCK = Duration.ofHours(1);
  private static final SecureRandom RANDOM = new SecureRandom();

  private final SecondFactorStore store;
  private final Clock clock;
  private final String issuer;

  /**
   * @param issuer the name authenticator apps show beside the account, e.g. {@code Schoolgate}
   */
  public SecondFactor(SecondFactorStore store, Clock clock, String issuer) {
    this.store = Objects.requireNonNull(store, "store");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.issuer = Objects.requireNonNull(issuer, "issuer");
  }

  /**
   * True when {@code account}'s roles require a second factor. Accounts that sign in with the
   * school's directory password (admin.directory-roles) need it as local accounts do: the directory
   * checks the password, Schoolgate the code. Their roles follow the directory at every sign-in, so
   * a group that adds a role named here makes the code required from that sign-in on.
   */
  public static boolean required(Account account) {
    return account.roles().stream().anyMatch(REQUIRED_FOR::contains);
  }

  public Optional<Enrolment> enrolment(Account account) {
    return store.enrolment(account.id());
  }

  /** The result of checking a code. */
  public sealed interface Check {
    /** The code was right; {@code recoveryCode} when a recovery code was spent. */
    record Passed(boolean recoveryCode, int recoveryCodesLeft) implements Check {}

    /** The account has no second factor yet: it must enrol (console sign-in). */
    record NotEnrolled() implements Check {}

    /** No code was given. */
    record Missing() implements Check {}

    /** A wrong, reused or malformed code; {@code failures} in a row so far. */
    record Wrong(int failures) implements Check {}

    /** Too many wrong codes: nothing is checked until {@code until}. */
    record LockedOut(Instant until) implements Check {}
  }

  /** Checks {@code code} (6 digits or a recovery code; may be null) for {@code account}. */
  public Check check(Account account, String code, Actor actor) {
    Optional<Enrolment> found = store.enrolment(account.id());
    if (found.isEmpty()) {
      return new Check.NotEnrolled();
    }
    Enrolment e = found.get();
    Instant now = clock.instant();
    if (e.lockedUntil() != null && now.isBefore(e.lockedUntil())) {
      return new Check.LockedOut(e.lockedUntil());
    }
    String text = code == null ? "" : code.strip();
    if (text.isEmpty()) {
      return new Check.Missing();
    }
    if (RecoveryCodes.looksLikeOne(text)) {
      if (store.useRecoveryCode(account.id(), RecoveryCodes.hash(text), actor)) {
        return new Check.Passed(true, e.recoveryCodesLeft() - 1);
      }
    } else {
      OptionalLong step = Totp.match(Base32.decode(e.secret()), text.replace(" ", ""), now);
      if (step.isPresent() && store.accept(account.id(), step.getAsLong(), actor)) {
        return new Check.Passed(false, e.recoveryCodesLeft());
      }
    }
    return wrong(account, e.failures() + 1, now, actor);
  }

  private Check wrong(Account account, int failures, Instant now, Actor actor) {
    Instant lockUntil = null;
    if (failures > FREE_FAILURES) {
      int doublings = Math.min(failures - FREE_FAILURES - 1, 10);
      Duration lock = FIRST_LOCK.multipliedBy(1L << doublings);
      lockUntil = now.plus(lock.compareTo(LONGEST_LOCK) > 0 ? LONGEST_LOCK : lock);
    }
    int counted = store.failed(account.id(), lockUntil, actor);
    return lockUntil == null ? new Check.Wrong(counted) : new Check.LockedOut(lockUntil);
  }

  /** A secret offered for enrolment, not yet stored. */
  public record Offer(String secret, String uri, String qrSvg) {
    /** The secret in groups of four, as people type it. */
    public String grouped() {
      return secret.replaceAll("(.{4})(?!$)", "$1 ");
    }

    @Override
    public String toString() {
      return "Offer[secret hidden]";
    }
  }

  /** A fresh secret (160 bits) with its {@code otpauth://} URI and QR code for {@code account}. */
  public Offer offer(Account account) {
    byte[] bytes = new byte[20];
    RANDOM.nextBytes(bytes);
    return offer(account, Base32.encode(bytes));
  }

  /** The offer for a secret already shown (the enrolment form posts it back). */
  public Offer offer(Account account, String secret) {
    if (!secret.matches("[A-Z2-7]{32}")) {
      throw new IllegalArgumentException("the offered secret is not 32 Base32 characters");
    }
    String label = enc(issuer) + ":" + enc(account.username());
    String uri = "otpauth://totp/" + label + "?secret=" + secret + "&issuer=" + enc(issuer)
        + "&algorithm=SHA1&digits=" + Totp.DIGITS + "&period=" + Totp.PERIOD;
    return new Offer(secret, uri, QrSvg.of(uri, "QR code to add " + account.username() + " to an authenticator app"));
  }

  /**
   * Enrols {@code account} with the offered {@code secret} once {@code code} proves the app has
   * it; returns the recovery codes to show once, or empty when the code is wrong.
   */
  public Optional<List<String>> enrol(Account account, String secret, String code, Actor actor) {
    OptionalLong step = Totp.match(Base32.decode(secret), code == null ? "" : code.strip().replace(" ", ""),
        clock.instant());
    if (step.isEmpty()) {
      return Optional.empty();
    }
    List<String> codes = RecoveryCodes.generate();
    store.enrol(account.id(), secret, step.getAsLong(), codes.stream().map(RecoveryCodes::hash).toList(), actor);
    return Optional.of(codes);
  }

  /**
   * Replaces an enrolled account's secret with the offered {@code secret} once {@code code} (from
   * the new secret) proves the new app has it; false when the code is wrong. The recovery codes
   * stay.
   */
  public boolean replace(Account account, String secret, String code, Actor actor) {
    OptionalLong step = Totp.match(Base32.decode(secret), code == null ? "" : code.strip().replace(" ", ""),
        clock.instant());
    if (step.isEmpty()) {
      return false;
    }
    store.replace(account.id(), secret, step.getAsLong(), actor);
    return true;
  }

  /** Fresh recovery codes for an enrolled account, to show once; every old one stops working. */
  public List<String> newRecoveryCodes(Account account, Actor actor) {
    List<String> codes = RecoveryCodes.generate();
    store.replaceRecoveryCodes(account.id(), codes.stream().map(RecoveryCodes::hash).toList(), actor);
    return codes;
  }

  /** The current code for a secret: for tests and tools that play the authenticator app. */
  public static String currentCode(String secret, Instant at) {
    return Totp.code(Base32.decode(secret), Totp.step(at));
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
