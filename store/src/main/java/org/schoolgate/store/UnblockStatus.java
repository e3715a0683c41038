package org.schoolgate.store;

/** Where an unblock request is in its life. Only PENDING and APPROVED ever change. */
public enum UnblockStatus {
  PENDING, APPROVED, DENIED, REVOKED, EXPIRED, CANCELLED;

  public String apiName() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
