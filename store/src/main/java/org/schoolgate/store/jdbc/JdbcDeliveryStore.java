package org.schoolgate.store.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.schoolgate.store.Alert;
import org.schoolgate.store.AlertId;
import org.schoolgate.store.Delivery;
import org.schoolgate.store.DeliveryId;
import org.schoolgate.store.DeliveryStore;
import org.schoolgate.store.PlannedDelivery;
import org.schoolgate.store.StoreException;

/**
 * {@link DeliveryStore} on {@code alert_deliveries} and the alerts' {@code delivery_planned_at}
 * marker. Delivery bookkeeping is not audited (the alert itself is); errors are cut to 1000
 * characters.
 */
final class JdbcDeliveryStore implements DeliveryStore {
  private static final String COLUMNS = "id, alert_id, channel, recipient, state, attempts, created_at,"
      + " next_attempt_at, last_error, sent_at";
  private static final int MAX_ERROR = 1000;
  private static final int MAX_NOTE = 300;
  private static final String INCIDENT_LINK = "incident:";

  private final Database db;

  JdbcDeliveryStore(Database db) {
    this.db = db;
  }

  @Override
  public List<Alert> unplanned(int limit) {
    checkLimit(limit);
    return db.read("listing alerts to plan", c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT " + AlertRows.COLUMNS
          + " FROM alerts WHERE delivery_planned_at IS NULL ORDER BY id LIMIT " + limit)) {
        return AlertRows.readAll(ps);
      }
    });
  }

  @Override
  public boolean plan(AlertId alert, List<PlannedDelivery> deliveries, String note) {
    Objects.requireNonNull(alert, "alert");
    Objects.requireNonNull(deliveries, "deliveries");
    String shortNote = note == null ? null : cut(note, MAX_NOTE);
    return db.write("planning deliveries of alert " + alert, c -> {
      Instant now = db.now();
      try (PreparedStatement ps = c.prepareStatement("UPDATE alerts SET delivery_planned_at = ?, delivery_note = ?"
          + " WHERE id = ? AND delivery_planned_at IS NULL")) {
        ps.setLong(1, Database.micros(now));
        if (shortNote == null) {
          ps.setNull(2, Types.VARCHAR);
        } else {
          ps.setString(2, shortNote);
        }
        ps.setLong(3, alert.value());
        if (ps.executeUpdate() != 1) {
          return false;
        }
      }
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO alert_deliveries (alert_id, channel, recipient,"
          + " state, attempts, created_at, next_attempt_at, last_error) VALUES (?, ?, ?, ?, 0, ?, ?, ?)"
          + " ON CONFLICT (alert_id, channel, recipient) DO NOTHING")) {
        for (PlannedDelivery d : deliveries) {
          ps.setLong(1, alert.value());
          ps.setString(2, d.channel().apiName());
          ps.setString(3, d.recipient());
          ps.setString(4, d.state().apiName());
          ps.setLong(5, Database.micros(now));
          ps.setLong(6, Database.micros(now));
          if (d.reason() == null) {
            ps.setNull(7, Types.VARCHAR);
          } else {
            ps.setString(7, cut(d.reason(), MAX_ERROR));
          }
          ps.executeUpdate();
        }
      }
      return true;
    });
  }

  @Override
  public Optional<Delivery> lastMessage(String who, String kind, Delivery.Channel channel, String recipient,
      Instant since) {
    Objects.requireNonNull(since, "since");
    return db.read("finding the last message to " + recipient, c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT " + qualified("d") + " FROM alert_deliveries d"
          + " JOIN alerts a ON a.id = d.alert_id WHERE d.channel = ? AND d.recipient = ?"
          + " AND d.state IN ('pending', 'sent') AND a.who = ? AND a.kind = ? AND a.raised_at > ?"
          + " ORDER BY a.raised_at DESC, a.id DESC LIMIT 1")) {
        ps.setString(1, channel.apiName());
        ps.setString(2, recipient);
        ps.setString(3, who);
        ps.setString(4, kind);
        ps.setLong(5, Database.micros(since));
        List<Delivery> found = readAll(ps);
        return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
      }
    });
  }

  @Override
  public List<Delivery> claimDue(Instant now, Duration lease, int limit) {
    Objects.requireNonNull(now, "now");
    if (lease == null || lease.isNegative() || lease.isZero()) {
      throw new IllegalArgumentException("claim lease " + lease + " must be positive (e.g. PT1M)");
    }
    checkLimit(limit);
    return db.write("claiming due alert deliveries", c -> {
      List<Delivery> due;
      try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM alert_deliveries"
          + " WHERE state = 'pending' AND next_attempt_at <= ? ORDER BY next_attempt_at, id LIMIT " + limit
          + (db.postgres() ? " FOR UPDATE SKIP LOCKED" : ""))) {
        ps.setLong(1, Database.micros(now));
        due = readAll(ps);
      }
      Instant until = now.plus(lease);
      List<Delivery> claimed = new ArrayList<>(due.size());
      try (PreparedStatement ps = c.prepareStatement("UPDATE alert_deliveries SET attempts = attempts + 1,"
          + " next_attempt_at = ? WHERE id = ? AND state = 'pending'")) {
        for (Delivery d : due) {
          ps.setLong(1, Database.micros(until));
          ps.setLong(2, d.id().value());
          if (ps.executeUpdate() == 1) {
            claimed.add(new Delivery(d.id(), d.alertId(), d.channel(), d.recipient(), d.state(), d.attempts() + 1,
                d.createdAt(), until, d.lastError(), d.sentAt()));
          }
        }
      }
      return claimed;
    });
  }

  @Override
  public boolean markSent(DeliveryId id, Instant at) {
    Objects.requireNonNull(at, "at");
    return update(id, "marking delivery " + id + " sent",
        "UPDATE alert_deliveries SET state = 'sent', sent_at = ?, last_error = NULL WHERE id = ? AND state = 'pending'",
        ps -> ps.setLong(1, Database.micros(at)));
  }

  @Override
  public boolean markRetry(DeliveryId id, Instant next, String error) {
    Objects.requireNonNull(next, "next");
    return update(id, "rescheduling delivery " + id,
        "UPDATE alert_deliveries SET next_attempt_at = ?, last_error = ? WHERE id = ? AND state = 'pending'", ps -> {
          ps.setLong(1, Database.micros(next));
          ps.setString(2, cut(Objects.requireNonNullElse(error, "unknown error"), MAX_ERROR));
        });
  }

  @Override
  public boolean markSuppressed(DeliveryId id, String reason) {
    return finish(id, "suppressed", reason);
  }

  @Override
  public boolean markFailed(DeliveryId id, String error) {
    return finish(id, "failed", error);
  }

  private boolean finish(DeliveryId id, String state, String why) {
    if (why == null || why.isBlank()) {
      throw new IllegalArgumentException("marking delivery " + id + " " + state + " needs a reason");
    }
    return update(id, "marking delivery " + id + " " + state,
        "UPDATE alert_deliveries SET state = '" + state + "', last_error = ? WHERE id = ? AND state = 'pending'",
        ps -> ps.setString(1, cut(why, MAX_ERROR)));
  }

  @Override
  public List<Delivery> forAlert(AlertId alert) {
    Objects.requireNonNull(alert, "alert");
    return db.read("reading deliveries of alert " + alert, c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM alert_deliveries WHERE alert_id = ?"
          + " ORDER BY id")) {
        ps.setLong(1, alert.value());
        return readAll(ps);
      }
    });
  }

  @Override
  public Optional<String> planNote(AlertId alert) {
    Objects.requireNonNull(alert, "alert");
    return db.read("reading the delivery note of alert " + alert, c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT delivery_note FROM alerts WHERE id = ?")) {
        ps.setLong(1, alert.value());
        try (ResultSet rs = ps.executeQuery()) {
          return rs.next() ? Optional.ofNullable(rs.getString(1)) : Optional.empty();
        }
      }
    });
  }

  @Override
  public Optional<String> closedIncident(AlertId alert) {
    Objects.requireNonNull(alert, "alert");
    return db.read("checking the incident of alert " + alert, c -> {
      String link;
      try (PreparedStatement ps = c.prepareStatement("SELECT link FROM alerts WHERE id = ?")) {
        ps.setLong(1, alert.value());
        try (ResultSet rs = ps.executeQuery()) {
          link = rs.next() ? rs.getString(1) : null;
        }
      }
      if (link == null || !link.startsWith(INCIDENT_LINK)) {
        return Optional.<String>empty();
      }
      long incident;
      try {
        incident = Long.parseLong(link.substring(INCIDENT_LINK.length()));
      } catch (NumberFormatException e) {
        return Optional.<String>empty();
      }
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT closed_by, closed_at FROM incidents WHERE id = ? AND state = 'closed'")) {
        ps.setLong(1, incident);
        try (ResultSet rs = ps.executeQuery()) {
          return rs.next() ? Optional.of("incident " + incident + " was closed by " + rs.getString(1) + " at "
              + Database.instant(rs.getLong(2)) + ": not sent") : Optional.<String>empty();
        }
      }
    });
  }

  @Override
  public Optional<Instant> oldestPending() {
    return db.read("finding the oldest pending delivery", c -> {
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT MIN(created_at) FROM alert_deliveries WHERE state = 'pending'");
          ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.ofNullable(Database.instantOrNull(rs, 1)) : Optional.empty();
      }
    });
  }

  /** Sets parameters of an update; the delivery id is always the last one. */
  @FunctionalInterface
  private interface Binder {
    void bind(PreparedStatement ps) throws SQLException;
  }

  private boolean update(DeliveryId id, String what, String sql, Binder binder) {
    Objects.requireNonNull(id, "id");
    return db.write(what, c -> {
      try (PreparedStatement ps = c.prepareStatement(sql)) {
        binder.bind(ps);
        ps.setLong((int) sql.chars().filter(ch -> ch == '?').count(), id.value());
        return ps.executeUpdate() == 1;
      }
    });
  }

  private static void checkLimit(int limit) {
    if (limit < 1 || limit > 1000) {
      throw new StoreException("invalid", "limit " + limit + " is out of range (use 1-1000)", "limit");
    }
  }

  private static String qualified(String alias) {
    return alias + "." + COLUMNS.replace(", ", ", " + alias + ".");
  }

  private static String cut(String text, int max) {
    return text.length() <= max ? text : text.substring(0, max - 1) + "…";
  }

  private static List<Delivery> readAll(PreparedStatement ps) throws SQLException {
    List<Delivery> all = new ArrayList<>();
    try (ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        all.add(read(rs));
      }
    }
    return all;
  }

  private static Delivery read(ResultSet rs) throws SQLException {
    long id = rs.getLong(1);
    String channel = rs.getString(3);
    String state = rs.getString(5);
    return new Delivery(new DeliveryId(id), new AlertId(rs.getLong(2)),
        Delivery.Channel.parse(channel).orElseThrow(() -> new SQLException("delivery " + id
            + " has an unknown channel '" + channel + "'")),
        rs.getString(4),
        Delivery.State.parse(state).orElseThrow(() -> new SQLException("delivery " + id
            + " has an unknown state '" + state + "'")),
        rs.getInt(6), Database.instant(rs.getLong(7)), Database.instant(rs.getLong(8)), rs.getString(9),
        Database.instantOrNull(rs, 10));
  }
}
