package org.schoolgate.store;

/** An alert's database id. */
public record AlertId(long value) {
  @Override
  public String toString() {
    return Long.toString(value);
  }
}
