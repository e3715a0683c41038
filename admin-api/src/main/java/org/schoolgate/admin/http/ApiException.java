package org.schoolgate.admin.http;

import io.javalin.http.HttpStatus;
import java.util.Objects;

/**
 * A request the API refuses, answered as JSON {@code {code, message, field}} with {@link #status()}.
 * The message says what is wrong and how to fix it; {@code field} names the input at fault or is null.
 */
public final class ApiException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final HttpStatus status;
  private final String code;
  private final String field;

  public ApiException(HttpStatus status, String code, String message, String field) {
    super(Objects.requireNonNull(message, "message"));
    this.status = Objects.requireNonNull(status, "status");
    this.code = Objects.requireNonNull(code, "code");
    this.field = field;
  }

  /** 400 {@code invalid}: {@code field} is wrong; the message says what to send instead. */
  public static ApiException invalid(String field, String message) {
    return new ApiException(HttpStatus.BAD_REQUEST, "invalid", message, field);
  }

  /** 403 with a specific code, e.g. {@code own_request}. */
  public static ApiException forbidden(String code, String message) {
    return new ApiException(HttpStatus.FORBIDDEN, code, message, null);
  }

  /** 404 {@code not_found}. */
  public static ApiException notFound(String message) {
    return new ApiException(HttpStatus.NOT_FOUND, "not_found", message, null);
  }

  /** 409 with a specific code. */
  public static ApiException conflict(String code, String message) {
    return new ApiException(HttpStatus.CONFLICT, code, message, null);
  }

  public HttpStatus status() {
    return status;
  }

  public String code() {
    return code;
  }

  public String field() {
    return field;
  }
}
