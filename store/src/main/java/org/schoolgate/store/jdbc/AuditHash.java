package org.schoolgate.store.jdbc;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;

/**
 * The chain hash of an audit record: SHA-256 (lower-case hex) over a version tag, the previous
 * record's hash and this record's fields in a fixed order. Numbers are 8-byte big-endian; texts
 * are a 4-byte big-endian length (-1 for null) followed by their UTF-8 bytes, so no two different
 * records share an encoding.
 */
final class AuditHash {
  /** The {@code prev_hash} of record 1. */
  static final String GENESIS = "0".repeat(64);

  private static final byte[] TAG = "schoolgate-audit-v1".getBytes(StandardCharsets.US_ASCII);

  private AuditHash() {}

  static String of(String prevHash, long seq, long atMicros, String type, String actor, String address,
      String target, String reason, String before, String after) {
    return of(prevHash, seq, atMicros, type, actor, address, target, reason, before, after, null);
  }

  /**
   * The hash of a record written by node {@code node}: the node's name is hashed after the other
   * fields when there is one, so records without a node (one node, or older releases) keep the
   * hash they were written with.
   */
  static String of(String prevHash, long seq, long atMicros, String type, String actor, String address,
      String target, String reason, String before, String after, String node) {
    MessageDigest digest = Tokens.sha256();
    text(digest, new String(TAG, StandardCharsets.US_ASCII));
    text(digest, prevHash);
    number(digest, seq);
    number(digest, atMicros);
    text(digest, type);
    text(digest, actor);
    text(digest, address);
    text(digest, target);
    text(digest, reason);
    text(digest, before);
    text(digest, after);
    if (node != null) {
      text(digest, node);
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  private static void number(MessageDigest digest, long value) {
    digest.update(ByteBuffer.allocate(Long.BYTES).putLong(value).array());
  }

  private static void text(MessageDigest digest, String value) {
    if (value == null) {
      digest.update(ByteBuffer.allocate(Integer.BYTES).putInt(-1).array());
      return;
    }
    byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
    digest.update(ByteBuffer.allocate(Integer.BYTES).putInt(bytes.length).array());
    digest.update(bytes);
  }
}
