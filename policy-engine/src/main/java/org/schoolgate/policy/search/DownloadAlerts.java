package org.schoolgate.policy.search;

import java.time.Duration;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;
import org.schoolgate.policy.download.FileKind;

/**
 * When blocked downloads ({@code download:<kind>} blocks) raise the {@code blocked-downloads}
 * alert: {@code threshold} of them by one person within {@code window} (any kinds), or at once
 * for one of a kind in {@code atOnce}; sent to the technicians, or the DSL when the school says
 * so ({@code alerts.downloads} in the policy).
 *
 * <pre>{@code
 * alerts:
 *   downloads: { threshold: 3, window: 10m, at-once: [script], to: technicians }
 * }</pre>
 *
 * @param threshold blocked downloads by one person within {@code window} that raise one alert
 * @param window the window (one alert per person per window)
 * @param atOnce kinds whose every blocked download alerts (a retry of the same URL within seconds
 *     is the same attempt)
 * @param to who is told
 */
public record DownloadAlerts(int threshold, Duration window, Set<FileKind> atOnce, To to) {
  /** 3 in 10 minutes, no kind at once, to the technicians. */
  public static final DownloadAlerts DEFAULTS =
      new DownloadAlerts(3, Duration.ofMinutes(10), Set.of(), To.TECHNICIANS);

  /** Who the alert goes to. */
  public enum To {
    /** The IT team: most blocked downloads are games and tools, a matter of the network's safety. */
    TECHNICIANS("technicians"),
    /** The Designated Safeguarding Lead. */
    DSL("dsl");

    private final String configName;

    To(String configName) {
      this.configName = configName;
    }

    /** The name in the policy: {@code technicians} or {@code dsl}. */
    public String configName() {
      return configName;
    }

    /** The audience named {@code name}, or null. */
    public static To fromConfigName(String name) {
      for (To t : values()) {
        if (t.configName.equals(name)) {
          return t;
        }
      }
      return null;
    }
  }

  public DownloadAlerts {
    if (threshold < 1) {
      throw new IllegalArgumentException("alerts.downloads.threshold is " + threshold
          + " (expected: a whole number, 1 or more, e.g. 3)");
    }
    if (window == null || window.isNegative() || window.isZero()) {
      throw new IllegalArgumentException("alerts.downloads.window is " + window
          + " (expected: a positive duration, e.g. 10m)");
    }
    Objects.requireNonNull(atOnce, "alerts.downloads.at-once is null (expected: a list of kinds, possibly empty)");
    atOnce = atOnce.isEmpty() ? Set.of() : Collections.unmodifiableSet(EnumSet.copyOf(atOnce));
    Objects.requireNonNull(to, "alerts.downloads.to is null (expected: technicians or dsl)");
  }

  /** True when one blocked download of {@code kind} alerts on its own. */
  public boolean alertsAtOnce(FileKind kind) {
    return kind != null && atOnce.contains(kind);
  }
}
