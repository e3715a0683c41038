package org.schoolgate.deploy;

/** The command line is wrong; the message says what and what was expected. */
final class UsageException extends Exception {
  private static final long serialVersionUID = 1L;

  UsageException(String message) {
    super(message);
  }
}
