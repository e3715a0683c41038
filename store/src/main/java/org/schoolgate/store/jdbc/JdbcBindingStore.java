package org.schoolgate.store.jdbc;

import com.fasterxml.jackson.databind.JsonNode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.schoolgate.store.BindingStore;

/**
 * {@link BindingStore} on {@code address_bindings} and {@code binding_head} (V6). A write locks the
 * head row (UPDATE, so both vendors serialise writers) for its version and upserts every change
 * with {@code ON CONFLICT ... WHERE excluded.made_at >= made_at}; reads run on one snapshot.
 */
final class JdbcBindingStore implements BindingStore {
  private static final String COLUMNS = "address, username, groups_json, method, source, made_at, ends_at, ended";
  private static final String UPSERT = "INSERT INTO address_bindings (" + COLUMNS + ", version)"
      + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (address) DO UPDATE SET username = excluded.username,"
      + " groups_json = excluded.groups_json, method = excluded.method, source = excluded.source,"
      + " made_at = excluded.made_at, ends_at = excluded.ends_at, ended = excluded.ended, version = excluded.version"
      + " WHERE excluded.made_at >= address_bindings.made_at";

  private final Database db;

  JdbcBindingStore(Database db) {
    this.db = db;
  }

  @Override
  public void write(List<StoredBinding> changes) {
    if (changes.isEmpty()) {
      return;
    }
    db.write("writing " + changes.size() + " address binding(s)", c -> {
      long version = nextVersion(c);
      try (PreparedStatement ps = c.prepareStatement(UPSERT)) {
        for (StoredBinding b : changes) {
          ps.setString(1, b.address());
          ps.setString(2, b.user());
          ps.setString(3, Json.text(Json.array(new TreeSet<>(b.groups()))));
          ps.setString(4, b.method());
          ps.setString(5, b.source());
          ps.setLong(6, Database.micros(b.madeAt().truncatedTo(ChronoUnit.MICROS)));
          ps.setLong(7, Database.micros(b.until().truncatedTo(ChronoUnit.MICROS)));
          ps.setBoolean(8, b.ended());
          ps.setLong(9, version);
          ps.addBatch();
        }
        ps.executeBatch();
      }
      return null;
    });
  }

  @Override
  public Page active(Instant now) {
    return db.snapshot("reading the address bindings in force", c -> {
      long version = head(c);
      return new Page(select(c, "ended = ? AND ends_at > ?", false, Database.micros(now), version), version);
    });
  }

  @Override
  public Page changedSince(long since) {
    return db.snapshot("reading changed address bindings", c -> {
      long version = head(c);
      return new Page(select(c, "version > ? AND version <= ?", null, since, version), version);
    });
  }

  @Override
  public long version() {
    return db.read("reading the address-binding version", JdbcBindingStore::head);
  }

  @Override
  public int purge(Instant before) {
    return db.write("purging old address bindings", c -> {
      try (PreparedStatement ps = c.prepareStatement("DELETE FROM address_bindings WHERE ends_at < ?")) {
        ps.setLong(1, Database.micros(before));
        return ps.executeUpdate();
      }
    });
  }

  private static long nextVersion(Connection c) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("UPDATE binding_head SET version = version + 1 WHERE id = 1")) {
      ps.executeUpdate();
    }
    return head(c);
  }

  private static long head(Connection c) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT version FROM binding_head WHERE id = 1");
        ResultSet rs = ps.executeQuery()) {
      return rs.next() ? rs.getLong(1) : 0L;
    }
  }

  /** Rows matching {@code where}: its first parameter a boolean (or null: a long), then two longs. */
  private static List<StoredBinding> select(Connection c, String where, Boolean flag, long a, long b)
      throws SQLException {
    List<StoredBinding> out = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM address_bindings WHERE " + where
        + (flag == null ? "" : " AND version <= ?") + " ORDER BY version, address")) {
      int i = 1;
      if (flag != null) {
        ps.setBoolean(i++, flag);
      }
      ps.setLong(i++, a);
      ps.setLong(i, b);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(read(rs));
        }
      }
    }
    return out;
  }

  private static StoredBinding read(ResultSet rs) throws SQLException {
    Set<String> groups = new TreeSet<>();
    for (JsonNode g : Json.parse(rs.getString("groups_json"))) {
      groups.add(g.asText());
    }
    return new StoredBinding(rs.getString("address"), rs.getString("username"), groups, rs.getString("method"),
        rs.getString("source"), Database.instant(rs.getLong("made_at")), Database.instant(rs.getLong("ends_at")),
        rs.getBoolean("ended"));
  }
}
