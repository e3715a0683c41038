/**
 * Delivery of the alert outbox to people: {@link org.schoolgate.alerts.delivery.DeliveryWorker}
 * (one thread, {@code schoolgate-alert-delivery}) plans each new alert once — recipients from the
 * {@link org.schoolgate.alerts.delivery.Route}s, the same {@code who} and {@code kind} grouped
 * into one message per window — and sends the due deliveries by email
 * ({@link org.schoolgate.alerts.delivery.EmailSender}, SMTP with Angus Mail) and JSON webhooks
 * (Teams, Slack, generic), retrying with backoff until a give-up age. Everything it decides is in
 * the store ({@link org.schoolgate.store.DeliveryStore}), so a restart or a crash loses nothing;
 * a message may be sent twice after a crash, always with the same Message-ID or Idempotency-Key.
 * Configuration: {@link org.schoolgate.alerts.delivery.DeliveryConfig}.
 */
package org.schoolgate.alerts.delivery;
