package org.schoolgate.policy;

import java.net.InetAddress;
import java.time.Instant;
import java.util.Objects;

/**
 * What is known about one request when it is decided.
 *
 * @param group the client's group, from {@link PolicySnapshot#identify}
 * @param user the user name if known, or null (taken from {@code person} when that is given)
 * @param host the request host; normalised by {@code decide} (case, trailing dot, port, IDN)
 * @param path the path and query (starting with '/'), or "" for a CONNECT
 * @param at when the request was made (schedules are evaluated in the policy's time zone)
 * @param client the client's address, or null when not known; unblocks scoped to a subnet (a
 *     room) apply only when it is known
 * @param person the identified person with their directory groups, or null when nobody is
 *     known; built once per identification ({@link Identification.Identified#person()}), so
 *     matrix cells and unblocks naming directory groups are checked without allocating
 */
public record RequestFacts(GroupId group, String user, String host, String path, Instant at,
    InetAddress client, Person person) {
  public RequestFacts {
    Objects.requireNonNull(group, "group");
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(at, "at");
    if (path == null) {
      path = "";
    }
    if (user == null && person != null) {
      user = person.user();
    }
  }

  /** Facts without a person (no directory groups). */
  public RequestFacts(GroupId group, String user, String host, String path, Instant at,
      InetAddress client) {
    this(group, user, host, path, at, client, null);
  }

  /** Facts without the client's address. */
  public RequestFacts(GroupId group, String user, String host, String path, Instant at) {
    this(group, user, host, path, at, null, null);
  }
}
