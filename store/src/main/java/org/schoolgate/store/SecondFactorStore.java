package org.schoolgate.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Second factors (TOTP secrets) and recovery codes. The store keeps the state and audits every
 * change; the admin API computes and compares codes. Recovery codes arrive already hashed
 * (SHA-256 hex of the normalised code) and are never stored in clear.
 *
 * <pre>{@code
 * SecondFactorStore factors = store.secondFactors();
 * factors.enrol(account.id(), base32Secret, step, recoveryHashes, actor);
 * factors.accept(account.id(), step, actor);   // false: that code (or a later one) was already used
 * }</pre>
 */
public interface SecondFactorStore {

  /** The account's enrolment, if it has one. */
  Optional<Enrolment> enrolment(AccountId account);

  /**
   * Enrols {@code account} with {@code secret} (Base32), the step of the code that proved it and
   * fresh recovery codes; audited as {@code account.second_factor_enrolled} (never the secret).
   *
   * @throws StoreException {@code conflict} when the account is already enrolled
   */
  Enrolment enrol(AccountId account, String secret, long provedAtStep, List<String> recoveryCodeHashes,
      Actor actor);

  /**
   * Replaces an enrolled account's secret with {@code secret} (Base32), proved by a code of time
   * step {@code provedAtStep} from the new secret; failures and lock-out are cleared, the recovery
   * codes stay. Audited as {@code account.second_factor_replaced} (never the secret).
   *
   * @throws StoreException {@code conflict} when the account has no second factor to replace
   */
  Enrolment replace(AccountId account, String secret, long provedAtStep, Actor actor);

  /**
   * Replaces all the account's recovery codes (used or not) with {@code recoveryCodeHashes} in one
   * transaction: the old ones stop working at the moment the new ones start. Audited as {@code
   * account.recovery_codes_replaced}.
   *
   * @return the number of unused codes now
   * @throws StoreException {@code conflict} when the account has no second factor
   */
  int replaceRecoveryCodes(AccountId account, List<String> recoveryCodeHashes, Actor actor);

  /**
   * Accepts a code of time step {@code step}: true (and the failure count cleared) when {@code step}
   * is later than every step accepted before, false when it is a replay. Audited as
   * {@code login.second_factor}.
   */
  boolean accept(AccountId account, long step, Actor actor);

  /**
   * Uses a recovery code: true (and the code spent, failures cleared) when {@code codeHash} is one
   * of the account's unused codes. Audited as {@code login.recovery_code} with the codes left.
   */
  boolean useRecoveryCode(AccountId account, String codeHash, Actor actor);

  /**
   * Counts a wrong code; {@code lockUntil} (or null) is when the account may try again. Audited as
   * {@code login.second_factor_failed}.
   *
   * @return the number of consecutive failures, this one included
   */
  int failed(AccountId account, Instant lockUntil, Actor actor);

  /**
   * Removes the enrolment and its recovery codes (a lost phone); the account enrols again at its
   * next sign-in. Audited as {@code account.second_factor_reset}.
   *
   * @return false when the account was not enrolled
   */
  boolean reset(AccountId account, String reason, Actor actor);

  /**
   * An account's enrolment.
   *
   * @param secret the Base32 TOTP secret
   * @param lastStep the last time step accepted
   * @param failures consecutive wrong codes
   * @param lockedUntil no code is checked before this, or null
   * @param recoveryCodesLeft unused recovery codes
   */
  record Enrolment(AccountId account, String secret, Instant enrolledAt, long lastStep, int failures,
      Instant lockedUntil, int recoveryCodesLeft) {
    @Override
    public String toString() {
      return "Enrolment[" + account + ", enrolled " + enrolledAt + ", failures " + failures + ", codes left "
          + recoveryCodesLeft + "]";
    }
  }
}
