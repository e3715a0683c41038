package org.schoolgate.admin.alert;

import java.time.Instant;
import org.schoolgate.store.Alert;
import org.schoolgate.store.NewAlert;

/** An alert as the API shows it; {@code details} is the stored text (JSON for a filter bypass). */
public record AlertView(
    long id, Instant raisedAt, String severity, String kind, String audience, String subject, String details,
    String who, String link, String idempotencyKey, boolean acknowledged, String acknowledgedBy,
    Instant acknowledgedAt) {

  public static AlertView of(Alert a) {
    NewAlert c = a.content();
    return new AlertView(a.id().value(), a.raisedAt(), c.severity().apiName(), c.kind(), c.audience().apiName(),
        c.subject(), c.details(), c.who(), c.link(), c.idempotencyKey(), a.acknowledged(), a.acknowledgedBy(),
        a.acknowledgedAt());
  }
}
