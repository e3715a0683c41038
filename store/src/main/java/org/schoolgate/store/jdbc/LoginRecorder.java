package org.schoolgate.store.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import org.schoolgate.store.AccountId;
import org.schoolgate.store.AccountStore.LoginOutcome;
import org.schoolgate.store.Actor;
import org.schoolgate.store.AuditEntry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records a login once the password has been checked: the failure counter and the {@code
 * login}/{@code login.failed} audit record, in one transaction that re-reads the account under
 * lock (so concurrent attempts count correctly). It never locks the account: a lock-out keyed by
 * account alone would let anyone who reaches the sign-in lock its owner out, so throttling is the
 * admin API's, per account and client address.
 */
final class LoginRecorder {
  private static final Logger LOG = LoggerFactory.getLogger(LoginRecorder.class);
  static final String WRONG = "wrong username or password";

  private final Database db;
  private final AuditWriter audit;

  LoginRecorder(Database db, AuditWriter audit) {
    this.db = db;
    this.audit = audit;
  }

  LoginOutcome unknown(String attempted, String address) {
    db.write("recording a failed login", c -> audit.append(c, new AuditEntry("login.failed",
        new Actor(null, attempted, address), JdbcAccountStore.target(attempted), "unknown username", null, null),
        false));
    LOG.info("login failed for unknown username from {}", address);
    return new LoginOutcome.Failed(WRONG);
  }

  LoginOutcome record(AccountId id, boolean matches, String rehash, String address) {
    return db.write("recording a login", c -> {
      AccountRow row = AccountRow.find(c, "id = ?", id.value(), db.forUpdate()).orElse(null);
      if (row == null) {
        return new LoginOutcome.Failed(WRONG);
      }
      String username = row.account().username();
      Actor actor = new Actor(id, username, address);
      String target = JdbcAccountStore.target(username);
      if (!matches) {
        int failures = row.failedLogins() + 1;
        try (PreparedStatement ps = c.prepareStatement("UPDATE accounts SET failed_logins = ? WHERE id = ?")) {
          ps.setInt(1, failures);
          ps.setLong(2, id.value());
          ps.executeUpdate();
        }
        failed(c, actor, target, "wrong password (" + failures + " in a row)");
        return new LoginOutcome.Failed(WRONG);
      }
      if (row.account().disabled()) {
        failed(c, actor, target, "account disabled");
        return new LoginOutcome.Failed("this account is disabled; ask an administrator to enable it");
      }
      try (PreparedStatement ps = c.prepareStatement(rehash == null
          ? "UPDATE accounts SET failed_logins = 0, locked_until = NULL WHERE id = ?"
          : "UPDATE accounts SET failed_logins = 0, locked_until = NULL, password_hash = ? WHERE id = ?")) {
        int i = 1;
        if (rehash != null) {
          ps.setString(i++, rehash);
        }
        ps.setLong(i, id.value());
        ps.executeUpdate();
      }
      audit.append(c, new AuditEntry("login", actor, target, "", null, null), false);
      return new LoginOutcome.Success(row.account());
    });
  }

  private void failed(Connection c, Actor actor, String target, String reason) throws SQLException {
    audit.append(c, new AuditEntry("login.failed", actor, target, reason, null, null), false);
  }
}
