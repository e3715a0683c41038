package org.schoolgate.deploy;

/** Updating a list failed; the message says what, and the old list is still in force. */
final class ListUpdateException extends Exception {
  private static final long serialVersionUID = 1L;

  ListUpdateException(String message) {
    super(message);
  }

  ListUpdateException(String message, Throwable cause) {
    super(message, cause);
  }
}
