package org.schoolgate.store;

import java.time.Instant;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * An alert in the outbox: raised once (per idempotency key), kept for good, acknowledged at most
 * once.
 *
 * @param content what was raised
 * @param acknowledgedBy who acknowledged it, or null while open
 * @param acknowledgedAt when, or null while open
 */
public record Alert(
    AlertId id, Instant raisedAt, NewAlert content, String acknowledgedBy, Instant acknowledgedAt) {
  public Alert {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(raisedAt, "raisedAt");
    Objects.requireNonNull(content, "content");
    if ((acknowledgedBy == null) != (acknowledgedAt == null)) {
      throw new IllegalArgumentException("alert " + id + ": acknowledgedBy (" + acknowledgedBy
          + ") and acknowledgedAt (" + acknowledgedAt + ") must both be set or both be null");
    }
  }

  public boolean acknowledged() {
    return acknowledgedAt != null;
  }

  /** How urgent. */
  public enum Severity {
    INFO, WARNING, CRITICAL;

    /** {@code info}, {@code warning}, {@code critical}: the API and database spelling. */
    public String apiName() {
      return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Severity> parse(String name) {
      return Arrays.stream(values()).filter(s -> s.apiName().equals(name)).findFirst();
    }
  }

  /** Who an alert is for. */
  public enum Audience {
    /** The designated safeguarding lead (and senior leaders): safeguarding and filter bypasses. */
    DSL,
    /** Technical staff: circumvention and system trouble. */
    TECHNICIANS;

    /** {@code dsl}, {@code technicians}: the API and database spelling. */
    public String apiName() {
      return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Audience> parse(String name) {
      return Arrays.stream(values()).filter(a -> a.apiName().equals(name)).findFirst();
    }
  }
}
