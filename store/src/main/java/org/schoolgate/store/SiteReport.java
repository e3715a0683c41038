package org.schoolgate.store;

import java.time.Instant;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * A report that a site is wrongly blocked or wrongly allowed, and what a technician made of it.
 *
 * @param request what was reported
 * @param reporter the reporter's username, or {@code anonymous}
 * @param reporterId the reporter's account, or null for an anonymous report
 * @param answeredBy who answered, or null while open
 * @param answer what the technician tells the reporter, or null while open
 */
public record SiteReport(
    SiteReportId id, NewSiteReport request, String reporter, AccountId reporterId, Status status,
    Instant createdAt, String answeredBy, Instant answeredAt, String answer) {
  /** The reporter name of a report nobody signed in for. */
  public static final String ANONYMOUS = "anonymous";

  public SiteReport {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(reporter, "reporter");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(createdAt, "createdAt");
    if ((status == Status.OPEN) != (answeredAt == null)) {
      throw new IllegalArgumentException("site report " + id + " is " + status.apiName()
          + " but answeredAt is " + answeredAt + " (expected: set exactly when answered)");
    }
  }

  /** What the reporter says is wrong. */
  public enum Kind {
    /** Blocked, but should not be (a pupil's or teacher's report from the block page or the console). */
    WRONGLY_BLOCKED("wrongly-blocked"),
    /** Allowed, but should be blocked (anyone; seed 004: such sites "must be reported"). */
    WRONGLY_ALLOWED("wrongly-allowed");

    private final String apiName;

    Kind(String apiName) {
      this.apiName = apiName;
    }

    public String apiName() {
      return apiName;
    }

    public static Optional<Kind> parse(String name) {
      return Arrays.stream(values()).filter(k -> k.apiName.equals(name)).findFirst();
    }
  }

  /** Where a report is. */
  public enum Status {
    /** Waiting for a technician. */
    OPEN,
    /** The filter was changed (a list entry, a matrix cell, an unblock). */
    CHANGED,
    /** Checked; the filter stays as it is, for the reason given. */
    UNCHANGED;

    public String apiName() {
      return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Status> parse(String name) {
      return Arrays.stream(values()).filter(s -> s.apiName().equals(name)).findFirst();
    }
  }
}
