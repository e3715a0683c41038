package org.schoolgate.alerts.delivery;

/** How one attempt to send went. */
sealed interface Outcome {
  /** Accepted by the receiver. */
  record Sent() implements Outcome {}

  /** Failed for now (server down, 5xx, 429, timeout): try again later. */
  record Retry(String reason) implements Outcome {}

  /** Refused for good (address or URL rejected, 4xx): do not try again. */
  record Reject(String reason) implements Outcome {}
}
