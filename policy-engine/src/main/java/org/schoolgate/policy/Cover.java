package org.schoolgate.policy;

/**
 * Whether something the school or its staff decided covers an allowed request's site, so that a
 * block found later — by what the page says ({@code content:}) or by what a download is
 * ({@code downloads:}) — is lifted to a logged alert. Carried by every {@link Decision}
 * ({@link Decision#cover()}): {@link #NONE} for blocks and for allows nothing covers.
 *
 * <p>A request allowed by the matrix or the default can still be covered: an approved unblock of
 * its site (domain or URL prefix) or a filter bypass in force for the person counts even though
 * the request did not need it. Category unblocks do not cover (they say a kind of site may be
 * used, not this one). Illegal categories are blocked before anything covers them.
 */
public enum Cover {
  /** Nothing covers the request: a content or download block stands. */
  NONE,
  /** The site is on the school's allow list. */
  SCHOOL_ALLOW_LIST,
  /** An approved unblock of the site (domain or URL prefix) is in force for the request. */
  UNBLOCK,
  /** An approved filter bypass is in force for the request's scope. */
  FILTER_BYPASS;

  /** True when a content or download block is lifted to an alert. */
  public boolean lifts() {
    return this != NONE;
  }

  /**
   * The precedence rule that covers the request, for logs and reasons.
   *
   * @throws IllegalStateException for {@link #NONE}, which covers nothing
   */
  public Rule rule() {
    return switch (this) {
      case SCHOOL_ALLOW_LIST -> Rule.SCHOOL_ALLOW_LIST;
      case UNBLOCK -> Rule.UNBLOCK;
      case FILTER_BYPASS -> Rule.FILTER_BYPASS;
      case NONE -> throw new IllegalStateException("Cover.NONE covers nothing (expected: check lifts() first)");
    };
  }

  /** The cover a decision by {@code rule} carries by itself. */
  static Cover of(Rule rule) {
    if (rule == null) {
      return NONE;
    }
    return switch (rule) {
      case SCHOOL_ALLOW_LIST -> SCHOOL_ALLOW_LIST;
      case UNBLOCK -> UNBLOCK;
      case FILTER_BYPASS -> FILTER_BYPASS;
      default -> NONE;
    };
  }
}
