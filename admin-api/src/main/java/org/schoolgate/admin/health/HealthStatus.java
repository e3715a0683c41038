package org.schoolgate.admin.health;

import java.util.Locale;

/** How healthy something is, best first. */
public enum HealthStatus {
  /** Working as it should. */
  OK,
  /** Still filtering, but something needs a technician: the report's reasons say what. */
  DEGRADED,
  /** Not able to serve: a load balancer should send traffic elsewhere (ready answers 503). */
  DOWN;

  /** {@code ok}, {@code degraded}, {@code down}: the JSON spelling. */
  public String apiName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The worse of this and {@code other}. */
  public HealthStatus worst(HealthStatus other) {
    return other.ordinal() > ordinal() ? other : this;
  }

  /** The value of the {@code schoolgate.health} gauge: 0 ok, 1 degraded, 2 down. */
  public int gaugeValue() {
    return ordinal();
  }
}
