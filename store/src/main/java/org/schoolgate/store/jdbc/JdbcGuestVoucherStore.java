package org.schoolgate.store.jdbc;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;
import org.schoolgate.store.Actor;
import org.schoolgate.store.AuditEntry;
import org.schoolgate.store.GuestVoucher;
import org.schoolgate.store.GuestVoucherStore;
import org.schoolgate.store.StoreException;

/**
 * {@link GuestVoucherStore} on {@code guest_vouchers} (V12). Codes are 12 characters from an
 * alphabet without look-alikes (no 0/O, 1/I/L), about 58 bits, shown as {@code XXXX-XXXX-XXXX};
 * only their SHA-256 is stored, so a code is found by its hash.
 */
final class JdbcGuestVoucherStore implements GuestVoucherStore {
  private static final String ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";
  private static final int CODE_LENGTH = 12;
  private static final Pattern NAME = Pattern.compile("[\\p{L}\\p{Nd} .'-]{1," + MAX_NAME + "}");
  private static final String COLUMNS = "id, guest_name, valid_from, valid_until, issued_by, created_at, sign_ins,"
      + " revoked_at";
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Database db;
  private final AuditWriter audit;

  JdbcGuestVoucherStore(Database db, AuditWriter audit) {
    this.db = db;
    this.audit = audit;
  }

  @Override
  public Issued issue(String guestName, Instant from, Instant until, Actor actor) {
    Objects.requireNonNull(actor, "actor");
    String name = guestName == null ? "" : guestName.strip().replaceAll("\\s+", " ");
    if (!NAME.matcher(name).matches()) {
      throw new StoreException("invalid", "the guest's name must be 1-" + MAX_NAME + " letters, digits, spaces"
          + " or .'- (e.g. Jane Smith)", "name");
    }
    Instant start = from.truncatedTo(ChronoUnit.MICROS);
    Instant end = until.truncatedTo(ChronoUnit.MICROS);
    if (!end.isAfter(start) || Duration.between(start, end).compareTo(MAX_LENGTH) > 0) {
      throw new StoreException("invalid", "a voucher lasts for one day at most (from " + start + " until " + end
          + " is not; expected: more than nothing and at most 25 hours)", "until");
    }
    String code = newCode();
    Instant now = db.now().truncatedTo(ChronoUnit.MICROS);
    return db.write("issuing a guest voucher", c -> {
      long id;
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO guest_vouchers (code_hash, guest_name, valid_from,"
          + " valid_until, issued_by, created_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id")) {
        ps.setString(1, Tokens.sha256Hex(normalise(code)));
        ps.setString(2, name);
        ps.setLong(3, Database.micros(start));
        ps.setLong(4, Database.micros(end));
        ps.setString(5, actor.name());
        ps.setLong(6, Database.micros(now));
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          id = rs.getLong(1);
        }
      }
      GuestVoucher v = new GuestVoucher(id, name, start, end, actor.name(), now, 0, null);
      audit.append(c, new AuditEntry("guest-voucher.issued", actor, target(id), "", null, json(v)), false);
      return new Issued(v, code.substring(0, 4) + "-" + code.substring(4, 8) + "-" + code.substring(8));
    });
  }

  @Override
  public Redeemed redeem(String code, Instant now, String address) {
    String clean = code == null ? "" : normalise(code);
    if (clean.length() != CODE_LENGTH) {
      return new Redeemed.NotValid();
    }
    return db.write("signing in with a guest voucher", c -> {
      GuestVoucher found = null;
      try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM guest_vouchers WHERE code_hash = ?")) {
        ps.setString(1, Tokens.sha256Hex(clean));
        try (ResultSet rs = ps.executeQuery()) {
          if (rs.next()) {
            found = read(rs);
          }
        }
      }
      if (found == null || !found.validAt(now)) {
        return new Redeemed.NotValid();
      }
      try (PreparedStatement ps = c.prepareStatement("UPDATE guest_vouchers SET sign_ins = sign_ins + 1 WHERE id = ?")) {
        ps.setLong(1, found.id());
        ps.executeUpdate();
      }
      GuestVoucher after = new GuestVoucher(found.id(), found.guestName(), found.validFrom(), found.validUntil(),
          found.issuedBy(), found.createdAt(), found.signIns() + 1, null);
      audit.append(c, new AuditEntry("guest-voucher.signed-in", new Actor(null, after.userName(), address),
          target(found.id()), "", null, json(after)), false);
      return new Redeemed.Valid(after);
    });
  }

  @Override
  public List<GuestVoucher> list(Instant since) {
    return db.read("listing guest vouchers", c -> {
      List<GuestVoucher> out = new ArrayList<>();
      try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS
          + " FROM guest_vouchers WHERE valid_until >= ? ORDER BY id DESC")) {
        ps.setLong(1, Database.micros(since));
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            out.add(read(rs));
          }
        }
      }
      return out;
    });
  }

  @Override
  public java.util.Optional<GuestVoucher> find(long id) {
    return db.read("reading guest voucher " + id, c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM guest_vouchers WHERE id = ?")) {
        ps.setLong(1, id);
        try (ResultSet rs = ps.executeQuery()) {
          return rs.next() ? java.util.Optional.of(read(rs)) : java.util.Optional.<GuestVoucher>empty();
        }
      }
    });
  }

  @Override
  public boolean revoke(long id, Actor actor) {
    Instant now = db.now().truncatedTo(ChronoUnit.MICROS);
    return db.write("withdrawing guest voucher " + id, c -> {
      int changed;
      try (PreparedStatement ps = c.prepareStatement(
          "UPDATE guest_vouchers SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL")) {
        ps.setLong(1, Database.micros(now));
        ps.setLong(2, id);
        changed = ps.executeUpdate();
      }
      if (changed == 1) {
        audit.append(c, new AuditEntry("guest-voucher.revoked", actor, target(id), "", null, null), false);
      }
      return changed == 1;
    });
  }

  private static String newCode() {
    StringBuilder b = new StringBuilder(CODE_LENGTH);
    for (int i = 0; i < CODE_LENGTH; i++) {
      b.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
    }
    return b.toString();
  }

  /** Upper case, without spaces and dashes (as people copy a code from paper). */
  private static String normalise(String code) {
    StringBuilder b = new StringBuilder(code.length());
    for (char ch : code.toUpperCase(Locale.ROOT).toCharArray()) {
      if (ch != ' ' && ch != '-') {
        b.append(ch);
      }
    }
    return b.toString();
  }

  private static GuestVoucher read(ResultSet rs) throws SQLException {
    return new GuestVoucher(rs.getLong("id"), rs.getString("guest_name"), Database.instant(rs.getLong("valid_from")),
        Database.instant(rs.getLong("valid_until")), rs.getString("issued_by"),
        Database.instant(rs.getLong("created_at")), rs.getInt("sign_ins"), Database.instantOrNull(rs, "revoked_at"));
  }

  private static String json(GuestVoucher v) {
    var o = Json.object();
    o.put("id", v.id());
    o.put("guest", v.guestName());
    o.put("validFrom", v.validFrom().toString());
    o.put("validUntil", v.validUntil().toString());
    o.put("signIns", v.signIns());
    return Json.text(o);
  }

  private static String target(long id) {
    return "guest-voucher:" + id;
  }
}
