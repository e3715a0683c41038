package org.schoolgate.store.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.schoolgate.store.AccountId;
import org.schoolgate.store.Notification;
import org.schoolgate.store.NotificationId;
import org.schoolgate.store.Role;

/**
 * Writes notifications inside the transaction of whatever causes them, and reads them back. An
 * account with an email address gets its copy queued ({@code pending}, due at once).
 */
final class NotificationRows {
  static final String COLUMNS = "id, account_id, kind, subject, body, link, created_at, read_at, email_state";
  private static final int MAX_SUBJECT = 300;

  /** What to tell people: the same text for each recipient. */
  record Message(String kind, String subject, String body, String link) {
    Message {
      subject = subject.length() > MAX_SUBJECT ? subject.substring(0, MAX_SUBJECT - 1) + "…" : subject;
    }
  }

  private final Database db;

  NotificationRows(Database db) {
    this.db = db;
  }

  /**
   * Notifies every enabled account holding one of {@code roles} but {@code except} (may be null);
   * when nobody holds them, every enabled account holding one of {@code fallback}. Returns how
   * many were notified.
   */
  int toRoles(Connection c, Set<Role> roles, Set<Role> fallback, AccountId except, Message message)
      throws SQLException {
    List<Recipient> all = enabledAccounts(c);
    List<Recipient> chosen = holding(all, roles, except);
    if (chosen.isEmpty() && !fallback.isEmpty()) {
      chosen = holding(all, fallback, except);
    }
    for (Recipient r : chosen) {
      insert(c, r, message);
    }
    return chosen.size();
  }

  /** Notifies one account (if it still exists and is enabled). */
  void toAccount(Connection c, AccountId account, Message message) throws SQLException {
    for (Recipient r : enabledAccounts(c)) {
      if (r.id().equals(account)) {
        insert(c, r, message);
        return;
      }
    }
  }

  private static List<Recipient> holding(List<Recipient> all, Set<Role> roles, AccountId except) {
    List<Recipient> out = new ArrayList<>();
    for (Recipient r : all) {
      if (!r.id().equals(except) && r.roles().stream().anyMatch(roles::contains)) {
        out.add(r);
      }
    }
    return out;
  }

  private void insert(Connection c, Recipient r, Message m) throws SQLException {
    Instant now = db.now();
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO notifications (account_id, kind, subject, body,"
        + " link, created_at, email_to, email_state, email_next_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
      ps.setLong(1, r.id().value());
      ps.setString(2, m.kind());
      ps.setString(3, m.subject());
      ps.setString(4, m.body());
      ps.setString(5, m.link());
      ps.setLong(6, Database.micros(now));
      ps.setString(7, r.email());
      Notification.EmailState state = r.email() == null ? Notification.EmailState.NONE : Notification.EmailState.PENDING;
      ps.setString(8, state.apiName());
      Database.setInstantOrNull(ps, 9, r.email() == null ? null : now);
      ps.executeUpdate();
    }
  }

  private static List<Recipient> enabledAccounts(Connection c) throws SQLException {
    List<Recipient> out = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT id, roles, email FROM accounts WHERE disabled = ? ORDER BY id")) {
      ps.setBoolean(1, false);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(new Recipient(new AccountId(rs.getLong(1)), AccountRow.decodeRoles(rs.getString(2)),
              rs.getString(3)));
        }
      }
    }
    return out;
  }

  static Notification read(ResultSet rs) throws SQLException {
    return new Notification(new NotificationId(rs.getLong("id")), new AccountId(rs.getLong("account_id")),
        rs.getString("kind"), rs.getString("subject"), rs.getString("body"), rs.getString("link"),
        Database.instant(rs.getLong("created_at")), Database.instantOrNull(rs, "read_at"),
        Notification.EmailState.parse(rs.getString("email_state")).orElseThrow());
  }

  private record Recipient(AccountId id, Set<Role> roles, String email) {
    Recipient {
      roles = roles.isEmpty() ? Set.of() : EnumSet.copyOf(roles);
    }
  }
}
