package org.schoolgate.alerts.delivery;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import org.schoolgate.store.Actor;
import org.schoolgate.store.Alert;
import org.schoolgate.store.DatabaseConfig;
import org.schoolgate.store.NewAlert;
import org.schoolgate.store.Store;

/**
 * The child process of {@link CrashDeliveryTest}: raises critical alerts into a SQLite outbox in
 * bursts of five, printing {@code raised <key>} after each commits, while a {@link DeliveryWorker}
 * mails them to the GreenMail port given; before each burst it waits for the last one to be sent.
 * It runs until it is killed (at most 500 alerts).
 */
public final class CrashDeliveryBurst {
  private CrashDeliveryBurst() {}

  static DeliveryConfig config(int smtpPort) {
    return DeliveryConfig.of(SmtpSettings.relay("127.0.0.1", smtpPort, SmtpSettings.Security.OFF,
            "schoolgate@school.org"), List.of(),
        List.of(new Route(Route.Match.any(), List.of(Recipient.parse("email:dsl@school.org")))))
        .withLease(Duration.ofSeconds(2));
  }

  public static void main(String[] args) {
    Store store = Store.open(DatabaseConfig.sqlite(Path.of(args[0])), Clock.systemUTC());
    DeliveryWorker worker = DeliveryWorker.start(store, config(Integer.parseInt(args[1])), new SimpleMeterRegistry(),
        Clock.systemUTC());
    for (int i = 0; i < 500; i++) {
      String key = "burst:" + i;
      store.alerts().raise(new NewAlert(Alert.Severity.CRITICAL, "illegal-category", Alert.Audience.DSL,
          "Illegal content attempt " + i, "", "pupil." + i, null, key), Actor.system("alerts"));
      worker.wake();
      System.out.println("raised " + key);
      System.out.flush();
      if (i % 5 == 4) {
        while (!store.deliveries().unplanned(1).isEmpty() || store.deliveries().oldestPending().isPresent()) {
          LockSupport.parkNanos(Duration.ofMillis(5).toNanos()); // polls the outbox: the worker is another thread
        }
      }
    }
  }
}
