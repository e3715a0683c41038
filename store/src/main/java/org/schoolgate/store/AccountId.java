package org.schoolgate.store;

/** An account's database id. */
public record AccountId(long value) {
  @Override
  public String toString() {
    return Long.toString(value);
  }
}
