package org.schoolgate.store;

import java.io.Writer;
import java.time.Instant;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * The append-only, hash-chained audit trail. Stores write their own records inside their
 * transactions; {@link #append} is for events with nothing else to write (policy reloads, list
 * updates, views of a pupil's history). Appends are serialised (one chain, also across nodes on
 * PostgreSQL).
 */
public interface AuditTrail {

  AuditRecord append(AuditEntry entry);

  /** Oldest first. */
  List<AuditRecord> query(Query query);

  /** Writes the matching records as CSV (RFC 4180, header row, UTF-8) for governors. */
  default void exportCsv(Query query, Writer out) {
    exportCsv(query, out, UnaryOperator.identity());
  }

  /**
   * Writes the matching records as CSV, each as {@code view} shows it (e.g. with details the
   * reader may not see taken out).
   */
  void exportCsv(Query query, Writer out, UnaryOperator<AuditRecord> view);

  /** Walks the whole chain and reports the first record that does not fit. */
  Verification verify();

  /**
   * @param from at or after, or null
   * @param to before, or null
   * @param actor exact actor name, or null
   * @param typePrefix e.g. {@code unblock.} or {@code login}, or null
   * @param afterSeq only records with a greater seq (paging), 0 for all
   * @param limit at most this many (1-10000)
   */
  record Query(Instant from, Instant to, String actor, String typePrefix, long afterSeq, int limit) {
    public static Query all() {
      return new Query(null, null, null, null, 0, 10000);
    }
  }

  /** The result of {@link #verify}. */
  sealed interface Verification {
    /** Every record fits; {@code records} checked, {@code head} the last hash. */
    record Valid(long records, String head) implements Verification {}

    /**
     * The first record that does not fit and why, e.g. {@code record 17: content does not match
     * its hash (edited)}, {@code record 18 is missing (deleted)}, {@code record 19: previous hash
     * does not match record 18 (reordered or inserted)}.
     */
    record Broken(long seq, String problem) implements Verification {}
  }
}
