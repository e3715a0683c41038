package org.schoolgate.alerts.delivery;

import java.net.URI;
import java.time.Duration;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.schoolgate.store.Delivery;

/**
 * Everything alert delivery needs. Null durations take the defaults below.
 *
 * @param smtp the mail server, or null when no route sends email
 * @param webhooks the webhooks routes may name
 * @param routes who gets which alerts (an alert matching none is logged and not sent: "no route")
 * @param groupWindow the same who + kind goes to a recipient at most once per this window; later
 *     alerts are suppressed as grouped (default 10 min; zero turns grouping off)
 * @param criticalGroupWindow the same for critical alerts (default 1 min: each critical event
 *     reaches people quickly, but a burst of them is one message a minute, not hundreds)
 * @param firstRetry the wait after the first failed attempt, doubling after each (default 5 s)
 * @param maxRetry the longest wait between attempts (default 15 min)
 * @param giveUpAfter how long after planning a failing delivery is given up as failed (default 3 days)
 * @param poll how often the outbox is read (default 500 ms)
 * @param lease how long a claimed delivery is left to its sender before another may take it
 *     (default 2 min; longer than any send can take)
 * @param zone the time zone times are shown in (default UTC)
 * @param adminUrl the admin site's base URL, for links in messages, or null
 */
public record DeliveryConfig(
    SmtpSettings smtp, List<WebhookSettings> webhooks, List<Route> routes, Duration groupWindow,
    Duration criticalGroupWindow, Duration firstRetry, Duration maxRetry, Duration giveUpAfter, Duration poll,
    Duration lease, ZoneId zone, URI adminUrl) {

  public DeliveryConfig {
    webhooks = webhooks == null ? List.of() : List.copyOf(webhooks);
    routes = routes == null ? List.of() : List.copyOf(routes);
    groupWindow = notNegative(groupWindow, Duration.ofMinutes(10), "group-window");
    criticalGroupWindow = notNegative(criticalGroupWindow, Duration.ofMinutes(1), "critical-group-window");
    firstRetry = positive(firstRetry, Duration.ofSeconds(5), "first-retry");
    maxRetry = positive(maxRetry, Duration.ofMinutes(15), "max-retry");
    giveUpAfter = positive(giveUpAfter, Duration.ofDays(3), "give-up-after");
    poll = positive(poll, Duration.ofMillis(500), "poll");
    lease = positive(lease, Duration.ofMinutes(2), "lease");
    zone = zone == null ? ZoneId.of("UTC") : zone;
    if (maxRetry.compareTo(firstRetry) < 0) {
      throw new IllegalArgumentException("alert delivery max-retry " + maxRetry + " is shorter than first-retry "
          + firstRetry + " (expected max-retry >= first-retry)");
    }
    Map<String, WebhookSettings> byName = new HashMap<>();
    for (WebhookSettings w : webhooks) {
      if (byName.put(w.name(), w) != null) {
        throw new IllegalArgumentException("webhook " + w.name() + " is defined twice (expected unique names)");
      }
    }
    for (Route route : routes) {
      for (Recipient r : route.to()) {
        if (r.channel() == Delivery.Channel.WEBHOOK && !byName.containsKey(r.address())) {
          throw new IllegalArgumentException("route " + route.match() + " sends to webhook:" + r.address()
              + " but no webhook has that name (defined: " + byName.keySet() + ")");
        }
        if (r.channel() == Delivery.Channel.EMAIL && smtp == null) {
          throw new IllegalArgumentException("route " + route.match() + " sends to " + r
              + " but no smtp server is configured (add smtp: host, port, from)");
        }
      }
    }
  }

  /** Defaults for everything but the channels and routes. */
  public static DeliveryConfig of(SmtpSettings smtp, List<WebhookSettings> webhooks, List<Route> routes) {
    return new DeliveryConfig(smtp, webhooks, routes, null, null, null, null, null, null, null, null, null);
  }

  public DeliveryConfig withGroupWindows(Duration window, Duration critical) {
    return new DeliveryConfig(smtp, webhooks, routes, window, critical, firstRetry, maxRetry, giveUpAfter, poll,
        lease, zone, adminUrl);
  }

  public DeliveryConfig withRetries(Duration first, Duration max, Duration giveUp) {
    return new DeliveryConfig(smtp, webhooks, routes, groupWindow, criticalGroupWindow, first, max, giveUp, poll,
        lease, zone, adminUrl);
  }

  public DeliveryConfig withLease(Duration newLease) {
    return new DeliveryConfig(smtp, webhooks, routes, groupWindow, criticalGroupWindow, firstRetry, maxRetry,
        giveUpAfter, poll, newLease, zone, adminUrl);
  }

  /** These settings with times shown in {@code schoolZone}. */
  public DeliveryConfig withZone(ZoneId schoolZone) {
    return new DeliveryConfig(smtp, webhooks, routes, groupWindow, criticalGroupWindow, firstRetry, maxRetry,
        giveUpAfter, poll, lease, schoolZone, adminUrl);
  }

  public DeliveryConfig withAdminUrl(URI url) {
    return new DeliveryConfig(smtp, webhooks, routes, groupWindow, criticalGroupWindow, firstRetry, maxRetry,
        giveUpAfter, poll, lease, zone, url);
  }

  /** The webhook named {@code name}. */
  public Optional<WebhookSettings> webhook(String name) {
    Objects.requireNonNull(name, "name");
    return webhooks.stream().filter(w -> w.name().equals(name)).findFirst();
  }

  private static Duration positive(Duration value, Duration fallback, String name) {
    Duration d = value == null ? fallback : value;
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException("alert delivery " + name + " " + d + " must be positive");
    }
    return d;
  }

  private static Duration notNegative(Duration value, Duration fallback, String name) {
    Duration d = value == null ? fallback : value;
    if (d.isNegative()) {
      throw new IllegalArgumentException("alert delivery " + name + " " + d + " must not be negative (0 turns it off)");
    }
    return d;
  }
}
