package org.schoolgate.policy;

/** What the proxy does with a request. */
public enum Action {
  ALLOW("allow"),
  BLOCK("block");

  private final String logName;

  Action(String logName) {
    this.logName = logName;
  }

  /** Lower-case name used in the access log, CLI and API. */
  public String logName() {
    return logName;
  }
}
