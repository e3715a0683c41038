package org.schoolgate.store;

/** A notification's database id. */
public record NotificationId(long value) {
  @Override
  public String toString() {
    return Long.toString(value);
  }
}
