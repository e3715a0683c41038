package org.schoolgate.store;

/** An incident's database id. */
public record IncidentId(long value) {
  /** The link an alert of this incident carries: {@code incident:12}. */
  public String link() {
    return "incident:" + value;
  }

  @Override
  public String toString() {
    return Long.toString(value);
  }
}
