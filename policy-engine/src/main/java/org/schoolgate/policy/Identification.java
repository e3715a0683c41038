package org.schoolgate.policy;

/** Who a client is, as far as the policy can tell: a group to decide for, or a refusal. */
public sealed interface Identification permits Identification.Identified, Identification.Refused {

  /** How a group was chosen. */
  enum By {
    /** The user name is listed in a group's {@code users}. */
    USER,
    /** The person is in a directory group that {@code identification.directory-groups} maps (first match). */
    DIRECTORY_GROUP,
    /**
     * A known person in no mapped directory group, on a network whose {@code unmapped-group} is
     * set (never more permissive than the network's subnet groups).
     */
    UNMAPPED,
    /** The client address is in a group's subnet (the most specific subnet wins). */
    SUBNET,
    /** The client is on an allowed network but in no group's subnet: the unknown-client group. */
    UNKNOWN_CLIENT;

    /** The API's and access log's word: {@code user}, {@code directory-group}, {@code subnet}, ... */
    public String apiName() {
      return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }
  }

  /**
   * The client belongs to {@code group}; {@code user} may be null.
   *
   * @param person the person with their directory groups, compiled for the snapshot that
   *     identified them; null when nobody is known (pass it on in {@link RequestFacts#person()})
   */
  record Identified(GroupId group, String user, By by, Person person) implements Identification {
    /** Without a person. */
    public Identified(GroupId group, String user, By by) {
      this(group, user, by, null);
    }
  }

  /** The client is outside every network the proxy serves: refuse it (no open proxy). */
  record Refused(String reason) implements Identification {}
}
