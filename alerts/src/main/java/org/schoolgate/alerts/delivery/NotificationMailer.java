package org.schoolgate.alerts.delivery;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;
import org.schoolgate.store.ConsoleLinks;
import org.schoolgate.store.NotificationEmail;
import org.schoolgate.store.NotificationStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends the email copies of people's notifications (unblock requests and decisions, site
 * reports) on the delivery thread, through the same mail sender, lease and retry schedule as
 * alerts: a failure that may pass is retried, a refusal or one still failing after
 * {@code giveUpAfter} is given up, logged and counted. Each message links to the item's console
 * page.
 */
final class NotificationMailer {
  /** Header carrying the notification's id, for receivers that de-duplicate. */
  static final String NOTIFICATION_HEADER = "X-Schoolgate-Notification";
  private static final Logger log = LoggerFactory.getLogger(NotificationMailer.class);

  private final DeliveryConfig config;
  private final EmailSender email;
  private final NotificationStore store;
  private final DeliveryMetrics metrics;
  private final Clock clock;
  private final IntFunction<Duration> backoff;

  NotificationMailer(DeliveryConfig config, EmailSender email, NotificationStore store, DeliveryMetrics metrics,
      Clock clock, IntFunction<Duration> backoff) {
    this.config = config;
    this.email = email;
    this.store = store;
    this.metrics = metrics;
    this.clock = clock;
    this.backoff = backoff;
  }

  /** Claims and sends up to {@code batch} due emails; returns how many were claimed. */
  int sendSome(int batch) {
    List<NotificationEmail> due = store.claimDueEmails(clock.instant(), config.lease(), batch);
    String down = null;
    for (NotificationEmail n : due) {
      Outcome outcome = down != null ? new Outcome.Retry("not tried: " + down) : send(n);
      if (outcome instanceof Outcome.Retry r && down == null) {
        down = r.reason();
      }
      record(n, outcome);
    }
    Instant oldest = store.oldestPendingEmail().orElse(null);
    metrics.oldestNotification(oldest == null ? 0 : Duration.between(oldest, clock.instant()).toSeconds());
    return due.size();
  }

  private Outcome send(NotificationEmail n) {
    if (email == null) {
      return new Outcome.Reject("no smtp server is configured");
    }
    try {
      email.send(List.of(n.to()), "[Schoolgate] " + n.subject(), body(n),
          AlertText.messageId("notification:" + n.id(), email.settings().fromDomain()),
          Map.of(NOTIFICATION_HEADER, n.kind() + ":" + n.id()));
      return new Outcome.Sent();
    } catch (EmailException e) {
      return e.retryable() ? new Outcome.Retry(e.getMessage()) : new Outcome.Reject(e.getMessage());
    } catch (RuntimeException e) {
      log.error("notification {} to {}: unexpected failure", n.id(), n.to(), e);
      return new Outcome.Retry("unexpected failure: " + e);
    }
  }

  /** The text: what happened, then the console page of the item and of all notifications. */
  String body(NotificationEmail n) {
    StringBuilder b = new StringBuilder(n.subject()).append("\n\n");
    if (!n.body().isBlank()) {
      b.append(n.body()).append("\n\n");
    }
    URI base = config.adminUrl();
    if (base != null) {
      b.append("Open: ").append(ConsoleLinks.absolute(base, n.link())).append('\n');
      b.append("All your notifications: ").append(ConsoleLinks.absolute(base, ConsoleLinks.notifications()))
          .append('\n');
    }
    return b.toString();
  }

  private void record(NotificationEmail n, Outcome outcome) {
    Instant now = clock.instant();
    if (outcome instanceof Outcome.Sent) {
      store.emailSent(n.id(), now);
      metrics.notificationSent();
      log.info("notification {} ({}) emailed to {}", n.id(), n.kind(), n.to());
    } else if (outcome instanceof Outcome.Reject r) {
      store.emailFailed(n.id(), r.reason());
      metrics.notificationFailed();
      log.error("notification {} to {} refused, not retried: {}", n.id(), n.to(), r.reason());
    } else if (outcome instanceof Outcome.Retry r) {
      if (!now.isBefore(n.createdAt().plus(config.giveUpAfter()))) {
        store.emailFailed(n.id(), "gave up after " + n.attempts() + " attempt(s): " + r.reason());
        metrics.notificationFailed();
        log.error("notification {} to {}: gave up after {} attempt(s): {}", n.id(), n.to(), n.attempts(), r.reason());
        return;
      }
      Duration wait = backoff.apply(n.attempts());
      store.emailRetry(n.id(), now.plus(wait), r.reason());
      metrics.notificationRetried();
      log.warn("notification {} to {} failed (attempt {}), retrying in {}: {}", n.id(), n.to(), n.attempts(), wait,
          r.reason());
    }
  }
}
