package org.schoolgate.store.jdbc;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.schoolgate.store.AlertTally;

/**
 * {@link AlertTally} in {@code alert_tally} and {@code alert_windows} (V22). Adds are one batched
 * upsert per call; a claim is one conditional upsert (the row's lock orders two nodes claiming at
 * once: the second finds the first's window).
 */
final class JdbcAlertTally implements AlertTally {
  private final Database db;
  private final String node;

  JdbcAlertTally(Database db) {
    this.db = db;
    this.node = db.node() == null || db.node().isBlank() ? "node" : db.node();
  }

  @Override
  public void add(Collection<Count> counts) {
    if (counts.isEmpty()) {
      return;
    }
    db.write("adding " + counts.size() + " alert tally count(s)", c -> {
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO alert_tally (counter, bucket, node, n) "
          + "VALUES (?, ?, ?, ?) ON CONFLICT (counter, bucket, node) DO UPDATE SET n = alert_tally.n + EXCLUDED.n")) {
        for (Count count : counts) {
          ps.setString(1, count.counter());
          ps.setLong(2, Database.micros(count.bucket()));
          ps.setString(3, node);
          ps.setInt(4, count.n());
          ps.addBatch();
        }
        ps.executeBatch();
      }
      return null;
    });
  }

  @Override
  public List<Count> others(Instant since) {
    return db.read("reading other nodes' alert tallies", c -> {
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT counter, bucket, node, n FROM alert_tally WHERE bucket >= ? AND node <> ?")) {
        ps.setLong(1, Database.micros(since));
        ps.setString(2, node);
        List<Count> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            out.add(new Count(rs.getString(1), Database.instant(rs.getLong(2)), rs.getString(3), rs.getInt(4)));
          }
        }
        return out;
      }
    });
  }

  @Override
  public Claim claim(String counter, Instant at, Instant quietUntil) {
    return db.write("claiming an alert window", c -> {
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO alert_windows (counter, quiet_until, node) "
          + "VALUES (?, ?, ?) ON CONFLICT (counter) DO UPDATE SET quiet_until = EXCLUDED.quiet_until, "
          + "node = EXCLUDED.node WHERE alert_windows.quiet_until <= ?")) {
        ps.setString(1, counter);
        ps.setLong(2, Database.micros(quietUntil));
        ps.setString(3, node);
        ps.setLong(4, Database.micros(at));
        if (ps.executeUpdate() == 1) {
          return new Won(quietUntil);
        }
      }
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT quiet_until, node FROM alert_windows WHERE counter = ?")) {
        ps.setString(1, counter);
        try (ResultSet rs = ps.executeQuery()) {
          if (!rs.next()) {
            throw new java.sql.SQLException("alert window for a counter neither written nor found");
          }
          return new Held(Database.instant(rs.getLong(1)), rs.getString(2));
        }
      }
    });
  }

  @Override
  public int forget(Instant before) {
    return db.write("forgetting old alert tallies", c -> {
      int removed;
      try (PreparedStatement ps = c.prepareStatement("DELETE FROM alert_tally WHERE node = ? AND bucket < ?")) {
        ps.setString(1, node);
        ps.setLong(2, Database.micros(before));
        removed = ps.executeUpdate();
      }
      try (PreparedStatement ps = c.prepareStatement("DELETE FROM alert_windows WHERE quiet_until < ?")) {
        ps.setLong(1, Database.micros(before));
        removed += ps.executeUpdate();
      }
      return removed;
    });
  }
}
