package org.schoolgate.alerts.delivery;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.schoolgate.store.Delivery;

/**
 * The delivery meters: outcomes by channel ({@code email}, {@code webhook}; {@code none} for an
 * alert without a route), failed worker rounds, and the age of the oldest pending delivery.
 */
public final class DeliveryMetrics {
  public static final String SENT = "schoolgate.alerts.delivery.sent";
  public static final String RETRIED = "schoolgate.alerts.delivery.retried";
  public static final String FAILED = "schoolgate.alerts.delivery.failed";
  public static final String SUPPRESSED = "schoolgate.alerts.delivery.suppressed";
  public static final String ROUND_ERRORS = "schoolgate.alerts.delivery.round.errors";
  public static final String OLDEST_PENDING = "schoolgate.alerts.delivery.oldest.pending.seconds";

  private final Map<Delivery.Channel, Counter> sent = new EnumMap<>(Delivery.Channel.class);
  private final Map<Delivery.Channel, Counter> retried = new EnumMap<>(Delivery.Channel.class);
  private final Map<Delivery.Channel, Counter> failed = new EnumMap<>(Delivery.Channel.class);
  private final Map<Delivery.Channel, Counter> suppressed = new EnumMap<>(Delivery.Channel.class);
  private final Counter noRoute;
  private final Counter roundErrors;
  private final AtomicLong oldestPendingSeconds = new AtomicLong();

  DeliveryMetrics(MeterRegistry registry) {
    for (Delivery.Channel c : Delivery.Channel.values()) {
      sent.put(c, counter(registry, SENT, c.apiName(), "Alert messages accepted by the mail server or webhook"));
      retried.put(c, counter(registry, RETRIED, c.apiName(), "Alert deliveries that failed and will be retried"));
      failed.put(c, counter(registry, FAILED, c.apiName(), "Alert deliveries given up (refused, or too old)"));
      suppressed.put(c, counter(registry, SUPPRESSED, c.apiName(), "Alert deliveries not sent: grouped into an earlier message, or their incident was closed first"));
    }
    noRoute = counter(registry, SUPPRESSED, "none", "Alerts no route sends anywhere");
    roundErrors = Counter.builder(ROUND_ERRORS).description("Delivery rounds that failed (store unavailable)")
        .register(registry);
    Gauge.builder(OLDEST_PENDING, oldestPendingSeconds, AtomicLong::get)
        .description("Age of the oldest alert delivery not yet sent (0 when none)").baseUnit("seconds")
        .register(registry);
  }

  private static Counter counter(MeterRegistry registry, String name, String channel, String description) {
    return Counter.builder(name).tag("channel", channel).description(description).register(registry);
  }

  void sent(Delivery.Channel c) {
    sent.get(c).increment();
  }

  void retried(Delivery.Channel c) {
    retried.get(c).increment();
  }

  void failed(Delivery.Channel c) {
    failed.get(c).increment();
  }

  void suppressed(Delivery.Channel c) {
    suppressed.get(c).increment();
  }

  void noRoute() {
    noRoute.increment();
  }

  void roundFailed() {
    roundErrors.increment();
  }

  void oldestPending(long seconds) {
    oldestPendingSeconds.set(Math.max(0, seconds));
  }
}
