package org.schoolgate.store.jdbc;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.UnaryOperator;
import org.schoolgate.store.AuditEntry;
import org.schoolgate.store.AuditRecord;
import org.schoolgate.store.AuditTrail;
import org.schoolgate.store.StoreException;

/** {@link AuditTrail} on the {@code audit} table. */
final class JdbcAuditTrail implements AuditTrail {
  private static final List<String> CSV_HEADER = List.of(
      "seq", "at", "type", "actor", "address", "target", "reason", "before", "after", "prev_hash", "hash", "node");

  private final Database db;
  private final AuditWriter writer;

  JdbcAuditTrail(Database db, AuditWriter writer) {
    this.db = db;
    this.writer = writer;
  }

  @Override
  public AuditRecord append(AuditEntry entry) {
    return db.write("appending to the audit trail", c -> writer.append(c, entry, false));
  }

  @Override
  public List<AuditRecord> query(Query query) {
    if (query.limit() < 1 || query.limit() > 10000) {
      throw new StoreException("invalid", "limit " + query.limit() + " is out of range (use 1-10000)", "limit");
    }
    StringBuilder sql = new StringBuilder("SELECT " + AuditWriter.COLUMNS + " FROM audit WHERE seq > ?");
    List<Object> args = new ArrayList<>();
    args.add(query.afterSeq());
    if (query.from() != null) {
      sql.append(" AND at >= ?");
      args.add(Database.micros(query.from()));
    }
    if (query.to() != null) {
      sql.append(" AND at < ?");
      args.add(Database.micros(query.to()));
    }
    if (query.actor() != null) {
      sql.append(" AND actor = ?");
      args.add(query.actor());
    }
    if (query.typePrefix() != null && !query.typePrefix().isEmpty()) {
      sql.append(" AND substr(type, 1, ").append(query.typePrefix().length()).append(") = ?");
      args.add(query.typePrefix());
    }
    sql.append(" ORDER BY seq LIMIT ").append(query.limit());
    return db.read("querying the audit trail", c -> {
      try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
        for (int i = 0; i < args.size(); i++) {
          Object arg = args.get(i);
          if (arg instanceof Long) {
            ps.setLong(i + 1, (Long) arg);
          } else {
            ps.setString(i + 1, (String) arg);
          }
        }
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

  @Override
  public void exportCsv(Query query, Writer out, UnaryOperator<AuditRecord> view) {
    List<AuditRecord> records = query(query);
    CsvWriter csv = new CsvWriter(out);
    try {
      csv.row(CSV_HEADER);
      for (AuditRecord stored : records) {
        AuditRecord r = view.apply(stored);
        csv.row(Arrays.asList(Long.toString(r.seq()), r.at().toString(), r.type(), r.actor(), r.address(),
            r.target(), r.reason(), r.before(), r.after(), r.prevHash(), r.hash(), r.node()));
      }
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException("writing the audit CSV failed: " + e.getMessage(), e);
    }
  }

  @Override
  public Verification verify() {
    return new ChainVerifier(db).verify();
  }
}
