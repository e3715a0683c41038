package org.schoolgate.store;

import java.time.Instant;

/**
 * A stored audit record. {@code hash} is the SHA-256 (hex) of {@code prevHash} and this record's
 * canonical fields, so editing, deleting or reordering any record breaks the chain. {@code node} is
 * the Schoolgate node that wrote it (the runtime configuration's {@code node:}; null for records
 * written before nodes were named), part of the hash when present.
 */
public record AuditRecord(
    long seq, Instant at, String type, String actor, String address, String target, String reason,
    String before, String after, String prevHash, String hash, String node) {

  /** A record without a node name (one node, or written before nodes were named). */
  public AuditRecord(long seq, Instant at, String type, String actor, String address, String target, String reason,
      String before, String after, String prevHash, String hash) {
    this(seq, at, type, actor, address, target, reason, before, after, prevHash, hash, null);
  }
}
