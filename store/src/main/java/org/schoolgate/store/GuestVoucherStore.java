package org.schoolgate.store;

import java.time.Instant;
import java.util.List;

/**
 * Guest vouchers for the sign-in page (table {@code guest_vouchers}). Issuing and withdrawing are
 * audited ({@code guest-voucher.issued}, {@code guest-voucher.revoked}), and so is every sign-in
 * with a code ({@code guest-voucher.signed-in}, with the device's address): few enough to keep,
 * and what a safeguarding lead asks for. Every call blocks (JDBC): admin threads only.
 */
public interface GuestVoucherStore {
  /** The longest a voucher may last: one day, plus the hour a clock change adds. */
  java.time.Duration MAX_LENGTH = java.time.Duration.ofHours(25);
  /** The longest guest name. */
  int MAX_NAME = 60;

  /**
   * Issues a voucher for {@code guestName} from {@code from} until {@code until} (at most
   * {@link #MAX_LENGTH}). Names are 1-{@value #MAX_NAME} letters, digits, spaces and {@code .'-}.
   *
   * @throws StoreException {@code invalid} with the field at fault
   */
  Issued issue(String guestName, Instant from, Instant until, Actor actor);

  /** A voucher and its code, which is shown this once. */
  record Issued(GuestVoucher voucher, String code) {}

  /**
   * The voucher whose code is {@code code} (any case, spaces and dashes ignored), when it is valid
   * at {@code now}; counts and audits the sign-in from {@code address}. An unknown, expired,
   * not-yet-valid or withdrawn code is {@link Redeemed.NotValid} alike (nothing to enumerate).
   */
  Redeemed redeem(String code, Instant now, String address);

  /** What {@link #redeem} found. */
  sealed interface Redeemed {
    record Valid(GuestVoucher voucher) implements Redeemed {}

    record NotValid() implements Redeemed {}
  }

  /** Vouchers still valid at or after {@code since}, newest first. */
  List<GuestVoucher> list(Instant since);

  /** The voucher numbered {@code id}, withdrawn or not, or empty. */
  java.util.Optional<GuestVoucher> find(long id);

  /** Withdraws a voucher at once; false when there is none or it was withdrawn already. */
  boolean revoke(long id, Actor actor);
}
