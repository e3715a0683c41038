package org.schoolgate.store;

import java.util.Arrays;
import java.util.Optional;

/** What a person may do. A person can hold several roles. */
public enum Role {
  /** Requests unblocks for their classes. */
  TEACHER("teacher"),
  /** Approves/denies/revokes ordinary requests, manages lists and policy. */
  TECHNICIAN("technician"),
  /** Designated Safeguarding Lead: approves sensitive requests, sees alerts and incidents. */
  DSL("dsl"),
  /** Approves sensitive requests and filter bypasses. */
  SENIOR_LEADER("senior-leader"),
  /** Read-only: audit and reports. */
  GOVERNOR("governor"),
  /** Manages accounts. */
  ADMIN("admin"),
  /**
   * A logon script, Wi-Fi controller or MDM reporting who is at which address ({@code POST
   * /api/v1/identity/sessions}), and nothing else: an account holding it holds no other role.
   */
  IDENTITY_SOURCE("identity-source");

  private final String apiName;

  Role(String apiName) {
    this.apiName = apiName;
  }

  /** The name used in the API, config and database, e.g. {@code senior-leader}. */
  public String apiName() {
    return apiName;
  }

  public static Optional<Role> parse(String name) {
    return Arrays.stream(values()).filter(r -> r.apiName.equals(name)).findFirst();
  }
}
