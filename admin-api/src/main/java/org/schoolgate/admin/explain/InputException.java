package org.schoolgate.admin.explain;

/**
 * Input from a person or a tool was missing or malformed. The message says what is wrong and the
 * expected form; {@link #field()} names the parameter, {@link #code()} is a stable identifier.
 */
public final class InputException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** A required parameter is absent. */
  public static final String MISSING = "missing_parameter";
  /** A parameter is present but malformed. */
  public static final String INVALID = "invalid_parameter";

  private final String code;
  private final String field;

  private InputException(String code, String field, String message) {
    super(message);
    this.code = code;
    this.field = field;
  }

  /** {@code field} is required; {@code expected} describes a valid value. */
  public static InputException missing(String field, String expected) {
    return new InputException(MISSING, field, field + " is required (expected: " + expected + ")");
  }

  /** {@code field} was given as {@code value}, which {@code problem}; {@code expected} describes a valid value. */
  public static InputException invalid(String field, String value, String problem, String expected) {
    return new InputException(INVALID, field,
        field + " '" + value + "' " + problem + " (expected: " + expected + ")");
  }

  public String code() {
    return code;
  }

  public String field() {
    return field;
  }
}
