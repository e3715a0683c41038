package org.schoolgate.store;

import java.time.Instant;

/**
 * A stored audit record. {@code hash} is the SHA-256 (hex) of {@code prevHash} and this record's
 * canonical fields, so editing, deleting or reordering any record breaks the chain.
 */
public record AuditRecord(
    long seq, Instant at, String type, String actor, String address, String target, String reason,
    String before, String after, String prevHash, String hash) {}
