package org.schoolgate.store;

/** An alert delivery's database id. */
public record DeliveryId(long value) {
  @Override
  public String toString() {
    return Long.toString(value);
  }
}
