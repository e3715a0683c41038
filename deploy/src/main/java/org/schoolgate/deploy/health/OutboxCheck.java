package org.schoolgate.deploy.health;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.schoolgate.admin.health.CheckResult;
import org.schoolgate.admin.health.HealthCheck;
import org.schoolgate.store.Alert;
import org.schoolgate.store.DeliveryStore;
import org.schoolgate.store.StoreUnavailableException;

/**
 * {@code alert-outbox}: degraded when alerts are not leaving: the oldest pending delivery (or an
 * alert still waiting to be planned) is older than {@value #MAX_WAIT_MINUTES} minutes, longer than
 * a working mail server or webhook ever takes (retries double from 5 s up to 15 minutes). Without
 * {@code alerts:} delivery, alerts stay in the outbox by design and this is ok.
 */
final class OutboxCheck implements HealthCheck {
  static final int MAX_WAIT_MINUTES = 15;
  static final Duration MAX_WAIT = Duration.ofMinutes(MAX_WAIT_MINUTES);

  private final DeliveryStore deliveries;
  private final boolean delivering;
  private final Clock clock;

  OutboxCheck(DeliveryStore deliveries, boolean delivering, Clock clock) {
    this.deliveries = deliveries;
    this.delivering = delivering;
    this.clock = clock;
  }

  @Override
  public String name() {
    return "alert-outbox";
  }

  @Override
  public CheckResult check() {
    if (!delivering) {
      return CheckResult.ok("no delivery configured: alerts stay in the outbox and the admin API");
    }
    Instant now = clock.instant();
    Optional<Instant> oldestPending;
    List<Alert> unplanned;
    try {
      oldestPending = deliveries.oldestPending();
      unplanned = deliveries.unplanned(1);
    } catch (StoreUnavailableException e) {
      return CheckResult.degraded("cannot read the alert outbox: " + e.getMessage());
    }
    if (oldestPending.isPresent() && Duration.between(oldestPending.get(), now).compareTo(MAX_WAIT) > 0) {
      return CheckResult.degraded("the oldest alert delivery has waited " + Durations.text(
          Duration.between(oldestPending.get(), now)) + " (since " + oldestPending.get() + ", more than "
          + MAX_WAIT_MINUTES + "m): check the mail server and webhooks in 'alerts:' and the log for delivery errors");
    }
    if (!unplanned.isEmpty() && Duration.between(unplanned.get(0).raisedAt(), now).compareTo(MAX_WAIT) > 0) {
      return CheckResult.degraded("alert " + unplanned.get(0).id().value() + " has waited "
          + Durations.text(Duration.between(unplanned.get(0).raisedAt(), now)) + " to be routed (more than "
          + MAX_WAIT_MINUTES + "m): the delivery thread is not keeping up; see the log");
    }
    return CheckResult.ok(oldestPending.map(t -> "delivering; the oldest pending delivery is from " + t)
        .orElse("delivering; nothing waiting"));
  }
}
