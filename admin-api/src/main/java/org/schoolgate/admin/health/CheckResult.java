package org.schoolgate.admin.health;

import java.util.Objects;

/** What one {@link HealthCheck} found: ok with a detail, or degraded or down with the reason. */
public sealed interface CheckResult {

  HealthStatus status();

  /** One sentence for people: what is fine, or what is wrong and what to do. */
  String text();

  static CheckResult ok(String detail) {
    return new Ok(detail);
  }

  static CheckResult degraded(String reason) {
    return new Degraded(reason);
  }

  static CheckResult down(String reason) {
    return new Down(reason);
  }

  /** Working; {@code detail} says what was seen, e.g. {@code sqlite, takes writes (2 ms)}. */
  record Ok(String detail) implements CheckResult {
    public Ok {
      Objects.requireNonNull(detail, "detail");
    }

    @Override
    public HealthStatus status() {
      return HealthStatus.OK;
    }

    @Override
    public String text() {
      return detail;
    }
  }

  /** Still filtering, but {@code reason} needs a technician. */
  record Degraded(String reason) implements CheckResult {
    public Degraded {
      Objects.requireNonNull(reason, "reason");
    }

    @Override
    public HealthStatus status() {
      return HealthStatus.DEGRADED;
    }

    @Override
    public String text() {
      return reason;
    }
  }

  /** Cannot serve, because {@code reason}. */
  record Down(String reason) implements CheckResult {
    public Down {
      Objects.requireNonNull(reason, "reason");
    }

    @Override
    public HealthStatus status() {
      return HealthStatus.DOWN;
    }

    @Override
    public String text() {
      return reason;
    }
  }
}
