package org.schoolgate.store;

/** The database could not be reached or failed; nothing was changed. */
public class StoreUnavailableException extends RuntimeException {
  public StoreUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
