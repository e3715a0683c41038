package org.schoolgate.store.jdbc;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.schoolgate.store.Account;
import org.schoolgate.store.AccountId;
import org.schoolgate.store.Actor;
import org.schoolgate.store.AuditEntry;
import org.schoolgate.store.SessionStore;
import org.schoolgate.store.StoreException;

/** {@link SessionStore} on the {@code tokens} table, which holds only SHA-256 digests of tokens. */
final class JdbcSessionStore implements SessionStore {
  private static final String SESSION = "session";
  private static final String API = "api";

  private final Database db;
  private final AuditWriter audit;

  JdbcSessionStore(Database db, AuditWriter audit) {
    this.db = db;
    this.audit = audit;
  }

  @Override
  public IssuedToken createSession(AccountId account, Duration ttl) {
    Objects.requireNonNull(account, "account");
    if (ttl == null || ttl.isNegative() || ttl.isZero()) {
      throw new StoreException("invalid", "session lifetime must be positive, got " + ttl, "ttl");
    }
    String token = Tokens.newToken();
    return db.write("creating a session", c -> {
      Instant now = db.now();
      requireAccount(c, account);
      try (PreparedStatement ps = c.prepareStatement("DELETE FROM tokens WHERE kind = 'session' AND expires_at <= ?")) {
        ps.setLong(1, Database.micros(now));
        ps.executeUpdate();
      }
      Instant expires = now.plus(ttl).truncatedTo(ChronoUnit.MICROS);
      insert(c, token, account, SESSION, null, now, expires);
      return new IssuedToken(token, expires);
    });
  }

  @Override
  public IssuedToken createApiToken(AccountId account, String name, Instant expiresAt, Actor actor) {
    Objects.requireNonNull(account, "account");
    Objects.requireNonNull(actor, "actor");
    if (name == null || name.isBlank() || name.strip().length() > 100) {
      throw new StoreException("invalid", "token name must be 1-100 characters", "name");
    }
    if (expiresAt == null) {
      throw new StoreException("invalid", "an API token needs an expiry time", "expiresAt");
    }
    String tokenName = name.strip();
    Instant expires = expiresAt.truncatedTo(ChronoUnit.MICROS);
    String token = Tokens.newToken();
    return db.write("creating an API token", c -> {
      Instant now = db.now();
      if (!expires.isAfter(now)) {
        throw new StoreException("invalid", "expiry " + expires + " is not in the future", "expiresAt");
      }
      String username = requireAccount(c, account);
      long id = insert(c, token, account, API, tokenName, now, expires);
      ObjectNode after = Json.object();
      after.put("id", id);
      after.put("name", tokenName);
      after.put("expiresAt", expires.toString());
      audit.append(c, new AuditEntry("token.created", actor, JdbcAccountStore.target(username), "", null,
          Json.text(after)), false);
      return new IssuedToken(token, expires);
    });
  }

  @Override
  public Optional<Principal> authenticate(String token) {
    if (!Tokens.wellFormed(token)) {
      return Optional.empty();
    }
    String hash = Tokens.sha256Hex(token);
    return db.read("checking a token", c -> {
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT t.kind, t.expires_at, " + prefixed("a.") + " FROM tokens t JOIN accounts a ON a.id = t.account_id"
              + " WHERE t.token_hash = ?")) {
        ps.setString(1, hash);
        try (ResultSet rs = ps.executeQuery()) {
          if (!rs.next()) {
            return Optional.empty();
          }
          Instant expires = Database.instant(rs.getLong("expires_at"));
          Account account = AccountRow.read(rs).account();
          if (!expires.isAfter(db.now()) || account.disabled()) {
            return Optional.empty();
          }
          return Optional.of(new Principal(account,
              API.equals(rs.getString("kind")) ? Principal.Kind.API_TOKEN : Principal.Kind.SESSION));
        }
      }
    });
  }

  @Override
  public void revoke(String token, Actor actor) {
    if (!Tokens.wellFormed(token)) {
      return;
    }
    String hash = Tokens.sha256Hex(token);
    db.write("revoking a token", c -> {
      String kind = null;
      long id = 0;
      String name = null;
      String username = null;
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT t.id, t.kind, t.name, a.username FROM tokens t JOIN accounts a ON a.id = t.account_id"
              + " WHERE t.token_hash = ?")) {
        ps.setString(1, hash);
        try (ResultSet rs = ps.executeQuery()) {
          if (rs.next()) {
            id = rs.getLong(1);
            kind = rs.getString(2);
            name = rs.getString(3);
            username = rs.getString(4);
          }
        }
      }
      if (kind == null) {
        return null;
      }
      try (PreparedStatement ps = c.prepareStatement("DELETE FROM tokens WHERE id = ?")) {
        ps.setLong(1, id);
        ps.executeUpdate();
      }
      if (API.equals(kind)) {
        ObjectNode before = Json.object();
        before.put("id", id);
        before.put("name", name);
        audit.append(c, new AuditEntry("token.revoked", actor, JdbcAccountStore.target(username), "",
            Json.text(before), null), false);
      } else {
        audit.append(c, new AuditEntry("logout", actor, JdbcAccountStore.target(username), "", null, null), false);
      }
      return null;
    });
  }

  @Override
  public boolean revokeApiToken(AccountId owner, long id, Actor actor) {
    Objects.requireNonNull(owner, "owner");
    Objects.requireNonNull(actor, "actor");
    return db.write("revoking an API token", c -> {
      String name;
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT name FROM tokens WHERE id = ? AND account_id = ? AND kind = 'api'")) {
        ps.setLong(1, id);
        ps.setLong(2, owner.value());
        try (ResultSet rs = ps.executeQuery()) {
          if (!rs.next()) {
            return false;
          }
          name = rs.getString(1);
        }
      }
      String username = requireAccount(c, owner);
      try (PreparedStatement ps = c.prepareStatement("DELETE FROM tokens WHERE id = ?")) {
        ps.setLong(1, id);
        ps.executeUpdate();
      }
      ObjectNode before = Json.object();
      before.put("id", id);
      before.put("name", name);
      audit.append(c, new AuditEntry("token.revoked", actor, JdbcAccountStore.target(username), "",
          Json.text(before), null), false);
      return true;
    });
  }

  @Override
  public List<ApiTokenInfo> apiTokens(AccountId account) {
    return db.read("listing API tokens", c -> {
      List<ApiTokenInfo> tokens = new ArrayList<>();
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT id, name, created_at, expires_at FROM tokens WHERE account_id = ? AND kind = 'api' ORDER BY id")) {
        ps.setLong(1, account.value());
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            tokens.add(new ApiTokenInfo(rs.getLong(1), rs.getString(2), Database.instant(rs.getLong(3)),
                Database.instant(rs.getLong(4))));
          }
        }
      }
      return tokens;
    });
  }

  private static String prefixed(String alias) {
    StringBuilder sb = new StringBuilder();
    for (String column : AccountRow.COLUMNS.split(",\\s*")) {
      if (sb.length() > 0) {
        sb.append(", ");
      }
      sb.append(alias).append(column);
    }
    return sb.toString();
  }

  private static String requireAccount(Connection c, AccountId account) throws SQLException {
    return AccountRow.find(c, "id = ?", account.value(), "").map(r -> r.account().username())
        .orElseThrow(() -> new StoreException("not_found", "account " + account + " does not exist", "account"));
  }

  private static long insert(Connection c, String token, AccountId account, String kind, String name, Instant now,
      Instant expires) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "INSERT INTO tokens (token_hash, account_id, kind, name, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)"
            + " RETURNING id")) {
      ps.setString(1, Tokens.sha256Hex(token));
      ps.setLong(2, account.value());
      ps.setString(3, kind);
      ps.setString(4, name);
      ps.setLong(5, Database.micros(now));
      ps.setLong(6, Database.micros(expires));
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }
}
