package org.schoolgate.store.jdbc;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.schoolgate.store.Account;
import org.schoolgate.store.AccountId;
import org.schoolgate.store.Role;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An {@code accounts} row: the account plus what only the store sees (hash, failures in a row).
 * The {@code locked_until} column of schema version 1 is no longer read: the store does not lock
 * accounts (the admin API throttles per account and client address).
 */
record AccountRow(Account account, String passwordHash, int failedLogins) {
  private static final Logger LOG = LoggerFactory.getLogger(AccountRow.class);

  static final String COLUMNS =
      "id, username, display_name, roles, disabled, created_at, password_hash, failed_logins";

  static Optional<AccountRow> find(Connection c, String where, Object key, String lockSuffix) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT " + COLUMNS + " FROM accounts WHERE " + where + lockSuffix)) {
      if (key instanceof Long) {
        ps.setLong(1, (Long) key);
      } else {
        ps.setString(1, (String) key);
      }
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(read(rs)) : Optional.empty();
      }
    }
  }

  static List<AccountRow> all(Connection c) throws SQLException {
    List<AccountRow> rows = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM accounts ORDER BY username");
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        rows.add(read(rs));
      }
    }
    return rows;
  }

  static AccountRow read(ResultSet rs) throws SQLException {
    Account account = new Account(new AccountId(rs.getLong("id")), rs.getString("username"),
        rs.getString("display_name"), decodeRoles(rs.getString("roles")), rs.getBoolean("disabled"),
        Database.instant(rs.getLong("created_at")));
    return new AccountRow(account, rs.getString("password_hash"), rs.getInt("failed_logins"));
  }

  static String encodeRoles(Set<Role> roles) {
    return roles.isEmpty() ? "" : EnumSet.copyOf(roles).stream().map(Role::apiName).collect(Collectors.joining(","));
  }

  static Set<Role> decodeRoles(String text) {
    Set<Role> roles = EnumSet.noneOf(Role.class);
    if (text == null || text.isEmpty()) {
      return roles;
    }
    for (String name : text.split(",")) {
      Optional<Role> role = Role.parse(name);
      if (role.isPresent()) {
        roles.add(role.get());
      } else {
        LOG.warn("ignoring unknown role '{}' stored for an account", name);
      }
    }
    return roles;
  }

  /** The account as JSON for the audit trail (never the hash). */
  static String json(Account account) {
    ObjectNode node = Json.object();
    node.put("id", account.id().value());
    node.put("username", account.username());
    node.put("displayName", account.displayName());
    node.set("roles", Json.array(EnumSet.copyOf(rolesOrNone(account.roles())).stream().map(Role::apiName)
        .collect(Collectors.toList())));
    node.put("disabled", account.disabled());
    return Json.text(node);
  }

  private static Set<Role> rolesOrNone(Set<Role> roles) {
    return roles.isEmpty() ? EnumSet.noneOf(Role.class) : roles;
  }
}
