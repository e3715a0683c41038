package org.schoolgate.deploy;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalTime;
import java.util.List;
import java.util.Objects;
import org.schoolgate.alerts.delivery.DeliveryConfig;

/**
 * Alert delivery, the incident log and the weekly digest ({@code alerts:}, {@code incidents:},
 * {@code digest:} in the runtime configuration).
 *
 * @param delivery where alerts are sent (SMTP, webhooks, routes), or null: alerts stay in the
 *     outbox and the admin API only (said once at start)
 * @param incidentJoinWindow an alert joins the open incident of the same person and kind whose
 *     last hit is at most this long ago
 * @param escalateAfter a critical incident nobody acknowledges within this long is escalated
 *     (alert kinds {@code escalation-1}, then {@code escalation-2}: route them to the deputy DSL
 *     and the headteacher)
 * @param digest the weekly digest, or null for none
 */
public record SafeguardingSettings(
    DeliveryConfig delivery, Duration incidentJoinWindow, Duration escalateAfter, Digest digest) {
  /** No delivery, incidents joined within 24 hours, escalation after 30 minutes, no digest. */
  public static final SafeguardingSettings DEFAULTS =
      new SafeguardingSettings(null, Duration.ofHours(24), Duration.ofMinutes(30), null);

  public SafeguardingSettings {
    positive(incidentJoinWindow, "incidents.join-window");
    positive(escalateAfter, "incidents.escalate-after");
    if (digest != null && delivery == null) {
      throw new IllegalArgumentException("digest: is set but alerts: has no smtp server to send it through"
          + " (expected: alerts.smtp with host, port and from)");
    }
    if (digest != null && delivery.smtp() == null) {
      throw new IllegalArgumentException("digest: needs alerts.smtp (expected: host, port and from)");
    }
  }

  private static void positive(Duration d, String field) {
    Objects.requireNonNull(d, field);
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(field + " is " + d + " (expected: a positive duration such as 30m)");
    }
  }

  /**
   * The weekly digest email to the DSL.
   *
   * @param to the addresses
   * @param day the day it is sent, in the policy's time zone
   * @param time the time it is sent
   */
  public record Digest(List<String> to, DayOfWeek day, LocalTime time) {
    public Digest {
      to = List.copyOf(to);
      if (to.isEmpty()) {
        throw new IllegalArgumentException("digest.to is empty (expected: the DSL's address, e.g. [dsl@school.example])");
      }
      for (String address : to) {
        if (!address.matches("[^@\\s<>,;\"]+@[^@\\s<>,;\"]+")) {
          throw new IllegalArgumentException("digest.to: '" + address + "' is not an email address"
              + " (expected: e.g. dsl@school.example)");
        }
      }
      Objects.requireNonNull(day, "digest.day");
      Objects.requireNonNull(time, "digest.time");
    }
  }
}
