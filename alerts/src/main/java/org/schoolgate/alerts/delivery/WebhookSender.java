package org.schoolgate.alerts.delivery;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Posts an alert as JSON to a webhook with {@code java.net.http}: 2xx is sent; 408, 429, 5xx and
 * I/O errors are retried; any other status (redirects included: they are not followed) is final.
 * Every request carries {@code Idempotency-Key} (the alert's key). The URL is never logged.
 */
final class WebhookSender {
  static final String IDEMPOTENCY_KEY = "Idempotency-Key";

  private final HttpClient client = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(10))
      .followRedirects(HttpClient.Redirect.NEVER)
      .build();

  Outcome post(WebhookSettings webhook, String key, String json) {
    HttpRequest request = HttpRequest.newBuilder(webhook.url())
        .timeout(webhook.timeout())
        .header("Content-Type", "application/json; charset=utf-8")
        .header("User-Agent", "Schoolgate alert delivery")
        .header(IDEMPOTENCY_KEY, key)
        .POST(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8))
        .build();
    HttpResponse<String> response;
    try {
      response = client.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (IOException e) {
      return new Outcome.Retry("webhook " + webhook.name() + " unreachable: " + e.getClass().getSimpleName()
          + (e.getMessage() == null ? "" : " " + e.getMessage()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Outcome.Retry("webhook " + webhook.name() + ": interrupted while sending");
    }
    int status = response.statusCode();
    if (status >= 200 && status < 300) {
      return new Outcome.Sent();
    }
    String reason = "webhook " + webhook.name() + " answered HTTP " + status + snippet(response.body());
    if (status == 408 || status == 429 || status >= 500) {
      return new Outcome.Retry(reason);
    }
    return new Outcome.Reject(reason);
  }

  private static String snippet(String body) {
    if (body == null || body.isBlank()) {
      return "";
    }
    String oneLine = body.strip().replaceAll("\\s+", " ");
    return ": " + (oneLine.length() > 200 ? oneLine.substring(0, 200) + "…" : oneLine);
  }
}
