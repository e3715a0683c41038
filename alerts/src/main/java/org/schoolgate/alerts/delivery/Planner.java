package org.schoolgate.alerts.delivery;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.schoolgate.store.Alert;
import org.schoolgate.store.Delivery;
import org.schoolgate.store.DeliveryStore;
import org.schoolgate.store.PlannedDelivery;

/**
 * Decides an alert's deliveries: the recipients of every route it matches, each either to send or
 * suppressed as grouped into the message that recipient already got (or is about to get) for the
 * same {@code who} and {@code kind} within the group window. Critical alerts use the shorter
 * critical window: each critical event is seen within a minute, and a burst of them does not
 * bury the recipient. Grouping reads what is already planned: two nodes planning alerts of the same
 * who + kind at the same instant may each send one (never fewer than one).
 */
final class Planner {
  /** What to store for one alert. */
  record Plan(List<PlannedDelivery> deliveries, String note) {}

  static final String NO_ROUTE = "no route";
  static final String GROUPED = "grouped into the message sent at ";

  private final DeliveryConfig config;
  private final DeliveryStore store;

  Planner(DeliveryConfig config, DeliveryStore store) {
    this.config = config;
    this.store = store;
  }

  /** The recipients of every route {@code alert} matches, in route order, each once. */
  List<Recipient> recipients(Alert alert) {
    Set<Recipient> all = new LinkedHashSet<>();
    for (Route route : config.routes()) {
      if (route.match().matches(alert)) {
        all.addAll(route.to());
      }
    }
    return List.copyOf(all);
  }

  Plan plan(Alert alert) {
    List<Recipient> recipients = recipients(alert);
    if (recipients.isEmpty()) {
      return new Plan(List.of(), NO_ROUTE);
    }
    Duration window = alert.content().severity() == Alert.Severity.CRITICAL
        ? config.criticalGroupWindow() : config.groupWindow();
    List<PlannedDelivery> planned = new ArrayList<>();
    for (Recipient r : recipients) {
      Optional<Delivery> earlier = window.isZero() ? Optional.empty()
          : store.lastMessage(alert.content().who(), alert.content().kind(), r.channel(), r.address(),
              alert.raisedAt().minus(window));
      if (earlier.isPresent()) {
        Delivery d = earlier.get();
        planned.add(PlannedDelivery.suppress(r.channel(), r.address(), GROUPED
            + (d.sentAt() != null ? d.sentAt() : d.createdAt()) + " (alert " + d.alertId() + ")"));
      } else {
        planned.add(PlannedDelivery.send(r.channel(), r.address()));
      }
    }
    return new Plan(planned, null);
  }
}
