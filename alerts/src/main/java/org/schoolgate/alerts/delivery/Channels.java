package org.schoolgate.alerts.delivery;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.schoolgate.store.Alert;
import org.schoolgate.store.Delivery;

/** Sends one alert to one recipient over its channel. */
final class Channels {
  private final DeliveryConfig config;
  private final EmailSender email;
  private final WebhookSender webhooks = new WebhookSender();
  private final AlertText text;

  Channels(DeliveryConfig config, Clock clock) {
    this.config = config;
    this.email = config.smtp() == null ? null : EmailSender.create(config.smtp(), clock);
    this.text = new AlertText(config.zone(), config.adminUrl());
  }

  /** The mail sender, or null when no SMTP server is configured. */
  EmailSender email() {
    return email;
  }

  /** Where a delivery goes, for grouping failures within one round: the mail server, or the webhook. */
  String target(Delivery d) {
    return d.channel() == Delivery.Channel.EMAIL ? "smtp" : "webhook:" + d.recipient();
  }

  Outcome send(Alert alert, Delivery d) {
    if (d.channel() == Delivery.Channel.EMAIL) {
      if (email == null) {
        return new Outcome.Reject("no smtp server is configured");
      }
      try {
        email.send(List.of(d.recipient()), text.subject(alert), text.emailBody(alert),
            AlertText.messageId(alert, config.smtp().fromDomain()),
            Map.of(EmailSender.ALERT_KEY_HEADER, alert.content().idempotencyKey()));
        return new Outcome.Sent();
      } catch (EmailException e) {
        return e.retryable() ? new Outcome.Retry(e.getMessage()) : new Outcome.Reject(e.getMessage());
      }
    }
    WebhookSettings webhook = config.webhook(d.recipient()).orElse(null);
    if (webhook == null) {
      return new Outcome.Reject("no webhook named " + d.recipient() + " is configured");
    }
    return webhooks.post(webhook, alert.content().idempotencyKey(), text.json(alert, webhook.format()));
  }
}
