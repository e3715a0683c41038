package org.schoolgate.alerts;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The alert engine's meter catalogue, registered when the engine starts: events dropped and
 * overflowed, store retries, the queue depth, and alerts raised by kind. The kinds are a fixed set
 * ({@link AlertRules#kinds()}, plus the system kinds wiring declares with {@link #kinds}), so no
 * meter is made while alerts are raised; an undeclared kind counts as {@value #OTHER_KIND}.
 */
final class AlertMetrics {
  /** The kind tag of an alert whose kind was never declared. */
  static final String OTHER_KIND = "other";

  private final MeterRegistry registry;
  private final Counter dropped;
  private final Counter overflow;
  private final Counter retries;
  private final Map<String, Counter> raised = new ConcurrentHashMap<>();
  private final Counter raisedOther;

  AlertMetrics(MeterRegistry registry, BlockingQueue<?> queue) {
    this.registry = registry;
    dropped = Counter.builder(AlertEngine.DROPPED).description("Access events offered after the alert engine closed")
        .register(registry);
    overflow = Counter.builder(AlertEngine.OVERFLOW)
        .description("Access events evaluated on the caller's thread because the alert queue was full")
        .register(registry);
    retries = Counter.builder(AlertEngine.RETRIES)
        .description("Alert raises retried because the store was unavailable").register(registry);
    Gauge.builder("schoolgate.alerts.queue", queue, BlockingQueue::size)
        .description("Access events waiting for the alert rules").register(registry);
    kinds(AlertRules.kinds());
    raisedOther = raisedCounter(OTHER_KIND);
  }

  /** Registers the raised-alerts counter of each of {@code kinds}; at start-up, never per alert. */
  void kinds(Collection<String> kinds) {
    for (String kind : kinds) {
      raised.computeIfAbsent(kind, this::raisedCounter);
    }
  }

  private Counter raisedCounter(String kind) {
    return Counter.builder(AlertEngine.RAISED).tag("kind", kind).description("Alerts raised into the outbox, by kind")
        .register(registry);
  }

  void raised(String kind) {
    raised.getOrDefault(kind, raisedOther).increment();
  }

  void dropped() {
    dropped.increment();
  }

  void overflow() {
    overflow.increment();
  }

  void retry() {
    retries.increment();
  }
}
