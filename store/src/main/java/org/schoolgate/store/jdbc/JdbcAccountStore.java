package org.schoolgate.store.jdbc;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.schoolgate.store.Account;
import org.schoolgate.store.AccountId;
import org.schoolgate.store.AccountStore;
import org.schoolgate.store.Actor;
import org.schoolgate.store.AuditEntry;
import org.schoolgate.store.AuditRecord;
import org.schoolgate.store.Role;
import org.schoolgate.store.StoreException;
import org.schoolgate.store.StoreUnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@link AccountStore} on the {@code accounts} table; Argon2id hashing happens outside transactions. */
final class JdbcAccountStore implements AccountStore {
  private static final Logger LOG = LoggerFactory.getLogger(JdbcAccountStore.class);

  private final Database db;
  private final AuditWriter audit;
  private final PasswordHasher hasher;
  private final LoginRecorder logins;

  JdbcAccountStore(Database db, AuditWriter audit, PasswordHasher hasher) {
    this.db = db;
    this.audit = audit;
    this.hasher = hasher;
    this.logins = new LoginRecorder(db, audit);
  }

  @Override
  public long count() {
    return db.read("counting accounts", c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM accounts");
          ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    });
  }

  @Override
  public Account create(String username, String displayName, char[] password, Set<Role> roles, Actor actor) {
    String name = AccountRules.requireUsername(username);
    String display = AccountRules.displayName(displayName, name);
    AccountRules.requirePassword(password);
    Objects.requireNonNull(roles, "roles");
    AccountRules.requireRoles(roles);
    Objects.requireNonNull(actor, "actor");
    String hash = hasher.hash(password);
    Instant now = db.now();
    try {
      Account account = db.write("creating account " + name, c -> {
        if (AccountRow.find(c, "username = ?", name, "").isPresent()) {
          throw taken(name);
        }
        long id;
        try (PreparedStatement ps = c.prepareStatement(
            "INSERT INTO accounts (username, display_name, roles, password_hash, disabled, failed_logins, created_at)"
                + " VALUES (?, ?, ?, ?, ?, 0, ?) RETURNING id")) {
          ps.setString(1, name);
          ps.setString(2, display);
          ps.setString(3, AccountRow.encodeRoles(roles));
          ps.setString(4, hash);
          ps.setBoolean(5, false);
          ps.setLong(6, Database.micros(now));
          try (ResultSet rs = ps.executeQuery()) {
            rs.next();
            id = rs.getLong(1);
          }
        }
        Account created = new Account(new AccountId(id), name, display, roles, false, now);
        audit.append(c, new AuditEntry("account.created", actor, target(name), "", null, AccountRow.json(created)),
            false);
        return created;
      });
      LOG.info("account {} created by {}", name, actor.name());
      return account;
    } catch (StoreUnavailableException e) {
      if (e.getCause() instanceof SQLException && Database.isUniqueViolation((SQLException) e.getCause())) {
        throw taken(name);
      }
      throw e;
    }
  }

  @Override
  public Optional<Account> byId(AccountId id) {
    return db.read("reading account " + id, c -> AccountRow.find(c, "id = ?", id.value(), ""))
        .map(AccountRow::account);
  }

  @Override
  public Optional<Account> byUsername(String username) {
    String name = AccountRules.normalise(username);
    if (name == null) {
      return Optional.empty();
    }
    return db.read("reading account " + name, c -> AccountRow.find(c, "username = ?", name, ""))
        .map(AccountRow::account);
  }

  @Override
  public List<Account> list() {
    return db.read("listing accounts", AccountRow::all).stream().map(AccountRow::account)
        .collect(Collectors.toList());
  }

  @Override
  public Account setRoles(AccountId id, Set<Role> roles, Actor actor, String reason) {
    Objects.requireNonNull(roles, "roles");
    AccountRules.requireRoles(roles);
    return db.write("changing roles of account " + id, c -> {
      Account before = lock(c, id);
      Account after = new Account(before.id(), before.username(), before.displayName(), roles, before.disabled(),
          before.createdAt(), before.directory());
      try (PreparedStatement ps = c.prepareStatement("UPDATE accounts SET roles = ? WHERE id = ?")) {
        ps.setString(1, AccountRow.encodeRoles(roles));
        ps.setLong(2, id.value());
        ps.executeUpdate();
      }
      audit.append(c, new AuditEntry("account.roles_changed", actor, target(before.username()), reason,
          AccountRow.json(before), AccountRow.json(after)), false);
      return after;
    });
  }

  @Override
  public Account setDisabled(AccountId id, boolean disabled, Actor actor, String reason) {
    return db.write((disabled ? "disabling" : "enabling") + " account " + id, c -> {
      Account before = lock(c, id);
      Account after = new Account(before.id(), before.username(), before.displayName(), before.roles(), disabled,
          before.createdAt(), before.directory());
      try (PreparedStatement ps = c.prepareStatement("UPDATE accounts SET disabled = ? WHERE id = ?")) {
        ps.setBoolean(1, disabled);
        ps.setLong(2, id.value());
        ps.executeUpdate();
      }
      if (disabled) {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM tokens WHERE account_id = ? AND kind = 'session'")) {
          ps.setLong(1, id.value());
          ps.executeUpdate();
        }
      }
      audit.append(c, new AuditEntry(disabled ? "account.disabled" : "account.enabled", actor,
          target(before.username()), reason, AccountRow.json(before), AccountRow.json(after)), false);
      return after;
    });
  }

  @Override
  public void setPassword(AccountId id, char[] password, Actor actor) {
    setPassword(id, password, actor, null);
  }

  @Override
  public void setPassword(AccountId id, char[] password, Actor actor, String keepSession) {
    AccountRules.requirePassword(password);
    Objects.requireNonNull(actor, "actor");
    String hash = hasher.hash(password);
    String kept = keepSession == null ? "" : Tokens.sha256Hex(keepSession);
    db.write("changing the password of account " + id, c -> {
      AccountRow row = AccountRow.find(c, "id = ?", id.value(), db.forUpdate())
          .orElseThrow(() -> new StoreException("not_found", "account " + id + " does not exist", "id"));
      if (row.account().directory()) {
        throw new StoreException("conflict", row.account().username() + " signs in with the school's directory and"
            + " has no Schoolgate password; its password is changed in the directory", "password");
      }
      try (PreparedStatement ps = c.prepareStatement(
          "UPDATE accounts SET password_hash = ?, failed_logins = 0, locked_until = NULL WHERE id = ?")) {
        ps.setString(1, hash);
        ps.setLong(2, id.value());
        ps.executeUpdate();
      }
      // whoever knew the old password is signed out everywhere (API tokens stay: revoke them by id)
      int ended;
      try (PreparedStatement ps = c.prepareStatement(
          "DELETE FROM tokens WHERE account_id = ? AND kind = 'session' AND token_hash <> ?")) {
        ps.setLong(1, id.value());
        ps.setString(2, kept);
        ended = ps.executeUpdate();
      }
      audit.append(c, new AuditEntry("account.password_changed", actor, target(row.account().username()),
          keepSession == null ? "" : "changed by the account itself; " + ended + " other session(s) ended", null,
          null), false);
      return null;
    });
  }

  @Override
  public boolean passwordMatches(AccountId id, char[] password) {
    Objects.requireNonNull(id, "id");
    char[] given = password == null ? new char[0] : password;
    Optional<AccountRow> found = db.read("reading account " + id, c -> AccountRow.find(c, "id = ?", id.value(), ""));
    if (found.isEmpty() || found.get().account().directory()) {
      hasher.verifyDummy(given); // the same time as a wrong password
      return false;
    }
    return hasher.verify(given, found.get().passwordHash());
  }

  @Override
  public List<String> taughtGroups(AccountId id) {
    Objects.requireNonNull(id, "id");
    return db.read("reading the groups of account " + id, c -> groups(c, id));
  }

  @Override
  public List<String> setTaughtGroups(AccountId id, Collection<String> groups, Actor actor, String reason) {
    Objects.requireNonNull(actor, "actor");
    SortedSet<String> names = new TreeSet<>();
    for (String g : Objects.requireNonNull(groups, "groups")) {
      names.add(AccountRules.requireGroup(g));
    }
    return db.write("changing the groups of account " + id, c -> {
      Account account = lock(c, id);
      List<String> before = groups(c, id);
      try (PreparedStatement ps = c.prepareStatement("DELETE FROM account_groups WHERE account_id = ?")) {
        ps.setLong(1, id.value());
        ps.executeUpdate();
      }
      try (PreparedStatement ps = c.prepareStatement(
          "INSERT INTO account_groups (account_id, group_name) VALUES (?, ?)")) {
        for (String name : names) {
          ps.setLong(1, id.value());
          ps.setString(2, name);
          ps.addBatch();
        }
        ps.executeBatch();
      }
      List<String> after = List.copyOf(names);
      if (!before.equals(after)) {
        audit.append(c, new AuditEntry("account.groups_changed", actor, target(account.username()),
            reason == null ? "" : reason, groupsJson(before), groupsJson(after)), false);
      }
      return after;
    });
  }

  @Override
  public List<AuditRecord> recentSignIns(AccountId id, int limit) {
    if (limit < 1 || limit > 200) {
      throw new StoreException("invalid", "limit " + limit + " is out of range (use 1-200)", "limit");
    }
    return db.read("reading the sign-ins of account " + id, c -> {
      String username = AccountRow.find(c, "id = ?", id.value(), "").map(r -> r.account().username())
          .orElseThrow(() -> new StoreException("not_found", "account " + id + " does not exist", "id"));
      try (PreparedStatement ps = c.prepareStatement("SELECT " + AuditWriter.COLUMNS + " FROM audit"
          + " WHERE actor = ? AND type IN ('login', 'login.failed', 'login.second_factor_failed',"
          + " 'login.recovery_code') ORDER BY seq DESC LIMIT " + limit)) {
        ps.setString(1, username);
        List<AuditRecord> records = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            records.add(AuditWriter.read(rs));
          }
        }
        return records;
      }
    });
  }

  private static List<String> groups(Connection c, AccountId id) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT group_name FROM account_groups WHERE account_id = ? ORDER BY group_name")) {
      ps.setLong(1, id.value());
      List<String> names = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          names.add(rs.getString(1));
        }
      }
      return names;
    }
  }

  private static String groupsJson(List<String> groups) {
    ObjectNode node = Json.object();
    node.set("groups", Json.array(groups));
    return Json.text(node);
  }

  @Override
  public LoginOutcome login(String username, char[] password, String address) {
    char[] given = password == null ? new char[0] : password;
    String name = AccountRules.normalise(username);
    Optional<AccountRow> found = name == null ? Optional.empty()
        : db.read("reading account for login", c -> AccountRow.find(c, "username = ?", name, ""));
    if (found.isEmpty()) {
      hasher.verifyDummy(given);
      return logins.unknown(AccountRules.attempted(username), address);
    }
    AccountRow row = found.get();
    if (row.account().directory()) {
      hasher.verifyDummy(given); // no local password: the same time as a wrong one
      return logins.record(row.account().id(), false, null, address);
    }
    boolean matches = hasher.verify(given, row.passwordHash());
    String rehash = matches && hasher.needsRehash(row.passwordHash()) ? hasher.hash(given) : null;
    return logins.record(row.account().id(), matches, rehash, address);
  }

  @Override
  public LoginOutcome directorySignIn(String username, String displayName, Set<Role> roles, String address) {
    String name = AccountRules.normalise(username);
    Objects.requireNonNull(roles, "roles");
    AccountRules.requireRoles(roles);
    if (name == null) {
      return logins.unknown(AccountRules.attempted(username), address);
    }
    Actor system = Actor.system("directory");
    Optional<Account> account = db.write("signing in " + name + " with directory credentials", c -> {
      Optional<AccountRow> row = AccountRow.find(c, "username = ?", name, db.forUpdate());
      if (row.isPresent() && !row.get().account().directory()) {
        return row.map(AccountRow::account); // a local account of that name: never taken over
      }
      if (row.isEmpty()) {
        if (roles.isEmpty()) {
          return Optional.<Account>empty();
        }
        return Optional.of(insertDirectory(c, name, AccountRules.displayName(displayName, name), roles, system));
      }
      Account before = row.get().account();
      if (before.roles().equals(roles)) {
        return Optional.of(before);
      }
      Account after = new Account(before.id(), before.username(), before.displayName(), roles, before.disabled(),
          before.createdAt(), true);
      try (PreparedStatement ps = c.prepareStatement("UPDATE accounts SET roles = ? WHERE id = ?")) {
        ps.setString(1, AccountRow.encodeRoles(roles));
        ps.setLong(2, before.id().value());
        ps.executeUpdate();
      }
      audit.append(c, new AuditEntry("account.roles_changed", system, target(name),
          "directory groups at sign-in", AccountRow.json(before), AccountRow.json(after)), false);
      return Optional.of(after);
    });
    if (account.isEmpty()) {
      return logins.unknown(name, address);
    }
    Account a = account.get();
    boolean usable = a.directory() && !a.roles().isEmpty();
    return logins.record(a.id(), usable, null, address);
  }

  @Override
  public LoginOutcome directoryRefused(String username, String address) {
    String name = AccountRules.normalise(username);
    Optional<AccountRow> found = name == null ? Optional.empty()
        : db.read("reading account for login", c -> AccountRow.find(c, "username = ?", name, ""));
    return found.isPresent() ? logins.record(found.get().account().id(), false, null, address)
        : logins.unknown(AccountRules.attempted(username), address);
  }

  private Account insertDirectory(Connection c, String name, String display, Set<Role> roles, Actor actor)
      throws SQLException {
    Instant now = db.now();
    long id;
    try (PreparedStatement ps = c.prepareStatement(
        "INSERT INTO accounts (username, display_name, roles, password_hash, disabled, failed_logins, created_at)"
            + " VALUES (?, ?, ?, ?, ?, 0, ?) RETURNING id")) {
      ps.setString(1, name);
      ps.setString(2, display);
      ps.setString(3, AccountRow.encodeRoles(roles));
      ps.setString(4, AccountRow.DIRECTORY_HASH);
      ps.setBoolean(5, false);
      ps.setLong(6, Database.micros(now));
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        id = rs.getLong(1);
      }
    }
    Account created = new Account(new AccountId(id), name, display, roles, false, now, true);
    audit.append(c, new AuditEntry("account.created", actor, target(name),
        "first sign-in with directory credentials; roles from directory groups", null, AccountRow.json(created)),
        false);
    LOG.info("account {} created at its first directory sign-in", name);
    return created;
  }

  private Account lock(Connection c, AccountId id) throws SQLException {
    return AccountRow.find(c, "id = ?", id.value(), db.forUpdate()).map(AccountRow::account)
        .orElseThrow(() -> new StoreException("not_found", "account " + id + " does not exist", "id"));
  }

  static String target(String username) {
    return "account:" + username;
  }

  private static StoreException taken(String name) {
    return new StoreException("username_taken", "username '" + name + "' is already taken; choose another",
        "username");
  }
}
