package org.schoolgate.policy;

/** An unblock's id (the database id of its request). */
public record UnblockId(long value) {
  @Override
  public String toString() {
    return Long.toString(value);
  }
}
