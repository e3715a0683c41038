package org.schoolgate.store;

import java.time.Duration;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Objects;

/**
 * How alerts become incidents.
 *
 * @param joinWindow an alert joins the open incident of the same person and kind family whose last
 *     hit is at most this long ago; otherwise it opens a new incident
 * @param kindFamilies alert kind → family name, for kinds that belong in one incident (e.g.
 *     {@code illegal-category} and {@code repeated-attempts} → {@code safeguarding}); a kind not
 *     listed is its own family
 * @param zone the school's time zone, for the times in escalation alerts
 */
public record IncidentSettings(Duration joinWindow, Map<String, String> kindFamilies, ZoneId zone) {
  /** 24 hours; every kind its own family; times in UTC. */
  public static final IncidentSettings DEFAULTS = new IncidentSettings(Duration.ofHours(24), Map.of());

  /** Settings with times in UTC. */
  public IncidentSettings(Duration joinWindow, Map<String, String> kindFamilies) {
    this(joinWindow, kindFamilies, ZoneOffset.UTC);
  }

  public IncidentSettings {
    if (joinWindow == null || joinWindow.isNegative() || joinWindow.isZero()) {
      throw new IllegalArgumentException("incident join window " + joinWindow
          + " is not valid (expected: a positive duration, e.g. PT24H)");
    }
    kindFamilies = Map.copyOf(Objects.requireNonNull(kindFamilies, "kindFamilies"));
    Objects.requireNonNull(zone, "zone");
    kindFamilies.forEach((kind, family) -> {
      if (family == null || !family.matches("[a-z][a-z0-9-]{0,63}")) {
        throw new IllegalArgumentException("incident family '" + family + "' for alert kind " + kind
            + " is not valid (expected: lower-case letters, digits and dashes)");
      }
    });
  }

  /** The family of alerts of {@code kind}. */
  public String family(String kind) {
    return kindFamilies.getOrDefault(kind, kind);
  }

  /** These settings with another join window. */
  public IncidentSettings withJoinWindow(Duration window) {
    return new IncidentSettings(window, kindFamilies, zone);
  }

  /** These settings with times in {@code schoolZone}. */
  public IncidentSettings withZone(ZoneId schoolZone) {
    return new IncidentSettings(joinWindow, kindFamilies, schoolZone);
  }
}
