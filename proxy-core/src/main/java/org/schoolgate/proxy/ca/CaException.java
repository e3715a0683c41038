package org.schoolgate.proxy.ca;

/**
 * A CA could not be created, saved or loaded. The message says what is wrong and how to fix it,
 * and never contains key material.
 */
public final class CaException extends Exception {
  private static final long serialVersionUID = 1L;

  CaException(String message) {
    super(message);
  }

  CaException(String message, Throwable cause) {
    super(message, cause);
  }
}
