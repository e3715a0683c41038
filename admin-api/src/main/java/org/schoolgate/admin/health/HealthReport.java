package org.schoolgate.admin.health;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The last round of checks: the overall status (the worst check's) and each check's result.
 *
 * @param checkedAt when the round began
 * @param results each check's result, in the checks' order
 */
public record HealthReport(Instant checkedAt, Map<String, CheckResult> results) {
  public HealthReport {
    Objects.requireNonNull(checkedAt, "checkedAt");
    results = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(results));
  }

  /** The worst status among the checks; ok without checks. */
  public HealthStatus status() {
    HealthStatus worst = HealthStatus.OK;
    for (CheckResult r : results.values()) {
      worst = worst.worst(r.status());
    }
    return worst;
  }

  /** {@code name: reason} for every check that is not ok, in the checks' order. */
  public List<String> reasons() {
    List<String> out = new ArrayList<>();
    results.forEach((name, r) -> {
      if (r.status() != HealthStatus.OK) {
        out.add(name + ": " + r.text());
      }
    });
    return out;
  }
}
