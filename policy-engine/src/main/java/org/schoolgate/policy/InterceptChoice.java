package org.schoolgate.policy;

/**
 * Whether the proxy decrypts one CONNECT tunnel with the school's CA, and why
 * ({@link PolicySnapshot#interception}, from the policy's {@code interception:} section). The
 * constants are shared, so asking allocates nothing.
 */
public enum InterceptChoice {
  /** Tunnel untouched: interception off for the group, a never-intercept host, or not selected. */
  NONE("none", "not intercepted"),
  /** A search engine or video site: to log search terms and enforce SafeSearch by rewriting. */
  SEARCH("search", "a search engine or video site"),
  /** A site that would be blocked: decrypted so a real block page can be shown inside HTTPS. */
  BLOCKED("blocked", "a blocked site, so the block page can be shown"),
  /** A site in one of {@code interception.categories}. */
  CATEGORY("category", "a site in a category the school intercepts"),
  /** The group's mode is {@code paths} and the lists name paths under the host. */
  PATHS("paths", "the school's lists name pages under this site, so they apply inside HTTPS"),
  /** The group's mode is {@code all}. */
  ALL("all", "everything is intercepted for this group"),
  /**
   * The school's own admin origin, for a group with interception on (its devices trust the school
   * CA): decrypted so the admin API learns who signs in ({@code Forwarded} from the proxy).
   */
  ADMIN("admin", "the school's own admin pages, so they see who signs in");

  private final String logName;
  private final String reason;

  InterceptChoice(String logName, String reason) {
    this.logName = logName;
    this.reason = reason;
  }

  /** True when the tunnel is to be decrypted. */
  public boolean intercept() {
    return this != NONE;
  }

  /** Short name for logs, e.g. {@code search}. */
  public String logName() {
    return logName;
  }

  /** A phrase for people, e.g. "a search engine or video site". */
  public String reason() {
    return reason;
  }
}
