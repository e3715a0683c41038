package org.schoolgate.identity.verify;

/** A {@link PasswordSource} could not answer: down, timing out, or refusing the service account. */
public final class SourceDownException extends Exception {
  private static final long serialVersionUID = 1L;

  private final boolean timeout;

  /**
   * @param message what failed, for the log and the 503 page (never a password)
   * @param timeout true when the source did not answer in time
   */
  public SourceDownException(String message, boolean timeout, Throwable cause) {
    super(message, cause);
    this.timeout = timeout;
  }

  public boolean timeout() {
    return timeout;
  }
}
