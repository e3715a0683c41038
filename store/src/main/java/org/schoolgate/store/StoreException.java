package org.schoolgate.store;

/**
 * A request the store refused, with a code for the API ({@code not_found}, {@code conflict},
 * {@code invalid}, {@code username_taken}) and a message saying what to fix. Database failures
 * are {@link StoreUnavailableException}.
 */
public class StoreException extends RuntimeException {
  private final String code;
  private final String field;

  public StoreException(String code, String message, String field) {
    super(message);
    this.code = code;
    this.field = field;
  }

  public String code() {
    return code;
  }

  /** The input field at fault, or null. */
  public String field() {
    return field;
  }
}
