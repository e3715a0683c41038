package org.schoolgate.store;

/** A site report's database id. */
public record SiteReportId(long value) {
  @Override
  public String toString() {
    return Long.toString(value);
  }
}
