package org.schoolgate.store.jdbc;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import org.schoolgate.store.AccountId;
import org.schoolgate.store.Actor;
import org.schoolgate.store.AuditEntry;
import org.schoolgate.store.Notification;
import org.schoolgate.store.NotificationEmail;
import org.schoolgate.store.NotificationId;
import org.schoolgate.store.NotificationStore;
import org.schoolgate.store.StoreException;

/** {@link NotificationStore} on the {@code notifications} table and {@code accounts.email}. */
final class JdbcNotificationStore implements NotificationStore {
  private static final Pattern EMAIL = Pattern.compile("[^@\\s<>,;\"]+@[^@\\s<>,;\"]+\\.[^@\\s<>,;\"]+");
  private static final String PENDING = Notification.EmailState.PENDING.apiName();

  private final Database db;
  private final AuditWriter audit;

  JdbcNotificationStore(Database db, AuditWriter audit) {
    this.db = db;
    this.audit = audit;
  }

  @Override
  public List<Notification> list(AccountId account, boolean unreadOnly, int limit) {
    Objects.requireNonNull(account, "account");
    limit(limit);
    String sql = "SELECT " + NotificationRows.COLUMNS + " FROM notifications WHERE account_id = ?"
        + (unreadOnly ? " AND read_at IS NULL" : "") + " ORDER BY id DESC LIMIT " + limit;
    return db.read("listing notifications", c -> {
      try (PreparedStatement ps = c.prepareStatement(sql)) {
        ps.setLong(1, account.value());
        List<Notification> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            out.add(NotificationRows.read(rs));
          }
        }
        return out;
      }
    });
  }

  @Override
  public long unreadCount(AccountId account) {
    return db.read("counting unread notifications", c -> {
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT COUNT(*) FROM notifications WHERE account_id = ? AND read_at IS NULL")) {
        ps.setLong(1, account.value());
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          return rs.getLong(1);
        }
      }
    });
  }

  @Override
  public Notification markRead(NotificationId id, AccountId account) {
    return db.write("marking notification " + id + " read", c -> {
      try (PreparedStatement ps = c.prepareStatement(
          "UPDATE notifications SET read_at = ? WHERE id = ? AND account_id = ? AND read_at IS NULL")) {
        ps.setLong(1, Database.micros(db.now()));
        ps.setLong(2, id.value());
        ps.setLong(3, account.value());
        ps.executeUpdate();
      }
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT " + NotificationRows.COLUMNS + " FROM notifications WHERE id = ? AND account_id = ?")) {
        ps.setLong(1, id.value());
        ps.setLong(2, account.value());
        try (ResultSet rs = ps.executeQuery()) {
          if (!rs.next()) {
            throw new StoreException("not_found", "notification " + id + " does not exist or is not yours", "id");
          }
          return NotificationRows.read(rs);
        }
      }
    });
  }

  @Override
  public int markAllRead(AccountId account) {
    return db.write("marking notifications read", c -> {
      try (PreparedStatement ps = c.prepareStatement(
          "UPDATE notifications SET read_at = ? WHERE account_id = ? AND read_at IS NULL")) {
        ps.setLong(1, Database.micros(db.now()));
        ps.setLong(2, account.value());
        return ps.executeUpdate();
      }
    });
  }

  @Override
  public Optional<String> email(AccountId account) {
    return db.read("reading an email address", c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT email FROM accounts WHERE id = ?")) {
        ps.setLong(1, account.value());
        try (ResultSet rs = ps.executeQuery()) {
          if (!rs.next()) {
            throw new StoreException("not_found", "account " + account + " does not exist", "id");
          }
          return Optional.ofNullable(rs.getString(1));
        }
      }
    });
  }

  @Override
  public void setEmail(AccountId account, String email, Actor actor) {
    Objects.requireNonNull(actor, "actor");
    String address = email == null || email.isBlank() ? null : email.strip();
    if (address != null && (address.length() > 254 || !EMAIL.matcher(address).matches())) {
      throw new StoreException("invalid", "'" + email + "' is not an email address (expected e.g."
          + " j.smith@school.example, or null to remove it)", "email");
    }
    db.write("setting the email address of account " + account, c -> {
      String before;
      String username;
      try (PreparedStatement ps = c.prepareStatement("SELECT email, username FROM accounts WHERE id = ?"
          + db.forUpdate())) {
        ps.setLong(1, account.value());
        try (ResultSet rs = ps.executeQuery()) {
          if (!rs.next()) {
            throw new StoreException("not_found", "account " + account + " does not exist", "id");
          }
          before = rs.getString(1);
          username = rs.getString(2);
        }
      }
      try (PreparedStatement ps = c.prepareStatement("UPDATE accounts SET email = ? WHERE id = ?")) {
        ps.setString(1, address);
        ps.setLong(2, account.value());
        ps.executeUpdate();
      }
      audit.append(c, new AuditEntry("account.email_changed", actor, "account:" + username, "",
          emailJson(before), emailJson(address)), false);
      return null;
    });
  }

  @Override
  public List<NotificationEmail> claimDueEmails(Instant now, Duration lease, int limit) {
    limit(limit);
    return db.write("claiming notification emails", c -> {
      List<NotificationEmail> due = new ArrayList<>();
      try (PreparedStatement ps = c.prepareStatement("SELECT id, email_to, kind, subject, body, link,"
          + " email_attempts, created_at, email_error FROM notifications WHERE email_state = ? AND email_next_at <= ?"
          + " ORDER BY email_next_at, id LIMIT " + limit + db.forUpdate())) {
        ps.setString(1, PENDING);
        ps.setLong(2, Database.micros(now));
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            due.add(new NotificationEmail(new NotificationId(rs.getLong(1)), rs.getString(2), rs.getString(3),
                rs.getString(4), rs.getString(5), rs.getString(6), rs.getInt(7) + 1,
                Database.instant(rs.getLong(8)), rs.getString(9)));
          }
        }
      }
      try (PreparedStatement ps = c.prepareStatement("UPDATE notifications SET email_attempts = email_attempts + 1,"
          + " email_next_at = ? WHERE id = ?")) {
        for (NotificationEmail e : due) {
          ps.setLong(1, Database.micros(now.plus(lease)));
          ps.setLong(2, e.id().value());
          ps.addBatch();
        }
        if (!due.isEmpty()) {
          ps.executeBatch();
        }
      }
      return due;
    });
  }

  @Override
  public boolean emailSent(NotificationId id, Instant at) {
    return change(id, "email_state = 'sent', email_sent_at = ?, email_next_at = NULL", at, null);
  }

  @Override
  public boolean emailRetry(NotificationId id, Instant next, String error) {
    return change(id, "email_next_at = ?, email_error = ?", next, error == null ? "" : error);
  }

  @Override
  public boolean emailFailed(NotificationId id, String error) {
    return change(id, "email_state = 'failed', email_next_at = NULL, email_error = ?", null, error == null ? "" : error);
  }

  private boolean change(NotificationId id, String set, Instant at, String text) {
    return db.write("recording notification email " + id, c -> {
      try (PreparedStatement ps = c.prepareStatement(
          "UPDATE notifications SET " + set + " WHERE id = ? AND email_state = ?")) {
        int i = 1;
        if (at != null) {
          ps.setLong(i++, Database.micros(at));
        }
        if (text != null) {
          ps.setString(i++, text);
        }
        ps.setLong(i++, id.value());
        ps.setString(i, PENDING);
        return ps.executeUpdate() == 1;
      }
    });
  }

  @Override
  public Optional<Instant> oldestPendingEmail() {
    return db.read("reading the oldest pending notification email", c -> {
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT MIN(created_at) FROM notifications WHERE email_state = ?")) {
        ps.setString(1, PENDING);
        try (ResultSet rs = ps.executeQuery()) {
          return rs.next() ? Optional.ofNullable(Database.instantOrNull(rs, 1)) : Optional.<Instant>empty();
        }
      }
    });
  }

  private static String emailJson(String email) {
    return email == null ? null : Json.text(Json.object().put("email", email));
  }

  private static void limit(int limit) {
    if (limit < 1 || limit > 1000) {
      throw new StoreException("invalid", "limit " + limit + " is out of range (use 1-1000)", "limit");
    }
  }
}
