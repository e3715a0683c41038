package org.schoolgate.deploy;

import java.util.List;

/** The runtime configuration file has errors; each names {@code file:line: field: problem (expected: ...)}. */
public final class ConfigException extends Exception {
  private static final long serialVersionUID = 1L;
  private final List<String> errors;

  public ConfigException(List<String> errors) {
    super(String.join("\n", errors));
    this.errors = List.copyOf(errors);
  }

  public List<String> errors() {
    return errors;
  }
}
