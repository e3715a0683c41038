package org.schoolgate.admin;

/**
 * The body of every error the API returns.
 *
 * @param code stable identifier, e.g. {@code missing_parameter}
 * @param message what is wrong and the expected form
 * @param field the parameter at fault, or null
 */
record ApiError(String code, String message, String field) {}
