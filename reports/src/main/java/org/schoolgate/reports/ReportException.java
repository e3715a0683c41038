package org.schoolgate.reports;

/**
 * A report that cannot be given, with a code the admin API maps to a status: {@code forbidden}
 * (403), {@code invalid} (400, with the field), {@code not_found} (404), {@code conflict} (409),
 * {@code unavailable} (503: the access log cannot be read). The message says what is wrong and
 * what to do.
 */
public final class ReportException extends RuntimeException {
  private final String code;
  private final String field;
  private final java.util.List<String> details;

  private ReportException(String code, String field, String message, Throwable cause) {
    this(code, field, message, cause, java.util.List.of());
  }

  private ReportException(String code, String field, String message, Throwable cause,
      java.util.List<String> details) {
    super(message, cause);
    this.code = code;
    this.field = field;
    this.details = java.util.List.copyOf(details);
  }

  /** A file with errors, each {@code file:line: field: message}. */
  public static ReportException invalidFile(String field, String message, java.util.List<String> errors) {
    return new ReportException("invalid", field, message, null, errors);
  }

  public static ReportException forbidden(String message) {
    return new ReportException("forbidden", null, message, null);
  }

  public static ReportException invalid(String field, String message) {
    return new ReportException("invalid", field, message, null);
  }

  public static ReportException notFound(String message) {
    return new ReportException("not_found", null, message, null);
  }

  public static ReportException conflict(String message) {
    return new ReportException("conflict", null, message, null);
  }

  public static ReportException unavailable(String message, Throwable cause) {
    return new ReportException("unavailable", null, message, cause);
  }

  public String code() {
    return code;
  }

  /** Every problem found (a policy file's errors), or empty. */
  public java.util.List<String> details() {
    return details;
  }

  /** The input field at fault, or null. */
  public String field() {
    return field;
  }
}
