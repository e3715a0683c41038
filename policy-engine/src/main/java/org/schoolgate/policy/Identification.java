package org.schoolgate.policy;

/** Who a client is, as far as the policy can tell: a group to decide for, or a refusal. */
public sealed interface Identification permits Identification.Identified, Identification.Refused {

  /** How a group was chosen. */
  enum By {
    /** The user name is listed in a group's {@code users}. */
    USER,
    /** The client address is in a group's subnet (the most specific subnet wins). */
    SUBNET,
    /** The client is on an allowed network but in no group's subnet: the unknown-client group. */
    UNKNOWN_CLIENT
  }

  /** The client belongs to {@code group}; {@code user} may be null. */
  record Identified(GroupId group, String user, By by) implements Identification {}

  /** The client is outside every network the proxy serves: refuse it (no open proxy). */
  record Refused(String reason) implements Identification {}
}
