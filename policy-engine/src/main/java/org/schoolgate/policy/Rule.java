package org.schoolgate.policy;

/**
 * Which step of the precedence decided a request. The order of the constants is the order of
 * precedence in {@link PolicySnapshot#decide}.
 */
public enum Rule {
  /** A matched category is illegal for everyone; nothing overrides it. */
  ILLEGAL_CATEGORY("illegal-category"),
  /**
   * An approved unblock (domain, URL prefix or category) lifted what would otherwise have blocked
   * the request: the school block list, the matrix or the default. Never lifts an illegal category.
   */
  UNBLOCK("unblock"),
  /** An approved filter bypass lifted everything but illegal categories for the request's scope. */
  FILTER_BYPASS("filter-bypass"),
  /** The host is on the school's own block list. */
  SCHOOL_BLOCK_LIST("school-block-list"),
  /** The host is on the school's own allow list. */
  SCHOOL_ALLOW_LIST("school-allow-list"),
  /** The most restrictive matrix cell among the matched categories for the group at that time. */
  MATRIX("matrix"),
  /** No category matched: the policy's default level applies. */
  DEFAULT("default"),
  /** No usable policy, an unknown group, or an error while deciding: blocked (fail closed). */
  FAIL_CLOSED("fail-closed");

  private final String logName;

  Rule(String logName) {
    this.logName = logName;
  }

  /** Lower-case name used in the access log, CLI and API. */
  public String logName() {
    return logName;
  }
}
