package org.schoolgate.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import org.schoolgate.store.Actor;
import org.schoolgate.store.GuestVoucher;
import org.schoolgate.store.GuestVoucherStore;
import org.schoolgate.store.GuestVoucherStore.Redeemed;
import org.schoolgate.store.StoreException;

/** A guest voucher's code signs in for its day only, is stored as a hash, and every step is audited. */
class GuestVoucherStoreTest {
  private static final Actor OFFICE = Actor.system("office");
  private static final Instant DAY = Instant.parse("2026-12-07T00:00:00Z");
  private static final Instant END = Instant.parse("2026-12-08T00:00:00Z");

  @DatabaseTest
  void aCodeSignsInForItsDayOnlyWhateverItsSpellingAndIsNeverStored(TestDatabase db) throws Exception {
    GuestVoucherStore vouchers = db.store().guestVouchers();
    GuestVoucherStore.Issued issued = vouchers.issue("  Jane   Smith ", DAY, END, OFFICE);

    assertThat(issued.code()).matches("[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}");
    GuestVoucher v = issued.voucher();
    assertThat(v.guestName()).isEqualTo("Jane Smith");
    assertThat(v.userName()).isEqualTo("guest:Jane Smith");
    Instant morning = DAY.plusSeconds(9 * 3600);
    String typed = issued.code().replace("-", " ").toLowerCase(java.util.Locale.ROOT);
    assertThat(vouchers.redeem(typed, morning, "10.99.0.5")).isInstanceOfSatisfying(Redeemed.Valid.class,
        r -> assertThat(r.voucher().signIns()).isEqualTo(1));
    assertThat(vouchers.redeem(issued.code(), END, "10.99.0.5")).as("the next day").isEqualTo(new Redeemed.NotValid());
    assertThat(vouchers.redeem(issued.code(), DAY.minusSeconds(1), "10.99.0.5")).isEqualTo(new Redeemed.NotValid());
    assertThat(vouchers.redeem("AAAA-BBBB-CCCC", morning, "10.99.0.5")).isEqualTo(new Redeemed.NotValid());
    assertThat(vouchers.redeem("' OR 1=1 --", morning, "10.99.0.5")).isEqualTo(new Redeemed.NotValid());

    try (Connection c = db.raw();
        PreparedStatement ps = c.prepareStatement("SELECT code_hash FROM guest_vouchers");
        ResultSet rs = ps.executeQuery()) {
      rs.next();
      assertThat(rs.getString(1)).hasSize(64).doesNotContain(issued.code().replace("-", ""));
    }
    assertThat(db.store().audit().verify()).isInstanceOf(org.schoolgate.store.AuditTrail.Verification.Valid.class);
  }

  @DatabaseTest
  void aWithdrawnVoucherSignsNobodyInAndBadRequestsAreRefused(TestDatabase db) {
    GuestVoucherStore vouchers = db.store().guestVouchers();
    GuestVoucherStore.Issued issued = vouchers.issue("Dr O'Neill-Brown", DAY, END, OFFICE);
    assertThat(vouchers.find(issued.voucher().id())).contains(issued.voucher());
    assertThat(vouchers.find(issued.voucher().id() + 1000)).isEmpty();
    assertThat(vouchers.revoke(issued.voucher().id(), OFFICE)).isTrue();
    assertThat(vouchers.find(issued.voucher().id()).orElseThrow().revokedAt()).isNotNull();
    assertThat(vouchers.revoke(issued.voucher().id(), OFFICE)).isFalse();
    assertThat(vouchers.redeem(issued.code(), DAY.plusSeconds(60), "10.99.0.5")).isEqualTo(new Redeemed.NotValid());
    assertThat(vouchers.list(DAY)).singleElement().satisfies(v -> assertThat(v.revokedAt()).isNotNull());

    assertThatThrownBy(() -> vouchers.issue("<script>", DAY, END, OFFICE)).isInstanceOf(StoreException.class)
        .hasMessageContaining("the guest's name must be 1-60 letters");
    assertThatThrownBy(() -> vouchers.issue("Jane", DAY, DAY.plusSeconds(26 * 3600), OFFICE))
        .isInstanceOf(StoreException.class).hasMessageContaining("a voucher lasts for one day at most");
  }
}
