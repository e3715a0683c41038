package org.schoolgate.alerts.delivery;

/**
 * A message the mail server did not take. {@link #retryable()} says whether trying again later may
 * work (server down, temporary 4xx reply, sign-in failure) or not (an address refused with 5xx).
 */
public final class EmailException extends Exception {
  private final boolean retryable;

  EmailException(String message, boolean retryable, Throwable cause) {
    super(message, cause);
    this.retryable = retryable;
  }

  public boolean retryable() {
    return retryable;
  }
}
