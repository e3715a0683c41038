package org.schoolgate.alerts.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.schoolgate.policy.testing.MutableClock;
import org.schoolgate.store.Actor;
import org.schoolgate.store.Alert;
import org.schoolgate.store.DatabaseConfig;
import org.schoolgate.store.Delivery;
import org.schoolgate.store.NewAlert;
import org.schoolgate.store.Store;

/**
 * A real SQLite outbox in a test's temporary directory, a clock the test moves, a meter
 * registry, and at most one running {@link DeliveryWorker}; closed after each test.
 */
final class Outbox implements AutoCloseable {
  static final Instant T0 = Instant.parse("2026-03-02T08:00:00Z");
  static final Actor RAISER = Actor.system("alerts");

  final Path dir;
  final MutableClock clock = new MutableClock(T0);
  final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  Store store;
  DeliveryWorker worker;

  Outbox(Path dir) {
    this.dir = dir;
    this.store = Store.open(DatabaseConfig.sqlite(dir), clock);
  }

  DeliveryWorker start(DeliveryConfig config) {
    worker = DeliveryWorker.start(store, config, registry, clock);
    return worker;
  }

  /** Closes the worker and the store and opens both again on the same file, as after a restart. */
  DeliveryWorker restart(DeliveryConfig config) {
    if (worker != null) {
      worker.close();
    }
    store.close();
    store = Store.open(DatabaseConfig.sqlite(dir), clock);
    return start(config);
  }

  Alert raise(Alert.Severity severity, String kind, Alert.Audience audience, String who, String key) {
    Alert a = store.alerts().raise(new NewAlert(severity, kind, audience, kind + " by " + who,
        "Attempted http://bad.example/ at 08:00", who, null, key), RAISER);
    if (worker != null) {
      worker.wake();
    }
    return a;
  }

  Alert critical(String who, String key) {
    return raise(Alert.Severity.CRITICAL, "illegal-category", Alert.Audience.DSL, who, key);
  }

  List<Delivery> deliveries(Alert alert) {
    return store.deliveries().forAlert(alert.id());
  }

  Delivery only(Alert alert) {
    List<Delivery> all = deliveries(alert);
    assertThat(all).as("deliveries of alert " + alert.id()).hasSize(1);
    return all.get(0);
  }

  double count(String meter, String channel) {
    var counter = registry.find(meter).tag("channel", channel).counter();
    return counter == null ? 0 : counter.count();
  }

  @Override
  public void close() {
    if (worker != null) {
      worker.close();
    }
    store.close();
  }

  /** The console page of the incident {@code alert} opened (every DSL alert opens or joins one). */
  static String incidentUrl(String adminUrl, Alert alert) {
    org.assertj.core.api.Assertions.assertThat(alert.content().link()).startsWith("incident:");
    return adminUrl + "incidents/" + alert.content().link().substring("incident:".length());
  }
}
