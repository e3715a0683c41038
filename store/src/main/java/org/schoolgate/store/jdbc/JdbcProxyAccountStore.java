package org.schoolgate.store.jdbc;

import com.fasterxml.jackson.databind.JsonNode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.schoolgate.store.Actor;
import org.schoolgate.store.AuditEntry;
import org.schoolgate.store.ProxyAccount;
import org.schoolgate.store.ProxyAccountStore;
import org.schoolgate.store.StoreException;
import org.schoolgate.store.StoreUnavailableException;

/** {@link ProxyAccountStore} on {@code proxy_accounts} (V7); Argon2id hashing happens outside transactions. */
final class JdbcProxyAccountStore implements ProxyAccountStore {
  private static final String COLUMNS = "username, password_hash, groups_json, created_at";

  private final Database db;
  private final AuditWriter audit;
  private final PasswordHasher hasher;

  JdbcProxyAccountStore(Database db, AuditWriter audit, PasswordHasher hasher) {
    this.db = db;
    this.audit = audit;
    this.hasher = hasher;
  }

  @Override
  public ProxyAccount create(String username, char[] password, List<String> groups, Actor actor) {
    String name = AccountRules.requireUsername(username);
    AccountRules.requirePassword(password);
    List<String> clean = groups(groups);
    Objects.requireNonNull(actor, "actor");
    String hash = hasher.hash(password);
    Instant now = db.now().truncatedTo(ChronoUnit.MICROS);
    ProxyAccount account = new ProxyAccount(name, clean, now);
    try {
      return db.write("creating proxy account " + name, c -> {
        if (find(c, name).isPresent()) {
          throw taken(name);
        }
        try (PreparedStatement ps = c.prepareStatement(
            "INSERT INTO proxy_accounts (" + COLUMNS + ") VALUES (?, ?, ?, ?)")) {
          ps.setString(1, name);
          ps.setString(2, hash);
          ps.setString(3, Json.text(Json.array(clean)));
          ps.setLong(4, Database.micros(now));
          ps.executeUpdate();
        }
        audit.append(c, new AuditEntry("proxy-account.created", actor, target(name), "", null, json(account)), false);
        return account;
      });
    } catch (StoreUnavailableException e) {
      if (e.getCause() instanceof SQLException sql && Database.isUniqueViolation(sql)) {
        throw taken(name);
      }
      throw e;
    }
  }

  @Override
  public boolean remove(String username, Actor actor) {
    String name = AccountRules.normalise(username);
    if (name == null) {
      return false;
    }
    return db.write("removing proxy account " + name, c -> {
      Optional<Row> before = find(c, name);
      if (before.isEmpty()) {
        return false;
      }
      try (PreparedStatement ps = c.prepareStatement("DELETE FROM proxy_accounts WHERE username = ?")) {
        ps.setString(1, name);
        ps.executeUpdate();
      }
      audit.append(c, new AuditEntry("proxy-account.removed", actor, target(name), "",
          json(before.get().account()), null), false);
      return true;
    });
  }

  @Override
  public Optional<ProxyAccount> byUsername(String username) {
    String name = AccountRules.normalise(username);
    if (name == null) {
      return Optional.empty();
    }
    return db.read("reading proxy account " + name, c -> find(c, name)).map(Row::account);
  }

  @Override
  public List<ProxyAccount> list() {
    return db.read("listing proxy accounts", c -> {
      List<ProxyAccount> out = new ArrayList<>();
      try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM proxy_accounts ORDER BY username");
          ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(read(rs).account());
        }
      }
      return out;
    });
  }

  @Override
  public Check check(String username, char[] password) {
    char[] given = password == null ? new char[0] : password;
    String name = AccountRules.normalise(username);
    Optional<Row> found = name == null || given.length > AccountRules.MAX_PASSWORD ? Optional.empty()
        : db.read("reading proxy account for sign-in", c -> find(c, name));
    if (found.isEmpty()) {
      hasher.verifyDummy(given);
      return new Check.NoSuchAccount();
    }
    return hasher.verify(given, found.get().hash()) ? new Check.Found(found.get().account())
        : new Check.WrongPassword();
  }

  /** The groups as given, without blanks or repeats; refuses too many or too long ones. */
  private static List<String> groups(List<String> groups) {
    Objects.requireNonNull(groups, "groups");
    LinkedHashSet<String> out = new LinkedHashSet<>();
    for (String g : groups) {
      String s = g == null ? "" : g.strip();
      if (s.isEmpty() || s.length() > MAX_GROUP_LENGTH) {
        throw new StoreException("invalid", "each group must be 1-" + MAX_GROUP_LENGTH
            + " characters (e.g. Year9 or Staff, as the policy's identification.directory-groups names it)", "groups");
      }
      out.add(s);
    }
    if (out.size() > MAX_GROUPS) {
      throw new StoreException("invalid", "at most " + MAX_GROUPS + " groups per account", "groups");
    }
    return List.copyOf(out);
  }

  private static Optional<Row> find(Connection c, String name) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM proxy_accounts WHERE username = ?")) {
      ps.setString(1, name);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(read(rs)) : Optional.empty();
      }
    }
  }

  private static Row read(ResultSet rs) throws SQLException {
    List<String> groups = new ArrayList<>();
    for (JsonNode g : Json.parse(rs.getString("groups_json"))) {
      groups.add(g.asText());
    }
    return new Row(new ProxyAccount(rs.getString("username"), groups, Database.instant(rs.getLong("created_at"))),
        rs.getString("password_hash"));
  }

  private static String json(ProxyAccount a) {
    var o = Json.object();
    o.put("username", a.username());
    o.set("groups", Json.array(a.groups()));
    return Json.text(o);
  }

  private static String target(String username) {
    return "proxy-account:" + username;
  }

  private static StoreException taken(String name) {
    return new StoreException("username_taken", "proxy account '" + name + "' already exists; choose another name"
        + " or remove it first", "username");
  }

  /** A row: the account and its hash (which never leaves this class). */
  private record Row(ProxyAccount account, String hash) {}
}
