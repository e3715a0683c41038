package org.schoolgate.store.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.schoolgate.store.AccountId;
import org.schoolgate.store.Actor;
import org.schoolgate.store.AuditEntry;
import org.schoolgate.store.SecondFactorStore;
import org.schoolgate.store.StoreException;

/** {@link SecondFactorStore} on the {@code second_factors} and {@code recovery_codes} tables (V11). */
final class JdbcSecondFactorStore implements SecondFactorStore {
  private final Database db;
  private final AuditWriter audit;

  JdbcSecondFactorStore(Database db, AuditWriter audit) {
    this.db = db;
    this.audit = audit;
  }

  @Override
  public Optional<Enrolment> enrolment(AccountId account) {
    Objects.requireNonNull(account, "account");
    return db.read("reading a second factor", c -> read(c, account));
  }

  @Override
  public Enrolment enrol(AccountId account, String secret, long provedAtStep, List<String> recoveryCodeHashes,
      Actor actor) {
    Objects.requireNonNull(account, "account");
    Objects.requireNonNull(actor, "actor");
    requireSecret(secret);
    requireHashes(recoveryCodeHashes);
    return db.write("enrolling a second factor", c -> {
      String username = username(c, account);
      if (read(c, account).isPresent()) {
        throw new StoreException("conflict", username + " already has a second factor; reset it first", null);
      }
      Instant now = db.now();
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO second_factors"
          + " (account_id, secret, enrolled_at, last_step, failures) VALUES (?, ?, ?, ?, 0)")) {
        ps.setLong(1, account.value());
        ps.setString(2, secret);
        ps.setLong(3, Database.micros(now));
        ps.setLong(4, provedAtStep);
        ps.executeUpdate();
      }
      replaceRecoveryCodes(c, account, recoveryCodeHashes);
      audit.append(c, new AuditEntry("account.second_factor_enrolled", actor, JdbcAccountStore.target(username),
          "authenticator app and " + recoveryCodeHashes.size() + " recovery codes", null, null), false);
      return read(c, account).orElseThrow();
    });
  }

  @Override
  public Enrolment replace(AccountId account, String secret, long provedAtStep, Actor actor) {
    Objects.requireNonNull(account, "account");
    Objects.requireNonNull(actor, "actor");
    requireSecret(secret);
    return db.write("replacing a second factor", c -> {
      String username = username(c, account);
      int updated;
      try (PreparedStatement ps = c.prepareStatement("UPDATE second_factors SET secret = ?, enrolled_at = ?,"
          + " last_step = ?, failures = 0, locked_until = NULL WHERE account_id = ?")) {
        ps.setString(1, secret);
        ps.setLong(2, Database.micros(db.now()));
        ps.setLong(3, provedAtStep);
        ps.setLong(4, account.value());
        updated = ps.executeUpdate();
      }
      if (updated != 1) {
        throw new StoreException("conflict", username + " has no second factor to replace; it sets one up at its"
            + " next sign-in", null);
      }
      audit.append(c, new AuditEntry("account.second_factor_replaced", actor, JdbcAccountStore.target(username),
          "new authenticator app; the old one's codes no longer work", null, null), false);
      return read(c, account).orElseThrow();
    });
  }

  @Override
  public int replaceRecoveryCodes(AccountId account, List<String> recoveryCodeHashes, Actor actor) {
    Objects.requireNonNull(account, "account");
    Objects.requireNonNull(actor, "actor");
    requireHashes(recoveryCodeHashes);
    return db.write("replacing recovery codes", c -> {
      String username = username(c, account);
      if (read(c, account).isEmpty()) {
        throw new StoreException("conflict", username + " has no second factor, so it has no recovery codes", null);
      }
      int before = codesLeft(c, account);
      replaceRecoveryCodes(c, account, recoveryCodeHashes);
      int now = codesLeft(c, account);
      audit.append(c, new AuditEntry("account.recovery_codes_replaced", actor, JdbcAccountStore.target(username),
          now + " new recovery codes; the " + before + " unused old one(s) no longer work", null, null), false);
      return now;
    });
  }

  private static void requireSecret(String secret) {
    if (secret == null || !secret.matches("[A-Z2-7]{16,64}")) {
      throw new StoreException("invalid", "the second-factor secret must be 16-64 Base32 characters", "secret");
    }
  }

  private static void requireHashes(List<String> hashes) {
    for (String hash : hashes) {
      if (hash == null || !hash.matches("[0-9a-f]{64}")) {
        throw new StoreException("invalid", "recovery codes must arrive as SHA-256 hex digests", "recoveryCodes");
      }
    }
  }

  @Override
  public boolean accept(AccountId account, long step, Actor actor) {
    return db.write("accepting a second-factor code", c -> {
      String username = username(c, account);
      int updated;
      try (PreparedStatement ps = c.prepareStatement("UPDATE second_factors SET last_step = ?, failures = 0,"
          + " locked_until = NULL WHERE account_id = ? AND last_step < ?")) {
        ps.setLong(1, step);
        ps.setLong(2, account.value());
        ps.setLong(3, step);
        updated = ps.executeUpdate();
      }
      if (updated == 1) {
        audit.append(c, new AuditEntry("login.second_factor", actor, JdbcAccountStore.target(username),
            "authenticator code", null, null), false);
      }
      return updated == 1;
    });
  }

  @Override
  public boolean useRecoveryCode(AccountId account, String codeHash, Actor actor) {
    return db.write("using a recovery code", c -> {
      String username = username(c, account);
      int updated;
      try (PreparedStatement ps = c.prepareStatement("UPDATE recovery_codes SET used_at = ?"
          + " WHERE account_id = ? AND code_hash = ? AND used_at IS NULL")) {
        ps.setLong(1, Database.micros(db.now()));
        ps.setLong(2, account.value());
        ps.setString(3, codeHash);
        updated = ps.executeUpdate();
      }
      if (updated != 1) {
        return false;
      }
      try (PreparedStatement ps = c.prepareStatement(
          "UPDATE second_factors SET failures = 0, locked_until = NULL WHERE account_id = ?")) {
        ps.setLong(1, account.value());
        ps.executeUpdate();
      }
      int left = codesLeft(c, account);
      audit.append(c, new AuditEntry("login.recovery_code", actor, JdbcAccountStore.target(username),
          "recovery code used; " + left + " left", null, null), false);
      return true;
    });
  }

  @Override
  public int failed(AccountId account, Instant lockUntil, Actor actor) {
    return db.write("counting a wrong second-factor code", c -> {
      String username = username(c, account);
      try (PreparedStatement ps = c.prepareStatement(
          "UPDATE second_factors SET failures = failures + 1, locked_until = ? WHERE account_id = ?")) {
        Database.setInstantOrNull(ps, 1, lockUntil);
        ps.setLong(2, account.value());
        ps.executeUpdate();
      }
      int failures = read(c, account).map(Enrolment::failures).orElse(0);
      audit.append(c, new AuditEntry("login.second_factor_failed", actor, JdbcAccountStore.target(username),
          failures + " wrong code(s) in a row" + (lockUntil == null ? "" : "; locked until " + lockUntil), null,
          null), false);
      return failures;
    });
  }

  @Override
  public boolean reset(AccountId account, String reason, Actor actor) {
    return db.write("resetting a second factor", c -> {
      String username = username(c, account);
      int removed;
      try (PreparedStatement ps = c.prepareStatement("DELETE FROM second_factors WHERE account_id = ?")) {
        ps.setLong(1, account.value());
        removed = ps.executeUpdate();
      }
      try (PreparedStatement ps = c.prepareStatement("DELETE FROM recovery_codes WHERE account_id = ?")) {
        ps.setLong(1, account.value());
        ps.executeUpdate();
      }
      if (removed == 0) {
        return false;
      }
      audit.append(c, new AuditEntry("account.second_factor_reset", actor, JdbcAccountStore.target(username),
          reason, null, null), false);
      return true;
    });
  }

  private static void replaceRecoveryCodes(Connection c, AccountId account, List<String> hashes) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("DELETE FROM recovery_codes WHERE account_id = ?")) {
      ps.setLong(1, account.value());
      ps.executeUpdate();
    }
    try (PreparedStatement ps = c.prepareStatement(
        "INSERT INTO recovery_codes (account_id, code_hash) VALUES (?, ?)")) {
      for (String hash : hashes) {
        ps.setLong(1, account.value());
        ps.setString(2, hash);
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  private static Optional<Enrolment> read(Connection c, AccountId account) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT secret, enrolled_at, last_step, failures, locked_until"
        + " FROM second_factors WHERE account_id = ?")) {
      ps.setLong(1, account.value());
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty();
        }
        return Optional.of(new Enrolment(account, rs.getString(1), Database.instant(rs.getLong(2)), rs.getLong(3),
            rs.getInt(4), Database.instantOrNull(rs, 5), codesLeft(c, account)));
      }
    }
  }

  private static int codesLeft(Connection c, AccountId account) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT COUNT(*) FROM recovery_codes WHERE account_id = ? AND used_at IS NULL")) {
      ps.setLong(1, account.value());
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getInt(1);
      }
    }
  }

  private static String username(Connection c, AccountId account) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT username FROM accounts WHERE id = ?")) {
      ps.setLong(1, account.value());
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          throw new StoreException("not_found", "there is no account " + account.value(), null);
        }
        return rs.getString(1);
      }
    }
  }
}
