package org.schoolgate.store;

import java.time.Instant;

/**
 * A guest voucher (table {@code guest_vouchers}): a named guest may sign in a personal device on
 * the sign-in page with its code from {@code validFrom} until {@code validUntil} (one school day).
 * The code is shown once, when issued, and never stored.
 *
 * @param id the voucher's number
 * @param guestName the guest's name as the issuer typed it
 * @param issuedBy the account (or CLI user) that issued it
 * @param signIns how many times its code signed a device in
 * @param revokedAt when it was withdrawn, or null
 */
public record GuestVoucher(long id, String guestName, Instant validFrom, Instant validUntil, String issuedBy,
    Instant createdAt, int signIns, Instant revokedAt) {

  /** True when its code signs a device in at {@code now}. */
  public boolean validAt(Instant now) {
    return revokedAt == null && !now.isBefore(validFrom) && now.isBefore(validUntil);
  }

  /**
   * The user name a device signed in with this voucher browses as, in the access log and on the
   * block page: {@code guest:<name>}.
   */
  public String userName() {
    return "guest:" + guestName;
  }
}
